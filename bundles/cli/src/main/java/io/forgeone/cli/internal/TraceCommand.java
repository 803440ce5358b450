package io.forgeone.cli.internal;

import io.forgeone.api.observe.ReplayReport;
import io.forgeone.api.observe.ReplayService;
import io.forgeone.api.observe.TraceException;
import io.forgeone.api.observe.TracePage;
import io.forgeone.api.observe.TraceQuery;
import io.forgeone.api.observe.TraceRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code forge trace FILE} and {@code forge replay TRACE [MODULE]}: trace files (a node's
 * {@code var/traces/<container>/}, or one copied from another node) read and replayed in the command's own
 * framework. A node's running containers are read with {@code forge:trace} in its shell.
 */
final class TraceCommand {
    private static final Logger LOG = LoggerFactory.getLogger(TraceCommand.class);

    static final String TRACE_USAGE = String.join("\n",
            "Usage: forge trace [--since N] [--limit N] [--filter call=NAME] [--summary] TRACE",
            "",
            "Shows the host calls of a trace: a trace file, or a run's trace folder (var/traces/<container>/ on the",
            "node that ran it). One call per line: sequence number, time, call and decoded arguments, result,",
            "decision and bytes returned to the guest; with --summary one plain sentence per notable call.",
            "",
            "  --since N            start at call number N",
            "  --limit N            show at most N calls",
            "  --filter call=NAME   only calls of this function, e.g. call=path_open",
            "  --summary            sentences instead of calls",
            "  -h, --help           show this help",
            "",
            "A node's container: forge --node URL trace CONTAINER over its REST API (--node before 'trace'), or",
            "forge:trace CONTAINER in the node's shell (see docs/observer.md).",
            "Exit status: 0 shown, 1 the trace cannot be read (the message names file, offset and why), 2 usage.");

    static final String REPLAY_USAGE = String.join("\n",
            "Usage: forge replay TRACE [MODULE.wasm]",
            "",
            "Runs the traced module again, feeding every host call the recorded result instead of touching the host",
            "(no file, clock, random or network access), and says 'identical' or where the guest first did",
            "something else (call number, expected call, actual call). MODULE.wasm is needed when the module is no",
            "longer where it was traced from.",
            "",
            "Exit status: 0 identical, 1 diverged or the trace cannot be replayed, 2 usage.");

    private final OptionalServices services;
    private final Terminal terminal;
    private final Path workDir;

    TraceCommand(OptionalServices services, Terminal terminal, Path workDir) {
        this.services = services;
        this.terminal = terminal;
        this.workDir = workDir;
    }

    int trace(List<String> args) {
        long since = 0;
        int limit = 0;
        String call = null;
        boolean summary = false;
        String trace = null;
        try {
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "-h", "--help" -> {
                        terminal.print(TRACE_USAGE + "\n");
                        return 0;
                    }
                    case "--summary" -> summary = true;
                    case "--since" -> since = number(value(args, ++i, a), a);
                    case "--limit" -> limit = (int) Math.min(Integer.MAX_VALUE, number(value(args, ++i, a), a));
                    case "--filter" -> call = filter(value(args, ++i, a));
                    default -> {
                        String option = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
                        if (RemoteMain.CONNECTION_OPTIONS.contains(option)) {
                            // the launcher runs 'forge trace ...' here unless a connection option comes first
                            throw new IllegalArgumentException(option + " goes before the command for a node's"
                                    + " containers: forge --node URL trace CONTAINER (without it, forge trace reads"
                                    + " trace files)");
                        }
                        if (a.startsWith("-")) {
                            throw new IllegalArgumentException("unknown option '" + a + "'");
                        }
                        if (trace != null) {
                            throw new IllegalArgumentException("one trace at a time, got '" + trace + "' and '" + a
                                    + "'");
                        }
                        trace = a;
                    }
                }
            }
            if (trace == null) {
                throw new IllegalArgumentException("no trace given: a trace file or a run's trace folder");
            }
        } catch (IllegalArgumentException e) {
            terminal.error(Outcome.PREFIX + e.getMessage() + " (see 'forge trace --help')");
            return Outcome.USAGE;
        }
        Path path = workDir.resolve(trace);
        if (!Files.exists(path)) {
            terminal.error(Outcome.PREFIX + trace + ": no such file or folder");
            return Outcome.FAILED;
        }
        try {
            TracePage page = services.get(io.forgeone.api.observe.TraceService.class)
                    .read(path, new TraceQuery(since, call, limit));
            terminal.print(format(page, summary));
            return 0;
        } catch (TraceException | OptionalServices.Unavailable e) {
            LOG.debug("Cannot read trace {}", path, e);
            terminal.error(Outcome.PREFIX + Outcome.oneLine(e.getMessage()));
            return Outcome.FAILED;
        }
    }

    int replay(List<String> args) {
        if (args.size() == 1 && (args.get(0).equals("-h") || args.get(0).equals("--help"))) {
            terminal.print(REPLAY_USAGE + "\n");
            return 0;
        }
        if (args.isEmpty() || args.size() > 2 || args.stream().anyMatch(a -> a.startsWith("-"))) {
            terminal.error(Outcome.PREFIX + (args.isEmpty() ? "no trace given" : "expected TRACE [MODULE.wasm], got "
                    + args) + " (see 'forge replay --help')");
            return Outcome.USAGE;
        }
        Path trace = workDir.resolve(args.get(0));
        Path module = args.size() > 1 ? workDir.resolve(args.get(1)) : null;
        for (Path p : module == null ? List.of(trace) : List.of(trace, module)) {
            if (!Files.exists(p)) {
                terminal.error(Outcome.PREFIX + p + ": no such file or folder");
                return Outcome.FAILED;
            }
        }
        try {
            ReplayReport report = services.get(ReplayService.class).replay(trace, module);
            if (report.identical()) {
                terminal.print(report.text() + "\n");
                return 0;
            }
            terminal.error(Outcome.PREFIX + report.text());
            return Outcome.FAILED;
        } catch (TraceException | OptionalServices.Unavailable | IllegalArgumentException e) {
            LOG.debug("Cannot replay {}", trace, e);
            terminal.error(Outcome.PREFIX + Outcome.oneLine(e.getMessage()));
            return Outcome.FAILED;
        }
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException("option " + option + " needs a value");
        }
        return args.get(i);
    }

    private static long number(String text, String option) {
        try {
            long v = Long.parseLong(text.trim());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " '" + text + "': expected a number, 0 or more");
    }

    private static String filter(String text) {
        int eq = text.indexOf('=');
        if (eq < 0 || !text.substring(0, eq).trim().equals("call") || text.substring(eq + 1).isBlank()) {
            throw new IllegalArgumentException("--filter '" + text + "': expected call=NAME, e.g. call=path_open");
        }
        return text.substring(eq + 1).trim();
    }

    /** The same lines as the node's forge:trace. */
    static String format(TracePage page, boolean summary) {
        StringBuilder out = new StringBuilder();
        if (page.lost() > 0) {
            out.append(TraceFormat.lost(page.lost()));
        }
        for (TraceRecord r : page.records()) {
            if (summary) {
                if (!r.summary().isEmpty()) {
                    out.append(TraceFormat.sentence(r.sequence(), r.summary()));
                }
                continue;
            }
            out.append(TraceFormat.line(r.sequence(), r.timeNanos(), r.call(), r.arguments(), r.failure(), r.errno(),
                    r.results(), r.decision().name(), r.bytesReturned()));
        }
        if (page.ended()) {
            out.append(TraceFormat.end(summary, page.outcome(), page.exitCode()));
        }
        return out.toString();
    }
}
