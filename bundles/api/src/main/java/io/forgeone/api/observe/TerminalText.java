package io.forgeone.api.observe;

import java.util.Locale;

/**
 * Text a guest chose (paths, names, messages in trace records and sentences), made safe to print on a terminal:
 * control characters and bidirectional overrides are shown as {@code \xNN} or {@code \\uNNNN}, so that a hostile
 * guest's escape sequences never reach the reader's terminal. Every face that prints traces (Gogo, the command
 * line, the remote client) uses this one, so that their outputs stay equal.
 */
public final class TerminalText {
    private TerminalText() {
    }

    /** {@code text} with its control characters escaped; the same string when it has none. */
    public static String printable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = Character.isISOControl(c) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
            if (control && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (!control) {
                    out.append(c);
                } else if (c < 0x100) {
                    out.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
                } else {
                    out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                }
            }
        }
        return out == null ? text : out.toString();
    }
}
