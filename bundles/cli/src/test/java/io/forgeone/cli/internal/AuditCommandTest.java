package io.forgeone.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.policy.AuditProblem;
import io.forgeone.api.policy.AuditQuery;
import io.forgeone.api.policy.AuditRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code forge audit}: options to a query, records to a table or JSON lines, following and its end. */
@Timeout(30)
class AuditCommandTest {
    private static final Instant NOW = Instant.parse("2026-11-22T08:00:00Z");

    @TempDir
    Path tmp;

    private final Console console = new Console();
    private final PolicyFakes.Audit log = new PolicyFakes.Audit();
    private ForgeCommand forge;

    @BeforeEach
    void setUp() {
        forge = new ForgeCommand(new FakeRuntime(), console.terminal, "1", "java", n -> null,
                PackageFakes.services(), PolicyFakes.services(log), tmp);
    }

    private int forge(String... args) {
        return forge.applyAsInt(args);
    }

    static AuditRecord record(String time, String name, String call, String decision, String reason,
            Map<String, Object> extra) {
        return new AuditRecord(Instant.parse(time), "0123456789ab", name, "sha256:ab", call, Map.of("fd", 1L),
                decision, "web", "fs[0]", reason, extra, "{\"time\":\"" + time + "\",\"name\":\"" + name + "\"}");
    }

    private static AuditCommand.Options options(String... args) {
        return AuditCommand.options(CommandLine.parse(List.of(args), Set.of("--container", "--decision", "--call",
                "--policy", "--rule", "--since", "--until", "-n", "--tail"), Set.of("--decision"),
                Set.of("-f", "--follow", "--json")), NOW);
    }

    @Test
    void optionsBecomeTheQuery() {
        assertEquals(new AuditQuery("web-1", Set.of("deny", "audit-deny", "allow"), "path_open", "web", "fs",
                Instant.parse("2026-11-22T07:50:00Z"), Instant.parse("2026-11-22T07:59:00Z"), 5),
                options("--container", "web-1", "--decision", "deny,audit-deny", "--decision=ALLOW", "--call",
                        "path_open", "--policy=web", "--rule", "fs", "--since", "10m", "--until",
                        "2026-11-22T08:59:00+01:00", "-n", "5").query());
        assertEquals(AuditQuery.ALL.withSince(Instant.parse("2026-11-21T00:00:00Z")), options("--since",
                "2026-11-21").query());
        assertEquals(Instant.parse("2026-11-21T08:00:00Z"), options("--since", "1d").query().since());
        assertEquals(Instant.parse("2026-11-22T07:59:59.750Z"), options("--since", "250ms").query().since());
        assertEquals(AuditQuery.ALL.withTail(10), options("-f").query(), "following shows the last 10 first");
        assertEquals(AuditQuery.ALL, options("--follow", "--tail", "0").query());
        assertTrue(options("-f", "--json").follow() && options("--json").json());
    }

