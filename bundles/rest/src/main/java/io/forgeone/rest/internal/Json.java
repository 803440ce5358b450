package io.forgeone.rest.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small strict JSON (RFC 8259) parser and a deterministic writer (a copy of the package bundle's, which keeps
 * it private): request bodies are parsed strictly, responses are written with sorted keys.
 *
 * <p>Parsing refuses what RFC 8259 refuses and what would make two readers disagree: invalid UTF-8, a byte order
 * mark, duplicate keys, lone surrogates, trailing commas, comments, leading zeros, text after the value, and (by
 * choice, so that every number has one spelling) any number that is not an integer within ±(2^53-1). Errors carry
 * the line and column (1-based, counted in characters).
 *
 * <p>Canonical form (the integer subset of RFC 8785, JCS): object members sorted by key in UTF-16 code unit order,
 * no whitespace, strings escaped only where JSON requires ({@code \"}, {@code \\}, {@code \b \f \n \r \t}, other
 * control characters as {@code \\u00xx}), integers in plain decimal, UTF-8.
 *
 * <p>Values are {@code Map<String, Object>} (insertion order), {@code List<Object>}, {@code String}, {@code Long},
 * {@code Boolean} and {@link #NULL}.
 */
final class Json {
    /** JSON {@code null}. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };
    static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
    private static final int MAX_DEPTH = 64;

    /** A syntax error, with where it is. */
    static final class JsonException extends Exception {
        private static final long serialVersionUID = 1L;
        final int line;
        final int column;

        JsonException(String message, int line, int column) {
            super(line + ":" + column + ": " + message);
            this.line = line;
            this.column = column;
        }
    }

    private final String text;
    private int pos;

    private Json(String text) {
        this.text = text;
    }

    /** Parses UTF-8 JSON text holding one value. */
    static Object parse(byte[] utf8) throws JsonException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new JsonException("not valid UTF-8", 1, 1);
        }
        Json parser = new Json(text);
        if (text.startsWith("\uFEFF")) {
            throw parser.error("byte order mark is not allowed");
        }
        parser.skipWhitespace();
        Object value = parser.value(0);
        parser.skipWhitespace();
        if (parser.pos < text.length()) {
            throw parser.error("unexpected text after the JSON value");
        }
        return value;
    }

    private Object value(int depth) throws JsonException {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH);
        }
        if (pos >= text.length()) {
            throw error("unexpected end of input, expected a value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return NULL;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character " + describe(c) + ", expected a value");
        }
    }

    private Map<String, Object> object(int depth) throws JsonException {
        pos++;
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return members;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a string key");
            }
            int keyPos = pos;
            String key = string();
            if (members.containsKey(key)) {
                pos = keyPos;
                throw error("duplicate key \"" + key + "\"");
            }
            skipWhitespace();
            expect(':');
            skipWhitespace();
            members.put(key, value(depth + 1));
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
                skipWhitespace();
                if (peek() == '}') {
                    throw error("trailing comma");
                }
            } else if (c == '}') {
                pos++;
                return members;
            } else {
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) throws JsonException {
        pos++;
        List<Object> items = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return items;
        }
        while (true) {
            skipWhitespace();
            items.add(value(depth + 1));
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
                skipWhitespace();
                if (peek() == ']') {
                    throw error("trailing comma");
                }
            } else if (c == ']') {
                pos++;
                return items;
            } else {
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() throws JsonException {
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return out.toString();
            }
            if (c < 0x20) {
                throw error("control character " + describe(c) + " in a string must be escaped");
            }
            if (c == '\\') {
                pos++;
                if (pos >= text.length()) {
                    throw error("unterminated escape");
                }
                char e = text.charAt(pos);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        char unit = hex4();
                        if (Character.isHighSurrogate(unit)) {
                            if (pos + 2 < text.length() && text.charAt(pos + 1) == '\\' && text.charAt(pos + 2) == 'u') {
                                pos += 2;
                                char low = hex4();
                                if (!Character.isLowSurrogate(low)) {
                                    throw error("high surrogate not followed by a low surrogate");
                                }
                                out.append(unit).append(low);
                            } else {
                                throw error("lone high surrogate");
                            }
                        } else if (Character.isLowSurrogate(unit)) {
                            throw error("lone low surrogate");
                        } else {
                            out.append(unit);
                        }
                    }
                    default -> throw error("invalid escape \\" + e);
                }
                pos++;
            } else {
                out.append(c);
                pos++;
            }
        }
    }

    /** Reads the four hex digits after a backslash-u; leaves {@code pos} on the last one. */
    private char hex4() throws JsonException {
        if (pos + 4 >= text.length()) {
            throw error("incomplete \\u escape");
        }
        int value = 0;
        for (int i = 1; i <= 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0) {
                pos += i;
                throw error("invalid hex digit in \\u escape");
            }
            value = value * 16 + d;
        }
        pos += 4;
        return (char) value;
    }

    private Long number() throws JsonException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (pos >= text.length() || !isDigit(text.charAt(pos))) {
            throw error("expected a digit");
        }
        if (text.charAt(pos) == '0' && pos + 1 < text.length() && isDigit(text.charAt(pos + 1))) {
            throw error("leading zeros are not allowed");
        }
        while (pos < text.length() && isDigit(text.charAt(pos))) {
            pos++;
        }
        if (pos < text.length() && (text.charAt(pos) == '.' || text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            throw error("only integers are allowed (no fraction or exponent)");
        }
        String digits = text.substring(start, pos);
        try {
            long value = Long.parseLong(digits);
            if (Math.abs(value) > MAX_SAFE_INTEGER) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            pos = start;
            throw error("integer " + digits + " is outside ±(2^53-1)");
        }
    }

    private void literal(String word) throws JsonException {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected character " + describe(text.charAt(pos)) + ", expected a value");
        }
        pos += word.length();
    }

    private void expect(char c) throws JsonException {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private char peek() throws JsonException {
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        return text.charAt(pos);
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String describe(char c) {
        return c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }

    private JsonException error(String message) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(pos, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new JsonException(message, line, column);
    }

    /** The canonical UTF-8 bytes of a value. */
    static byte[] canonical(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An indented rendering for people (not canonical, not for signing). */
    static String pretty(Object value) {
        StringBuilder out = new StringBuilder();
        pretty(value, out, "");
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : sorted(map).entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(e.getKey(), out);
                out.append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(list.get(i), out);
            }
            out.append(']');
        } else {
            scalar(value, out);
        }
    }

    private static void pretty(Object value, StringBuilder out, String indent) {
        String inner = indent + "  ";
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            out.append("{\n");
            int i = 0;
            for (Map.Entry<String, Object> e : sorted(map).entrySet()) {
                out.append(inner);
                string(e.getKey(), out);
                out.append(": ");
                pretty(e.getValue(), out, inner);
                out.append(++i < map.size() ? ",\n" : "\n");
            }
            out.append(indent).append('}');
        } else if (value instanceof List<?> list && !list.isEmpty()) {
            out.append("[\n");
            for (int i = 0; i < list.size(); i++) {
                out.append(inner);
                pretty(list.get(i), out, inner);
                out.append(i + 1 < list.size() ? ",\n" : "\n");
            }
            out.append(indent).append(']');
        } else {
            write(value, out);
        }
    }

    private static void scalar(Object value, StringBuilder out) {
        if (value instanceof String s) {
            string(s, out);
        } else if (value instanceof Long || value instanceof Integer) {
            long l = ((Number) value).longValue();
            if (Math.abs(l) > MAX_SAFE_INTEGER) {
                throw new IllegalArgumentException("integer " + l + " is outside ±(2^53-1)");
            }
            out.append(l);
        } else if (value instanceof Boolean b) {
            out.append(b);
        } else if (value == NULL || value == null) {
            out.append("null");
        } else {
            throw new IllegalArgumentException("not a JSON value: " + (value == null ? "null reference" : value.getClass()));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sorted(Map<?, ?> map) {
        // String's natural order compares UTF-16 code units, as RFC 8785 sorts
        return Collections.unmodifiableMap(new TreeMap<>((Map<String, Object>) map));
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
