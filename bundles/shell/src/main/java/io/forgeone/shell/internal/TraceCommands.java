package io.forgeone.shell.internal;

import io.forgeone.api.observe.TerminalText;
import io.forgeone.api.observe.ReplayReport;
import io.forgeone.api.observe.ReplayService;
import io.forgeone.api.observe.TraceInfo;
import io.forgeone.api.observe.TracePage;
import io.forgeone.api.observe.TraceQuery;
import io.forgeone.api.observe.TraceRecord;
import io.forgeone.api.observe.TraceService;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code forge:trace} and {@code forge:replay}: the host calls the observer recorded per container, for people
 * ({@code --summary}: one sentence per notable call) and for checking a run ({@code replay}). Present when the
 * observer bundle is installed.
 */
@Component(service = TraceCommands.class, property = {
    "osgi.command.scope=forge",
    "osgi.command.function=trace",
    "osgi.command.function=replay"
})
public final class TraceCommands {
    static final String USAGE = "usage: forge:trace [--follow] [--since N] [--filter call=NAME] [--limit N] [--summary]"
            + " CONTAINER\n       forge:trace            (lists the recorded runs)\n"
            + "       forge:trace --file PATH [--since N] [--filter call=NAME] [--summary]";
    private static final Duration FOLLOW_WAIT = Duration.ofMillis(500);

    private final TraceService traces;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ReplayService replays;

    @Activate
    public TraceCommands(@Reference TraceService traces) {
        this.traces = traces;
    }

    /** Used when constructed directly (tests). */
    void setReplays(ReplayService service) {
        this.replays = service;
    }

    @Descriptor("Show the host calls recorded for a container: every call (number, time, call, decoded arguments,"
            + " result, decision, bytes returned), or with --summary one sentence per notable call.\n" + USAGE)
    public String trace(CommandSession session,
            @Descriptor("[--follow] [--since N] [--filter call=NAME] [--limit N] [--summary] CONTAINER") String... args)
            throws InterruptedException {
        ShellArgs parsed = ShellArgs.parse(args == null ? new String[0] : args, 0,
                Set.of("--since", "--filter", "--limit", "--file"), Set.of("--follow", "--summary", "--help"));
        if (parsed.flag("--help")) {
            return USAGE + "\n";
        }
        String file = parsed.value("--file");
        if (parsed.operands().isEmpty() && file == null) {
            if (parsed.flag("--follow") || !parsed.values().isEmpty() || parsed.flag("--summary")) {
                throw new IllegalArgumentException("forge:trace needs a container\n" + USAGE);
            }
            return list(traces.list());
        }
        if (parsed.operands().size() > (file == null ? 1 : 0)) {
            throw new IllegalArgumentException("forge:trace takes one container, got " + parsed.operands() + "\n"
                    + USAGE);
        }
        TraceQuery query = new TraceQuery(since(parsed.value("--since")), call(parsed.value("--filter")),
                count(parsed.value("--limit"), "--limit"));
        boolean summary = parsed.flag("--summary");
        if (file != null) {
            if (parsed.flag("--follow")) {
                throw new IllegalArgumentException("--follow works on a container, not on a trace file");
            }
            return format(traces.read(Path.of(file), query), summary, true);
        }
        String container = parsed.operands().get(0);
        if (!parsed.flag("--follow")) {
            return format(traces.records(container, query), summary, true);
        }
        PrintStream console = session == null ? null : session.getConsole();
        if (console == null) {
            throw new IllegalArgumentException("--follow needs a console to print to");
        }
        TraceQuery next = query;
        while (!Thread.currentThread().isInterrupted()) {
            TracePage page = traces.await(container, next, FOLLOW_WAIT);
            console.print(format(page, summary, page.ended()));
            console.flush();
            if (page.ended()) {
                break;
            }
            next = new TraceQuery(page.next(), query.call(), 0);
        }
        return "";
    }

    @Descriptor("Replay a traced run without touching the host: 'identical', or the first call where the guest did"
            + " something else. The trace is a trace file or a run's trace folder (forge:trace shows where).")
    public String replay(@Descriptor("TRACE [MODULE.wasm]: the trace, and the module if it moved") String... args) {
        if (args == null || args.length == 0 || args.length > 2) {
            throw new IllegalArgumentException("usage: forge:replay TRACE [MODULE.wasm]");
        }
        ReplayService service = replays;
        if (service == null) {
            throw new IllegalArgumentException("replay needs the observer bundle (io.forgeone.observer) and an engine");
        }
        ReplayReport report = service.replay(Path.of(args[0]), args.length > 1 ? Path.of(args[1]) : null);
        return report.text() + "\n";
    }

    static long since(String text) {
        if (text == null) {
            return 0;
        }
        return count(text, "--since");
    }

    static int count(String text, String option) {
        if (text == null) {
            return 0;
        }
        try {
            long v = Long.parseLong(text.trim());
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + text + "': expected a number, 0 or more");
        }
    }

    static String call(String filter) {
        if (filter == null) {
            return null;
        }
        int eq = filter.indexOf('=');
        if (eq < 0 || !filter.substring(0, eq).trim().equals("call") || filter.substring(eq + 1).isBlank()) {
            throw new IllegalArgumentException("--filter '" + filter + "': expected call=NAME, e.g. call=path_open");
        }
        return filter.substring(eq + 1).trim();
    }

    static String list(List<TraceInfo> all) {
        StringBuilder out = new StringBuilder(String.format("%-16s  %-24s  %8s  %-7s  %s%n", "ID", "NAME", "CALLS",
                "FILES", "STATE"));
        for (TraceInfo t : all) {
            out.append(String.format("%-16s  %-24s  %8d  %-7s  %s%n", t.containerId(), t.containerName(), t.calls(),
                    t.files().isEmpty() ? "-" : String.valueOf(t.files().size()),
                    t.ended() ? "ended: " + t.outcome() : "running"));
        }
        return out.toString();
    }


    /** Records one per line (or their sentences), then how the run ended when it has. */
    static String format(TracePage page, boolean summary, boolean withEnd) {
        StringBuilder out = new StringBuilder();
        if (page.lost() > 0) {
            out.append("(").append(page.lost()).append(" earlier calls are no longer kept)\n");
        }
        for (TraceRecord r : page.records()) {
            if (summary) {
                if (!r.summary().isEmpty()) {
                    out.append('#').append(r.sequence()).append(' ').append(TerminalText.printable(r.summary())).append('\n');
                }
            } else {
                out.append(line(r)).append('\n');
            }
        }
        if (withEnd && page.ended()) {
            out.append(summary ? "the run ended: " : "-- end: ").append(page.outcome())
                    .append(" (exit ").append(page.exitCode()).append(")\n");
        }
        return out.toString();
    }

    static String line(TraceRecord r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "#%-6d %10.3fms  %s(%s)", r.sequence(), r.timeNanos() / 1e6, r.call(),
                TerminalText.printable(arguments(r.arguments()))));
        if (!r.failure().isEmpty()) {
            b.append(" !! ").append(TerminalText.printable(r.failure()));
        } else if (r.errno() >= 0) {
            b.append(" -> errno ").append(r.errno());
        } else if (!r.results().isEmpty()) {
            b.append(" -> ").append(r.results().stream().map(String::valueOf).collect(Collectors.joining(", ")));
        }
        b.append("  ").append(r.decision().name().toLowerCase(Locale.ROOT));
        if (r.bytesReturned() > 0) {
            b.append(", ").append(r.bytesReturned()).append(" B to guest");
        }
        return b.toString();
    }

    private static String arguments(Map<String, Object> args) {
        return args.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }
}
