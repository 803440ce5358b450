package io.forgeone.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.policy.AuditListener;
import io.forgeone.api.policy.AuditLog;
import io.forgeone.api.policy.AuditProblem;
import io.forgeone.api.policy.AuditQuery;
import io.forgeone.api.policy.AuditRecord;
import io.forgeone.api.policy.AuditResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuditCommandsTest {
    private static final Instant NOW = Instant.parse("2026-11-22T08:00:00Z");

    /** Hands over fixed records and problems, and keeps the query it was given. */
    static final class Recorded implements AuditLog {
        final List<AuditRecord> records = new ArrayList<>();
        final List<AuditProblem> problems = new ArrayList<>();
        AuditQuery query;
        int idles;

        @Override
        public Path file() {
            return Path.of("/var/forge/log/decisions.log");
        }

        @Override
        public AuditResult query(AuditQuery q) {
            query = q;
            return new AuditResult(records, problems);
        }

        @Override
        public void read(AuditQuery q, AuditListener listener) {
            query = q;
            problems.forEach(listener::skipped);
            for (AuditRecord r : records) {
                if (!listener.record(r)) {
                    return;
                }
            }
        }

        @Override
        public void follow(AuditQuery q, AuditListener listener) {
            read(q, listener);
            while (listener.idle()) {
                if (++idles > 1000) {
                    throw new AssertionError("the follower never stopped");
                }
            }
        }
    }

    private final Recorded log = new Recorded();
    private final AuditCommands commands = new AuditCommands(log, Clock.fixed(NOW, ZoneOffset.UTC));
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private void run(String... args) throws InterruptedException {
        follow(null, args);
    }

    private void follow(String keys, String... args) throws InterruptedException {
        commands.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8), keys == null ? null : new ByteArrayInputStream(keys.getBytes(StandardCharsets.UTF_8)));
    }

    static AuditRecord record(String time, String name, String call, String decision, String rule, String reason,
            Map<String, Object> extra) {
        String json = "{\"time\":\"" + time + "\",\"name\":\"" + name + "\"}";
        return new AuditRecord(Instant.parse(time), "0123456789ab", name, "sha256:ab", call, Map.of("fd", 1L),
                decision, "web", rule, reason, extra, json);
    }

    @Test
    void optionsBecomeTheQuery() throws Exception {
        run("--container", "web-1", "--decision", "deny,audit-deny", "--decision=allow", "--call", "path_open",
                "--policy=web", "--rule", "fs", "--since", "10m", "--until", "2026-11-22T07:59:00+00:00", "-n", "5");
        assertEquals(new AuditQuery("web-1", Set.of("deny", "audit-deny", "allow"), "path_open", "web", "fs",
                Instant.parse("2026-11-22T07:50:00Z"), Instant.parse("2026-11-22T07:59:00Z"), 5), log.query);

        run("--since", "2026-11-21", "--tail=0");
        assertEquals(AuditQuery.ALL.withSince(Instant.parse("2026-11-21T00:00:00Z")), log.query);
        run("--since", "2026-11-22T08:30:00+01:00");
        assertEquals(AuditQuery.ALL.withSince(Instant.parse("2026-11-22T07:30:00Z")), log.query);
        for (String[] ago : new String[][] {{"1500ms", "2026-11-22T07:59:58.500Z"}, {"30s", "2026-11-22T07:59:30Z"},
            {"2h", "2026-11-22T06:00:00Z"}, {"1d", "2026-11-21T08:00:00Z"}}) {
            run("--since", ago[0]);
            assertEquals(Instant.parse(ago[1]), log.query.since(), ago[0]);
        }
    }

    @Test
    void badOptionsAreOneClearMessage() {
        Map<List<String>, String> cases = new LinkedHashMap<>();
        cases.put(List.of("--frob"), "unknown option '--frob'");
        cases.put(List.of("web-1"), "unexpected argument 'web-1'");
        cases.put(List.of("--container"), "--container needs a value");
        cases.put(List.of("--decision", "denied"), "--decision 'denied' is not one of deny, audit-deny, permissive-deny,"
                + " allow, release");
        cases.put(List.of("--since", "yesterday"), "--since 'yesterday' is neither a time ago");
        cases.put(List.of("--since", "2026-11-22T07:00:00"), "--since '2026-11-22T07:00:00' is neither");
        cases.put(List.of("-n", "x"), "-n 'x' is not a count");
        cases.put(List.of("--tail", "-3"), "--tail '-3' is not a count");
        cases.put(List.of("-f", "--until", "1h"), "--until and --follow do not go together");
        cases.put(List.of("--since", "1h", "--until", "2h"), "must be before until");
        cases.put(List.of("--json=yes"), "--json takes no value");
        cases.forEach((args, message) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> run(args.toArray(String[]::new)), args.toString());
            assertTrue(e.getMessage().contains(message), args + ": " + e.getMessage());
        });
        assertEquals(0, out.size(), "nothing printed for a bad command line");
    }

    @Test
    void aTableForPeopleAndTheLogsOwnLinesForScripts() throws Exception {
        log.records.add(record("2026-11-22T07:00:01.5Z", "web-1", "wasi_snapshot_preview1.path_open", "deny", "fs[0]",
                "write /data/x\nis not granted", Map.of()));
        log.records.add(record("2026-11-22T07:00:02Z", "batch-7", "kv.get", "deny", "default-deny",
                "kv.get is not granted", Map.of("quarantine", "rule default-deny")));
        log.problems.add(new AuditProblem("/var/forge/log/decisions.log.1", 17, "column 1: unexpected 'x'"));
        run();
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[0].startsWith("TIME (UTC)               DECISION         CONTAINER"), lines[0]);
        assertEquals("2026-11-22 07:00:01.500  deny             web-1                 path_open               web"
                + "             fs[0]             write /data/x\\nis not granted", lines[1]);
        assertTrue(lines[2].contains("kv.get") && lines[2].endsWith("kv.get is not granted [quarantined: rule"
                + " default-deny]"), lines[2]);
        assertEquals("skipped /var/forge/log/decisions.log.1:17: column 1: unexpected 'x'\n",
                err.toString(StandardCharsets.UTF_8));

        out.reset();
        run("--json");
        assertEquals("{\"time\":\"2026-11-22T07:00:01.5Z\",\"name\":\"web-1\"}\n"
                + "{\"time\":\"2026-11-22T07:00:02Z\",\"name\":\"batch-7\"}\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void nothingToShowIsSaid() throws Exception {
        run("--decision", "release");
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertEquals("no matching records\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void manySkippedLinesAreCounted() throws Exception {
        for (int i = 1; i <= 25; i++) {
            log.problems.add(new AuditProblem("f", i, "bad"));
        }
        run("--json");
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("skipped f:20: bad\n") && !text.contains("f:21:"), text);
        assertTrue(text.endsWith("skipped 25 lines in all (the first 20 are named above)\n"), text);
    }

    @Test
    void followShowsTheLastTenByDefaultAndStopsAtEnter() throws Exception {
        log.records.add(record("2026-11-22T07:00:00Z", "web-1", "kv.get", "deny", "r", "x", Map.of()));
        follow("\n", "-f", "--container", "web");
        assertEquals(AuditQuery.ALL.withContainer("web").withTail(10), log.query);
        assertEquals(0, log.idles, "Enter was already pressed: the first idle look stops it");
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("following /var/forge/log/decisions.log"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("web-1"));

        follow("\n", "-f", "-n", "0");
        assertEquals(AuditQuery.ALL, log.query, "-n 0: everything, then new records");
    }
}
