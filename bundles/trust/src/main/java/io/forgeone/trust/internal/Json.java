package io.forgeone.trust.internal;

import java.util.Collection;
import java.util.Map;

/** Writes the decision log's JSON values: strings, numbers, booleans, null, lists and maps of those. */
final class Json {
    private Json() {
    }

    static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(out, String.valueOf(e.getKey()));
                out.append(':');
                write(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(out, item);
            }
            out.append(']');
        } else {
            string(out, value.toString());
        }
    }

    static void string(StringBuilder out, String s) {
        out.append('"');
        // runs of characters that need no escape are copied at once: most strings are one such run
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && c < 0x7f) {
                continue;
            }
            String escape;
            switch (c) {
                case '"':
                    escape = "\\\"";
                    break;
                case '\\':
                    escape = "\\\\";
                    break;
                case '\n':
                    escape = "\\n";
                    break;
                case '\r':
                    escape = "\\r";
                    break;
                case '\t':
                    escape = "\\t";
                    break;
                default:
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || Character.isSurrogate(c)) {
                        escape = String.format("\\u%04x", (int) c);
                    } else {
                        continue; // printable beyond ASCII: kept as it is
                    }
            }
            out.append(s, run, i).append(escape);
            run = i + 1;
        }
        if (run == 0) {
            out.append(s); // nothing escaped: one copy of the whole string
        } else {
            out.append(s, run, s.length());
        }
        out.append('"');
    }
}
