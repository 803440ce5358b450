package io.forgeone.cli.internal;

import io.forgeone.api.policy.AuditListener;
import io.forgeone.api.policy.AuditLog;
import io.forgeone.api.policy.AuditProblem;
import io.forgeone.api.policy.AuditQuery;
import io.forgeone.api.policy.AuditRecord;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code forge audit}: the node's decision log ({@code var/log/decisions.log} and its rotated files), filtered,
 * as a table for people or as the log's own JSON lines ({@code --json}), and followed with {@code -f}. A line of
 * the log that is not a record is named on stderr ({@code FILE:LINE}) and skipped; it does not change the exit
 * code.
 */
final class AuditCommand {
    private static final Logger LOG = LoggerFactory.getLogger(AuditCommand.class);
    private static final Set<String> VALUED = Set.of("--container", "--decision", "--call", "--policy", "--rule",
            "--since", "--until", "-n", "--tail");
    private static final Set<String> SWITCHES = Set.of("-f", "--follow", "--json");
    /** Records following shows before the new ones when no -n is given, as tail -f does. */
    static final int FOLLOW_TAIL = 10;
    /** Skipped lines named one by one before they are only counted. */
    static final int SKIPS_SHOWN = 20;
    private static final Pattern AGO = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
    private static final String HINT = "see 'forge audit --help'";
    static final String HEADER = String.format("%-23s  %-15s  %-20s  %-22s  %-14s  %-16s  %s%n", "TIME (UTC)",
            "DECISION", "CONTAINER", "CALL", "POLICY", "RULE", "REASON");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);
    private static final String WASI = "wasi_snapshot_preview1.";
    /** Output is gathered up to this many characters before it is written (one write per record is slow). */
    private static final int BUFFER = 64 * 1024;
    private static final long FLUSH_NANOS = Duration.ofMillis(200).toNanos();

    private final OptionalServices services;
    private final Terminal terminal;
    private final Clock clock;
    private volatile Thread following;
    private volatile boolean closing;

    AuditCommand(OptionalServices services, Terminal terminal, Clock clock) {
        this.services = Objects.requireNonNull(services, "services");
        this.terminal = Objects.requireNonNull(terminal, "terminal");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** What the command line asks for. */
    record Options(AuditQuery query, boolean follow, boolean json) {
    }

    /** Runs the arguments after {@code audit}; returns the process exit code. */
    int execute(List<String> args) {
        Options options;
        try {
            CommandLine line = CommandLine.parse(args, VALUED, Set.of("--decision"), SWITCHES);
            if (line.help()) {
                terminal.print(HelpText.audit());
                return 0;
            }
            line.noOperands("audit");
            options = options(line, clock.instant());
        } catch (IllegalArgumentException e) {
            terminal.error(Outcome.PREFIX + e.getMessage() + " (" + HINT + ")");
            return Outcome.USAGE;
        }
        AuditLog log;
        try {
            log = services.get(AuditLog.class);
        } catch (OptionalServices.Unavailable e) {
            terminal.error(Outcome.PREFIX + e.getMessage());
            return Outcome.FAILED;
        }
        Printer printer = new Printer(options.json());
        try {
            if (options.follow()) {
                following = Thread.currentThread();
                if (closing) {
                    return Outcome.INTERRUPTED;
                }
                log.follow(options.query(), printer);
            } else {
                log.read(options.query(), printer);
            }
        } catch (UncheckedIOException e) {
            LOG.debug("forge audit cannot read {}", log.file(), e);
            printer.flush();
            terminal.error(Outcome.PREFIX + Outcome.oneLine(e.getMessage()));
            return Outcome.FAILED;
        } catch (InterruptedException e) {
            printer.flush();
            return Outcome.INTERRUPTED;
        } finally {
            following = null;
            Thread.interrupted(); // an interrupt meant for the follow must not outlive it
        }
        printer.flush();
        if (closing && options.follow()) {
            return Outcome.INTERRUPTED; // the node went away under the follower (Ctrl-C, SIGTERM)
        }
        printer.summary(options.follow(), log);
        return 0;
    }

    /** The node is stopping: a follower stops at once. */
    void close() {
        closing = true;
        Thread t = following;
        if (t != null) {
            t.interrupt();
        }
    }

    static Options options(CommandLine line, Instant now) {
        AuditQuery q = AuditQuery.ALL.withContainer(line.value("--container")).withCall(line.value("--call"))
                .withPolicy(line.value("--policy")).withRule(line.value("--rule"));
        Set<String> decisions = new LinkedHashSet<>();
        for (String value : line.values("--decision")) {
            for (String d : value.split(",", -1)) {
                String decision = d.trim().toLowerCase(Locale.ROOT);
                if (!AuditRecord.DECISIONS.contains(decision)) {
                    throw new IllegalArgumentException("--decision '" + d.trim() + "' is not one of "
                            + String.join(", ", AuditRecord.DECISIONS));
                }
                decisions.add(decision);
            }
        }
        q = q.withDecisions(decisions);
        Instant since = line.value("--since") == null ? null : time("--since", line.value("--since"), now);
        Instant until = line.value("--until") == null ? null : time("--until", line.value("--until"), now);
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("--since " + since + " is not before --until " + until);
        }
        q = q.withSince(since).withUntil(until);
        boolean follow = line.flag("-f") || line.flag("--follow");
        if (follow && until != null) {
            throw new IllegalArgumentException("--until and --follow do not go together: a followed log has no end");
        }
        String n = line.value("-n");
        String tail = line.value("--tail");
        if (n != null && tail != null) {
            throw new IllegalArgumentException("give -n or --tail, not both");
        }
        if (n != null || tail != null) {
            q = q.withTail(count(n != null ? "-n" : "--tail", n != null ? n : tail));
        } else if (follow) {
            q = q.withTail(FOLLOW_TAIL);
        }
        for (String option : List.of("--container", "--call", "--policy", "--rule")) {
            String value = line.value(option);
            if (value != null && value.isBlank()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
        }
        return new Options(q, follow, line.flag("--json"));
    }

    private static int count(String name, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below, with the option's name
        }
        throw new IllegalArgumentException(name + " '" + value + "' is not a count (0 for all)");
    }

    /** {@code 10m} ago (ms, s, m, h, d), an instant ({@code 2026-11-22T07:00:00Z}, or with an offset), or a UTC date. */
    static Instant time(String name, String value, Instant now) {
        Matcher m = AGO.matcher(value);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(d);
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notADate) {
                throw new IllegalArgumentException(name + " '" + value + "' is neither a time ago (30s, 10m, 2h, 1d)"
                        + " nor a time with its zone (2026-11-22T07:00:00Z, 2026-11-22T08:00:00+01:00) nor a date"
                        + " (2026-11-22, UTC)");
            }
        }
    }

    /** One table row: times in UTC as the log has them; WASI calls by their function name. */
    static String row(AuditRecord r) {
        String call = r.call().startsWith(WASI) ? r.function() : r.call();
        String reason = r.reason();
        Object quarantine = r.extra().get("quarantine");
        if (quarantine != null) {
            reason = reason + " [quarantined: " + quarantine + "]";
        }
        return String.format("%-23s  %-15s  %-20s  %-22s  %-14s  %-16s  %s%n", TIME.format(r.time()), r.decision(),
                r.name().isEmpty() ? r.container() : r.name(), call.isEmpty() ? "-" : call,
                r.policy().isEmpty() ? "-" : r.policy(), r.rule().isEmpty() ? "-" : r.rule(),
                reason.replace("\r", "\\r").replace("\n", "\\n"));
    }

    /** Writes records as they come, in chunks; names skipped lines on stderr; stops when stdout is gone. */
    private final class Printer implements AuditListener {
        private final boolean json;
        private final StringBuilder out = new StringBuilder();
        private long records;
        private long skipped;
        private long lastFlush = System.nanoTime();
        private boolean gone;

        Printer(boolean json) {
            this.json = json;
        }

        @Override
        public boolean record(AuditRecord record) {
            if (json) {
                out.append(record.json()).append('\n');
            } else {
                if (records == 0) {
                    out.append(HEADER);
                }
                out.append(row(record));
            }
            records++;
            if (out.length() >= BUFFER || System.nanoTime() - lastFlush > FLUSH_NANOS) {
                flush();
            }
            return !gone;
        }

        @Override
        public void skipped(AuditProblem problem) {
            skipped++;
            if (skipped <= SKIPS_SHOWN) {
                flush(); // keep the warning next to the records around it
                terminal.error("forge: warning: skipped " + problem);
            }
        }

        @Override
        public boolean idle() {
            flush();
            return !gone && !closing;
        }

        void flush() {
            if (out.length() > 0 && !gone) {
                // a closed pipe (forge audit -f | head) ends the command: the reader has had enough
                gone = !terminal.printChecked(out.toString());
            }
            out.setLength(0);
            lastFlush = System.nanoTime();
        }

        void summary(boolean following, AuditLog log) {
            if (skipped > SKIPS_SHOWN) {
                terminal.error("forge: warning: skipped " + skipped + " lines in all (the first " + SKIPS_SHOWN
                        + " are named above)");
            }
            if (records == 0 && !json && !following && !gone) {
                terminal.error("no matching records in " + log.file() + " (and its rotated files)");
            }
        }
    }
}
