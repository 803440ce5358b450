package io.forgeone.trust.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON value (RFC 8259), strictly: objects become ordered maps, arrays lists, numbers Long (integers
 * that fit) or Double. A mistake is an IllegalArgumentException naming the column, so that a bad decision log
 * line can be reported precisely and skipped.
 */
final class JsonReader {
    /** Deeper nesting than any record the gate writes; a guard against a hostile or broken line. */
    private static final int MAX_DEPTH = 64;

    private final String text;
    private int at;

    private JsonReader(String text) {
        this.text = text;
    }

    static Object parse(String text) {
        JsonReader reader = new JsonReader(text);
        reader.space();
        Object value = reader.value(0);
        reader.space();
        if (reader.at < text.length()) {
            throw reader.error("unexpected '" + text.charAt(reader.at) + "' after the value");
        }
        return value;
    }

    private Object value(int depth) {
        if (at >= text.length()) {
            throw error("the line ends where a value should be");
        }
        char c = text.charAt(at);
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string();
            case 't':
                return word("true", Boolean.TRUE);
            case 'f':
                return word("false", Boolean.FALSE);
            case 'n':
                return word("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected '" + c + "'");
        }
    }

    private Map<String, Object> object(int depth) {
        checkDepth(depth);
        at++;
        Map<String, Object> map = new LinkedHashMap<>();
        space();
        if (peek('}')) {
            at++;
            return map;
        }
        while (true) {
            space();
            if (!peek('"')) {
                throw error("expected a field name in double quotes");
            }
            int keyAt = at;
            String key = string();
            if (map.containsKey(key)) {
                at = keyAt;
                throw error("field '" + key + "' appears twice");
            }
            space();
            expect(':');
            space();
            map.put(key, value(depth));
            space();
            if (peek(',')) {
                at++;
                continue;
            }
            expect('}');
            return map;
        }
    }

    private List<Object> array(int depth) {
        checkDepth(depth);
        at++;
        List<Object> list = new ArrayList<>();
        space();
        if (peek(']')) {
            at++;
            return list;
        }
        while (true) {
            space();
            list.add(value(depth));
            space();
            if (peek(',')) {
                at++;
                continue;
            }
            expect(']');
            return list;
        }
    }

    private String string() {
        at++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw error("a string is not closed");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                at--;
                throw error("a control character in a string must be escaped");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw error("a string is not closed");
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw error("\\u needs four hex digits");
                    }
                    int code = 0;
                    for (int i = 0; i < 4; i++) {
                        int digit = Character.digit(text.charAt(at++), 16);
                        if (digit < 0) {
                            at--;
                            throw error("\\u needs four hex digits");
                        }
                        code = code * 16 + digit;
                    }
                    out.append((char) code);
                }
                default -> {
                    at--;
                    throw error("unknown escape \\" + e);
                }
            }
        }
    }

    private Object number() {
        int start = at;
        if (peek('-')) {
            at++;
        }
        if (peek('0')) {
            at++;
        } else if (!digits()) {
            throw error("a number needs digits");
        }
        boolean integer = true;
        if (peek('.')) {
            at++;
            integer = false;
            if (!digits()) {
                throw error("a fraction needs digits");
            }
        }
        if (peek('e') || peek('E')) {
            at++;
            integer = false;
            if (peek('+') || peek('-')) {
                at++;
            }
            if (!digits()) {
                throw error("an exponent needs digits");
            }
        }
        String literal = text.substring(start, at);
        if (integer) {
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException tooBig) {
                // beyond a long: kept as a double, as most JSON readers do
                return Double.parseDouble(literal);
            }
        }
        return Double.parseDouble(literal);
    }

    private boolean digits() {
        int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        return at > start;
    }

    private Object word(String word, Object value) {
        if (!text.startsWith(word, at)) {
            throw error("unexpected '" + text.charAt(at) + "'");
        }
        at += word.length();
        return value;
    }

    private void space() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return;
            }
            at++;
        }
    }

    private boolean peek(char c) {
        return at < text.length() && text.charAt(at) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw at >= text.length() ? error("the line ends where '" + c + "' should be")
                    : error("expected '" + c + "' but found '" + text.charAt(at) + "'");
        }
        at++;
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException("column " + (at + 1) + ": " + message);
    }
}
