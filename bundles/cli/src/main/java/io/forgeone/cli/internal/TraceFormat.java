package io.forgeone.cli.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The lines forge:trace prints (the shell bundle's TraceCommands, private to it), for {@code forge trace FILE} (from
 * {@code TraceRecord}s) and {@code forge --node URL trace} (from the node's JSON records) alike. Plain values only, so
 * that the remote client, which has neither OSGi nor SLF4J, can use it.
 */
final class TraceFormat {
    private TraceFormat() {
    }

    /** {@code #12     0.153ms  fd_write(fd=1 iovs=2) -> 0  allow, 4 B to guest}. */
    static String line(long sequence, long timeNanos, String call, Map<String, ?> arguments, String failure, long errno,
            List<?> results, String decision, long bytesReturned) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "#%-6d %10.3fms  %s(%s)", sequence, timeNanos / 1e6, call,
                printable(arguments.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(" ")))));
        if (!failure.isEmpty()) {
            b.append(" !! ").append(printable(failure));
        } else if (errno >= 0) {
            b.append(" -> errno ").append(errno);
        } else if (!results.isEmpty()) {
            b.append(" -> ").append(results.stream().map(String::valueOf).collect(Collectors.joining(", ")));
        }
        b.append("  ").append(decision.toLowerCase(Locale.ROOT));
        if (bytesReturned > 0) {
            b.append(", ").append(bytesReturned).append(" B to guest");
        }
        return b.append('\n').toString();
    }

    /** A notable call's sentence, as {@code --summary} shows it. */
    static String sentence(long sequence, String summary) {
        return "#" + sequence + " " + printable(summary) + "\n";
    }

    /**
     * Text from the guest (paths, names) with its control characters shown as {@code \xNN} or {@code \\uNNNN}: a
     * hostile guest's escape sequences must not reach the reader's terminal.
     */
    static String printable(String text) {
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

    /** Said before a page that starts after calls the node no longer keeps. */
    static String lost(long lost) {
        return "(" + lost + " earlier calls are no longer kept)\n";
    }

    /** The last line once the run has ended. */
    static String end(boolean summary, String outcome, long exitCode) {
        return (summary ? "the run ended: " : "-- end: ") + outcome + " (exit " + exitCode + ")\n";
    }

    /** The header of forge:trace's list of recorded runs. */
    static String listHeader() {
        return String.format("%-16s  %-24s  %8s  %-7s  %s%n", "ID", "NAME", "CALLS", "FILES", "STATE");
    }

    /** One run in forge:trace's list. */
    static String listRow(String id, String name, long calls, int files, boolean ended, String outcome) {
        return String.format("%-16s  %-24s  %8d  %-7s  %s%n", id, name, calls, files == 0 ? "-" : String.valueOf(files),
                ended ? "ended: " + outcome : "running");
    }
}