    @Test
    void badOptionsExitTwoWithOneLine() {
        Map<List<String>, String> cases = new LinkedHashMap<>();
        cases.put(List.of("--frob"), "unknown option '--frob'");
        cases.put(List.of("web-1"), "audit takes no arguments, got: web-1");
        cases.put(List.of("--container"), "--container needs a value");
        cases.put(List.of("--container="), "--container needs a value");
        cases.put(List.of("--decision", "denied"), "--decision 'denied' is not one of deny, audit-deny,"
                + " permissive-deny, allow, release");
        cases.put(List.of("--since", "yesterday"), "--since 'yesterday' is neither a time ago (30s, 10m, 2h, 1d)");
        cases.put(List.of("--until", "2026-11-22T07:00"), "--until '2026-11-22T07:00' is neither");
        cases.put(List.of("--since", "1h", "--until", "2h"), "--since 2026-11-22T07:00:00Z is not before --until");
        cases.put(List.of("-n", "ten"), "-n 'ten' is not a count (0 for all)");
        cases.put(List.of("-n", "1", "--tail", "2"), "give -n or --tail, not both");
        cases.put(List.of("--since", "1h", "--since", "2h"), "--since given more than once");
        cases.put(List.of("-f", "--until", "1h"), "--until and --follow do not go together");
        cases.put(List.of("--json=true"), "--json takes no value");
        AuditCommand command = new AuditCommand(PolicyFakes.services(log), console.terminal,
                java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC));
        cases.forEach((args, message) -> {
            console.stderr.reset();
            assertEquals(2, command.execute(args), args.toString());
            String err = console.err();
            assertTrue(err.startsWith("forge: error: " + message), args + ": " + err);
            assertTrue(err.endsWith(" (see 'forge audit --help')\n") && err.indexOf('\n') == err.length() - 1, err);
        });
        assertEquals("", console.out());
        assertEquals(null, log.query, "the log was never read");
    }

    @Test
    void aTableForPeopleWithSkippedLinesNamedOnStderr() {
        log.records.add(record("2026-11-22T07:00:01.5Z", "web-1", "wasi_snapshot_preview1.path_open", "deny",
                "write /data/x is not granted", Map.of()));
        log.records.add(record("2026-11-22T07:00:02Z", "batch-7", "kv.get", "deny", "kv.get is not granted",
                Map.of("quarantine", "rule default-deny", "trustScore", 99L)));
        log.problems.add(new AuditProblem("/opt/forge/var/log/decisions.log.1", 17, "column 1: unexpected 'x'"));
        assertEquals(0, forge("audit", "--decision", "deny"));
        assertEquals(AuditQuery.ALL.withDecisions(Set.of("deny")), log.query);
        String[] lines = console.out().split("\n");
        assertEquals(3, lines.length, console.out());
        assertEquals(AuditCommand.HEADER.strip(), lines[0].strip());
        assertEquals(String.format("%-23s  %-15s  %-20s  %-22s  %-14s  %-16s  %s", "2026-11-22 07:00:01.500", "deny",
                "web-1", "path_open", "web", "fs[0]", "write /data/x is not granted"), lines[1]);
        assertTrue(lines[2].contains("  kv.get  ") && lines[2].endsWith("kv.get is not granted [quarantined: rule"
                + " default-deny]"), lines[2]);
        assertEquals("forge: warning: skipped /opt/forge/var/log/decisions.log.1:17: column 1: unexpected 'x'\n",
                console.err());
    }

    @Test
    void jsonIsTheLogsOwnLines() {
        log.records.add(record("2026-11-22T07:00:01Z", "web-1", "kv.get", "allow", "granted", Map.of()));
        assertEquals(0, forge("audit", "--json"));
        assertEquals("{\"time\":\"2026-11-22T07:00:01Z\",\"name\":\"web-1\"}\n", console.out());
    }

    @Test
    void nothingMatchedIsSaidAndIsNoError() {
        assertEquals(0, forge("audit", "--container", "ghost"));
        assertEquals("", console.out());
        assertEquals("no matching records in /opt/forge/var/log/decisions.log (and its rotated files)\n",
                console.err());
    }

    @Test
    void manySkippedLinesAreCounted() {
        for (int i = 1; i <= 30; i++) {
            log.problems.add(new AuditProblem("f", i, "bad"));
        }
        assertEquals(0, forge("audit", "--json"));
        assertTrue(console.err().contains("skipped f:20: bad\n") && !console.err().contains("f:21:"), console.err());
        assertTrue(console.err().endsWith("forge: warning: skipped 30 lines in all (the first 20 are named above)\n"));
    }

    @Test
    void anUnreadableLogIsExitOne() {
        log.failure = new UncheckedIOException("cannot read the decision log /x: Permission denied",
                new IOException("Permission denied"));
        assertEquals(1, forge("audit"));
        assertEquals("forge: error: cannot read the decision log /x: Permission denied\n", console.err());
    }

    @Test
    void withoutTheTrustBundleItSaysSo() {
        ForgeCommand bare = new ForgeCommand(new FakeRuntime(), console.terminal, "1", "java", n -> null,
                PackageFakes.services(), tmp);
        assertEquals(1, bare.applyAsInt(new String[] {"audit"}));
        assertEquals("forge: error: no AuditLog service: the trust bundle (io.forgeone.trust) is not installed or did"
                + " not start (see the log)\n", console.err());
    }

    @Test
    void followingEndsWhenTheNodeStops() throws Exception {
        log.records.add(record("2026-11-22T07:00:01Z", "web-1", "kv.get", "deny", "no", Map.of()));
        AtomicInteger code = new AtomicInteger(-1);
        Thread t = new Thread(() -> code.set(forge("audit", "-f")));
        t.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (log.idles < 2) {
            assertTrue(System.nanoTime() < deadline, "never followed");
            Thread.sleep(5);
        }
        assertTrue(console.out().contains("web-1"), "the record before the follow is shown at once");
        forge.deactivate(); // the framework stops: Ctrl-C or SIGTERM
        t.join(10_000);
        assertEquals(Outcome.INTERRUPTED, code.get());
        assertEquals(AuditQuery.ALL.withTail(10), log.query);
    }

    @Test
    void followingEndsQuietlyWhenStdoutIsGone() throws Exception {
        OutputStream closed = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        Console errors = new Console();
        Terminal terminal = new Terminal(new ByteArrayInputStream(new byte[0]), closed, errors.stderr);
        ForgeCommand piped = new ForgeCommand(new FakeRuntime(), terminal, "1", "java", n -> null,
                PackageFakes.services(), PolicyFakes.services(log), tmp);
        log.records.add(record("2026-11-22T07:00:01Z", "web-1", "kv.get", "deny", "no", Map.of()));
        assertEquals(0, piped.applyAsInt(new String[] {"audit", "-f"}));
        assertEquals("", errors.err());
    }

    @Test
    void help() {
        assertEquals(0, forge("audit", "--help"));
        assertTrue(console.out().startsWith("Usage: forge audit [OPTIONS]"));
        console.stdout.reset();
        assertEquals(0, forge("help", "audit"));
        assertTrue(console.out().startsWith("Usage: forge audit [OPTIONS]"));
        assertThrows(IllegalArgumentException.class, () -> options("--nope"));
    }
}
