package io.forgeone.shell.internal;

import io.forgeone.api.policy.AuditQuery;
import io.forgeone.api.policy.AuditRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options of {@code forge:audit}, as one query and three switches. {@code --opt VALUE} and {@code --opt=VALUE}
 * both work; a mistake is an IllegalArgumentException naming the option and the value.
 *
 * @param query what to read
 * @param follow keep reading new records ({@code -f})
 * @param json print the log's own lines ({@code --json})
 * @param tailGiven whether {@code -n} was given (following shows the last 10 otherwise)
 */
record AuditOptions(AuditQuery query, boolean follow, boolean json, boolean tailGiven) {
    static final String USAGE = "forge:audit [--container ID|NAME] [--decision D[,D...]] [--call NAME] [--policy P]"
            + " [--rule R] [--since 10m|TIME] [--until TIME] [-n N] [-f] [--json]";
    /** How many records following shows before the new ones when no -n is given, as tail -f does. */
    static final int FOLLOW_TAIL = 10;
    private static final Set<String> VALUED = Set.of("--container", "--decision", "--call", "--policy", "--rule",
            "--since", "--until", "-n", "--tail");
    private static final Pattern AGO = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    static AuditOptions parse(String[] args, Instant now) {
        AuditQuery q = AuditQuery.ALL;
        boolean follow = false;
        boolean json = false;
        boolean tailGiven = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            switch (name) {
                case "-f", "--follow", "--json" -> {
                    if (eq > 0) {
                        throw new IllegalArgumentException(name + " takes no value");
                    }
                    if (name.equals("--json")) {
                        json = true;
                    } else {
                        follow = true;
                    }
                    continue;
                }
                default -> {
                    // an option with a value, handled below
                }
            }
            if (!name.startsWith("-")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (usage: " + USAGE + ")");
            }
            if (!VALUED.contains(name)) {
                throw new IllegalArgumentException("unknown option '" + name + "' (usage: " + USAGE + ")");
            }
            String value = eq > 0 ? arg.substring(eq + 1) : i + 1 < args.length ? args[++i] : null;
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " needs a value (usage: " + USAGE + ")");
            }
            switch (name) {
                case "--container" -> q = q.withContainer(value);
                case "--decision" -> q = q.withDecisions(decisions(value, q.decisions()));
                case "--call" -> q = q.withCall(value);
                case "--policy" -> q = q.withPolicy(value);
                case "--rule" -> q = q.withRule(value);
                case "--since" -> q = q.withSince(time("--since", value, now));
                case "--until" -> q = q.withUntil(time("--until", value, now));
                case "-n", "--tail" -> {
                    q = q.withTail(count(name, value));
                    tailGiven = true;
                }
                default -> throw new IllegalStateException("option " + name + " is in VALUED but not handled");
            }
        }
        if (follow && q.until() != null) {
            throw new IllegalArgumentException("--until and --follow do not go together: a followed log has no end");
        }
        if (follow && !tailGiven) {
            q = q.withTail(FOLLOW_TAIL);
        }
        return new AuditOptions(q, follow, json, tailGiven);
    }

    private static Set<String> decisions(String value, Set<String> already) {
        Set<String> out = new LinkedHashSet<>(already);
        for (String d : value.split(",", -1)) {
            String decision = d.trim().toLowerCase(Locale.ROOT);
            if (!AuditRecord.DECISIONS.contains(decision)) {
                throw new IllegalArgumentException("--decision '" + d.trim() + "' is not one of "
                        + String.join(", ", AuditRecord.DECISIONS));
            }
            out.add(decision);
        }
        return out;
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
}
