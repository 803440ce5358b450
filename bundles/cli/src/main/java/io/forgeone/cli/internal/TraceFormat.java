package io.forgeone.cli.internal;

import io.forgeone.api.observe.TerminalText;
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
                TerminalText.printable(arguments.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(" ")))));
        if (!failure.isEmpty()) {
            b.append(" !! ").append(TerminalText.printable(failure));
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
        return "#" + sequence + " " + TerminalText.printable(summary) + "\n";
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
