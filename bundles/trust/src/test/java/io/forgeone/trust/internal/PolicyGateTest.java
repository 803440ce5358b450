package io.forgeone.trust.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.gate.Decision;
import io.forgeone.api.gate.GateContext;
import io.forgeone.api.gate.GateSession;
import io.forgeone.api.policy.Explanation;
import io.forgeone.api.policy.PolicyMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

class PolicyGateTest {
    private static final String WASI = CompiledPolicy.WASI;
    private static final GateContext WEB = new GateContext("c1", "web-1", "ab".repeat(32), Map.of("team", "blue"));
    private static final GateContext OTHER = new GateContext("c2", "batch-7", "cd".repeat(32), Map.of());

    @TempDir
    Path dir;
    private Path policies;
    private Path logFile;
    private PolicyGate gate;

    /** A host function whose description is whatever the test puts in {@code target}. */
    static class Fn implements HostFunction {
        final String module;
        final String name;
        String target;
        String newTarget;

        Fn(String module, String name) {
            this.module = module;
            this.name = name;
        }

        @Override
        public String module() {
            return module;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public FunctionSignature signature() {
            return FunctionSignature.of(List.of(), List.of());
        }

        @Override
        public long[] call(GuestMemory memory, long[] args) {
            return new long[0];
        }

        @Override
        public Map<String, Object> describe(GuestMemory memory, long[] args) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("fd", args.length > 0 ? args[0] : -1);
            if (target != null) {
                m.put("guestPath", target);
            }
            if (newTarget != null) {
                m.put("newGuestPath", newTarget);
            }
            return m;
        }
    }

    private final List<HostFunction> functions = new ArrayList<>();

    private Fn fn(String name) {
        for (HostFunction f : functions) {
            if (f.name().equals(name)) {
                return (Fn) f;
            }
        }
        throw new AssertionError(name);
    }

    private int index(String name) {
        return functions.indexOf(fn(name));
    }

    @BeforeEach
    void setUp() throws Exception {
        policies = Files.createDirectories(dir.resolve("policies"));
        logFile = dir.resolve("log/decisions.log");
        for (String n : List.of("args_get", "environ_get", "clock_time_get", "random_get", "fd_read", "fd_write",
                "path_open", "path_unlink_file", "path_rename", "path_create_directory", "proc_exit", "fd_close", "fd_readdir",
                "mystery_call")) {
            functions.add(new Fn(WASI, n));
        }
        functions.add(new Fn("kv", "get"));
        functions.add(new Fn("kv", "put"));
        Files.writeString(policies.resolve("web.yaml"), PolicyParserTest.FULL.replace("mode: audit", "mode: enforce")
                .replace("quarantine: [fs]\n", ""));
        gate = newGate("enforce");
    }

    private PolicyGate newGate(String mode) {
        TrustConfig config = Converters.standardConverter().convert(Map.of("mode", mode, "reload.ms", 100000L,
                "log.max.mib", 1, "log.keep", 2)).to(TrustConfig.class);
        return new PolicyGate(config, policies, logFile);
    }

    @AfterEach
    void tearDown() {
        gate.deactivate();
    }

    private Decision call(GateSession s, String name, long... args) {
        long[] a = args.length == 0 ? new long[9] : args;
        return s.decide(index(name), null, a);
    }

    private Decision open(GateSession s, String target, int oflags, long rights, int fdflags) {
        fn("path_open").target = target;
        return s.decide(index("path_open"), null, new long[] {3, 0, 0, 0, oflags, rights, 0, fdflags, 0});
    }

    private List<String> logLines() throws Exception {
        return Files.exists(logFile) ? Files.readAllLines(logFile) : List.of();
    }

    @Test
    void grantedCapabilitiesAreAllowedAndEverythingElseDenied() throws Exception {
        GateSession s = gate.open(WEB, functions);
        assertEquals(Decision.ALLOW, call(s, "args_get"));
        assertEquals(Decision.ALLOW, call(s, "environ_get"));
        assertEquals(Decision.ALLOW, call(s, "clock_time_get"));
        assertEquals(Decision.DENY, call(s, "random_get"));
        assertEquals(Decision.ALLOW, call(s, "fd_write", 1, 0, 0, 0));
        assertEquals(Decision.ALLOW, call(s, "fd_write", 2, 0, 0, 0));
        assertEquals(Decision.DENY, call(s, "fd_read", 0, 0, 0, 0));
        assertEquals(Decision.ALLOW, call(s, "fd_read", 5, 0, 0, 0), "own descriptors were opened through the gate");
        assertEquals(Decision.ALLOW, call(s, "proc_exit", 0));
        assertEquals(Decision.ALLOW, call(s, "fd_close", 4));
        assertEquals(Decision.DENY, call(s, "mystery_call"));
        assertEquals(Decision.ALLOW, s.decide(index("get"), null, new long[0]));
        assertEquals(Decision.DENY, s.decide(index("put"), null, new long[0]));
    }

    @Test
    void filesystemGrantsByPathAndAccess() {
        GateSession s = gate.open(WEB, functions);
        long write = 1L << 6;
        assertEquals(Decision.ALLOW, open(s, "/data/in/a.txt", 0, 2, 0), "read under /data/**");
        assertEquals(Decision.DENY, open(s, "/data/in/a.txt", 0, write, 0), "no write under /data");
        assertEquals(Decision.DENY, open(s, "/data/new.txt", 1, 2, 0), "no create under /data");
        assertEquals(Decision.DENY, open(s, "/data/a.txt", 8, 2, 0), "truncate is a write");
        assertEquals(Decision.DENY, open(s, "/data/a.txt", 0, 2, 1), "append is a write");
        assertEquals(Decision.ALLOW, open(s, "/out/r.txt", 1 | 8, write, 0));
        assertEquals(Decision.DENY, open(s, "/out/r.bin", 0, 2, 0), "glob is *.txt");
        assertEquals(Decision.DENY, open(s, "/etc/passwd", 0, 2, 0));
        assertEquals(Decision.DENY, open(s, "/data/../etc/passwd", 0, 2, 0), "normalised before matching");
        fn("path_unlink_file").target = "/data/a.txt";
        assertEquals(Decision.DENY, call(s, "path_unlink_file"));
        fn("path_unlink_file").target = "/out/a.txt";
        assertEquals(Decision.ALLOW, call(s, "path_unlink_file"));
        fn("path_rename").target = "/out/a.txt";
        fn("path_rename").newTarget = "/data/a.txt";
        assertEquals(Decision.DENY, call(s, "path_rename"), "rename into a read-only folder");
        fn("path_rename").newTarget = "/out/b.txt";
        assertEquals(Decision.ALLOW, call(s, "path_rename"));
        fn("path_create_directory").target = null;
        assertEquals(Decision.DENY, call(s, "path_create_directory"), "an undescribed path is denied");
    }

    @Test
    void everyDenialIsLoggedWithTheRuleThatDecided() throws Exception {
        GateSession s = gate.open(WEB, functions);
        call(s, "random_get");
        open(s, "/etc/passwd", 0, 2, 0);
        call(s, "args_get");
        List<String> lines = logLines();
        assertTrue(lines.size() >= 2);
        String random = lines.stream().filter(l -> l.contains("random_get")).findFirst().orElseThrow();
        assertTrue(random.contains("\"decision\":\"deny\"") && random.contains("\"rule\":\"random\"")
                && random.contains("\"container\":\"c1\"") && random.contains("\"policy\":\"web\""), random);
        String passwd = lines.stream().filter(l -> l.contains("/etc/passwd")).findFirst().orElseThrow();
        assertTrue(passwd.contains("\"rule\":\"default-deny\"") && passwd.contains("\"call\":\""
                + WASI + ".path_open\""), passwd);
        // log: allows: true in this policy, so the allowed args_get is there too, once the log's writer thread has
        // written it (allowed calls are queued; denials are written before the call goes on)
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (logLines().stream().noneMatch(l -> l.contains("args_get") && l.contains("\"decision\":\"allow\""))) {
            assertTrue(System.nanoTime() < deadline, "the allowed call was not logged: " + logLines());
            Thread.sleep(10);
        }
    }

    @Test
    void noMatchingPolicyDeniesEverythingThatReachesOut() {
        GateSession s = gate.open(OTHER, functions);
        assertEquals(Decision.DENY, call(s, "fd_write", 1, 0, 0, 0));
        assertEquals(Decision.DENY, call(s, "args_get"));
        assertEquals(Decision.ALLOW, call(s, "proc_exit", 0), "a workload may always end itself");
    }

    @Test
    void auditAndPermissiveModesAllowButLogTheWouldBeDenial() throws Exception {
        gate.deactivate();
        gate = newGate("audit");
        GateSession s = gate.open(WEB, functions);
        assertEquals(Decision.ALLOW, call(s, "random_get"));
        assertTrue(logLines().stream().anyMatch(l -> l.contains("random_get") && l.contains("audit-deny")));
        gate.deactivate();
        gate = newGate("permissive");
        s = gate.open(OTHER, functions);
        assertEquals(Decision.ALLOW, call(s, "args_get"));
        assertTrue(logLines().stream().anyMatch(l -> l.contains("batch-7") && l.contains("permissive-deny")));
    }

    @Test
    void policyChangesApplyToRunningContainersAtTheirNextCall() throws Exception {
        GateSession s = gate.open(WEB, functions);
        assertEquals(Decision.DENY, call(s, "random_get"));
        Path file = policies.resolve("web.yaml");
        Files.writeString(file, Files.readString(file).replace("random: false", "random: true"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        gate.reload();
        assertEquals(Decision.ALLOW, call(s, "random_get"));
    }

    @Test
    void aBadEditNeverReplacesTheGoodPolicy() throws Exception {
        GateSession s = gate.open(WEB, functions);
        Path file = policies.resolve("web.yaml");
        Files.writeString(file, "name: web\ngrants:\n  random: maybe\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        gate.reload();
        assertEquals(Decision.ALLOW, call(s, "args_get"), "the last good version is still in force");
        assertEquals(1, gate.problems().size());
        assertTrue(gate.problems().get(0).toString().contains("web.yaml:3"), gate.problems().toString());
        assertEquals(List.of("web"), gate.list().stream().map(p -> p.name()).toList());
    }

    @Test
    void explainSaysWhyAndWhichRule() {
        Explanation denied = gate.explain(WEB, WASI + ".path_open", Map.of("path", "/data/x", "rights", 64));
        assertEquals(Decision.DENY, denied.decision());
        assertEquals("web", denied.policy());
        assertEquals("fs[0]", denied.rule());
        assertTrue(denied.reason().contains("write /data/x is not granted"), denied.reason());
        Explanation allowed = gate.explain(WEB, WASI + ".path_open", Map.of("path", "/data/x"));
        assertEquals(Decision.ALLOW, allowed.decision());
        assertEquals(PolicyMode.ENFORCE, allowed.mode());
        Explanation none = gate.explain(OTHER, WASI + ".args_get", Map.of());
        assertEquals("none", none.policy());
        assertEquals("default-deny", none.rule());
    }

    @Test
    void theMostSpecificMatchingPolicyApplies() throws Exception {
        Files.writeString(policies.resolve("all.yaml"), "name: everyone\ngrants:\n  random: true\n");
        Files.setLastModifiedTime(policies.resolve("all.yaml"), FileTime.from(Instant.now().plusSeconds(5)));
        gate.reload();
        assertEquals("web", gate.explain(WEB, WASI + ".random_get", Map.of()).policy());
        assertEquals(Decision.ALLOW, gate.explain(OTHER, WASI + ".random_get", Map.of()).decision());
    }

    @Test
    void decisionLogRotatesBySize() throws Exception {
        DecisionLog log = new DecisionLog(dir.resolve("rot/decisions.log"), 1000, 2);
        for (int i = 0; i < 50; i++) {
            log.append(Map.of("n", i, "padding", "x".repeat(50)));
        }
        log.close();
        assertTrue(Files.size(dir.resolve("rot/decisions.log")) <= 1000);
        assertTrue(Files.exists(dir.resolve("rot/decisions.log.1")));
        assertTrue(Files.exists(dir.resolve("rot/decisions.log.2")));
        assertTrue(!Files.exists(dir.resolve("rot/decisions.log.3")));
        assertTrue(Files.readAllLines(dir.resolve("rot/decisions.log")).get(0).startsWith("{\"time\":\""));
    }

    // ---- trust score, quarantine, limits ------------------------------------------------------------------------

    private void policy(String file, String yaml) throws Exception {
        Path f = policies.resolve(file);
        Files.writeString(f, yaml);
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(5)));
        gate.reload();
        assertEquals(List.of(), gate.problems());
    }

    private static final String BASE = "name: web\nmatch: {name: web-*}\ngrants:\n  stdout: true\n"
            + "  fs:\n    - id: data-read\n      path: /data/**\n      access: [read]\n";

    @Test
    void aDenialOfARuleMarkedQuarantineQuarantinesAtOnceAndReleaseRestoresTrust() throws Exception {
        policy("web.yaml", BASE + "quarantine: [data-read]\n");
        GateSession s = gate.open(WEB, functions);
        assertEquals(100, s.trustScore());
        assertEquals(Decision.DENY, call(s, "random_get"), "random is not marked quarantine");
        assertEquals(99, s.trustScore());
        long write = 1L << 6;
        assertEquals(Decision.QUARANTINE, open(s, "/data/x", 0, write, 0));
        assertTrue(s.quarantineReason().contains("rule data-read of policy web"), s.quarantineReason());
        String line = logLines().stream().filter(l -> l.contains("\"quarantine\"")).findFirst().orElseThrow();
        assertTrue(line.contains("\"decision\":\"deny\"") && line.contains("\"rule\":\"data-read\""), line);
        s.release();
        assertEquals(100, s.trustScore());
        assertEquals("", s.quarantineReason());
        assertTrue(logLines().stream().anyMatch(l -> l.contains("\"decision\":\"release\"")));
        assertEquals(Decision.ALLOW, open(s, "/data/x", 0, 2, 0));
    }

    @Test
    void aCapabilityOrStarInTheQuarantineListCoversEveryDenialOfIt() throws Exception {
        policy("web.yaml", BASE + "quarantine: [fs]\n");
        GateSession s = gate.open(WEB, functions);
        assertEquals(Decision.DENY, call(s, "random_get"));
        assertEquals(Decision.QUARANTINE, open(s, "/etc/passwd", 0, 2, 0), "default-deny of a path call is fs");
        policy("web.yaml", BASE + "quarantine: ['*']\n");
        GateSession t = gate.open(WEB, functions);
        assertEquals(Decision.QUARANTINE, call(t, "random_get"));
    }

    @Test
    void theTrustScoreFallsWithEachDenialAndBelowTheThresholdTheContainerIsQuarantined() throws Exception {
        policy("web.yaml", BASE + "trust: {penalty: 30, threshold: 50}\n");
        GateSession s = gate.open(WEB, functions);
        assertEquals(Decision.DENY, call(s, "random_get"));
        assertEquals(70, s.trustScore());
        assertEquals(Decision.ALLOW, call(s, "fd_write", 1, 0, 0, 0), "allowed calls do not restore the score");
        assertEquals(Decision.QUARANTINE, call(s, "args_get"));
        assertEquals(40, s.trustScore());
        assertTrue(s.quarantineReason().contains("trust score fell to 40, below 50"), s.quarantineReason());
    }

    @Test
    void theDefaultTrustQuarantinesAfterAHundredDenials() throws Exception {
        GateSession s = gate.open(OTHER, functions);
        for (int i = 0; i < 99; i++) {
            assertEquals(Decision.DENY, call(s, "random_get"), "denial " + (i + 1));
        }
        assertEquals(1, s.trustScore());
        assertEquals(Decision.QUARANTINE, call(s, "random_get"));
        assertEquals(100, logLines().stream().filter(l -> l.contains("batch-7")).count(),
                "the log accounts for every denial");
    }

    @Test
    void auditModeNeverQuarantines() throws Exception {
        policy("web.yaml", BASE + "mode: audit\nquarantine: ['*']\ntrust: {penalty: 100, threshold: 100}\n");
        GateSession s = gate.open(WEB, functions);
        assertEquals(Decision.ALLOW, call(s, "random_get"));
        assertEquals(Decision.ALLOW, call(s, "random_get"));
        assertEquals(100, s.trustScore());
    }

    @Test
    void policyLimitsTightenTheContainerAndItsEnvironmentIsFilteredByName() throws Exception {
        policy("web.yaml", BASE.replace("grants:\n", "grants:\n  env: [LANG]\n")
                + "limits: {memoryPages: 16, wallTime: 5s, cpuTime: 1500ms}\n");
        var asked = io.forgeone.api.container.ContainerLimits.DEFAULT;
        var got = gate.limits(WEB, asked);
        assertEquals(16, got.maxMemoryPages());
        assertEquals(java.time.Duration.ofSeconds(5), got.wallTimeout());
        assertEquals(java.time.Duration.ofMillis(1500), got.cpuTime());
        assertEquals(asked.logBufferBytes(), got.logBufferBytes());
        var tight = asked.withMaxMemoryPages(4).withWallTimeout(java.time.Duration.ofSeconds(1));
        assertEquals(4, gate.limits(WEB, tight).maxMemoryPages(), "a policy never loosens");
        assertEquals(java.time.Duration.ofSeconds(1), gate.limits(WEB, tight).wallTimeout());
        assertEquals(asked, gate.limits(OTHER, asked), "no policy, no policy limits");
        assertEquals(Map.of("LANG", "C"), gate.environment(WEB, Map.of("LANG", "C", "SECRET", "s")));
        assertEquals(Map.of(), gate.environment(OTHER, Map.of("LANG", "C")), "no policy, no variables");
    }

    /** Guest memory over a byte array, little-endian as wasm. */
    static final class Memory implements GuestMemory {
        final java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(65536).order(java.nio.ByteOrder.LITTLE_ENDIAN);

        @Override
        public long size() {
            return bytes.capacity();
        }

        @Override
        public byte readByte(long address) {
            return bytes.get((int) address);
        }

        @Override
        public void writeByte(long address, byte value) {
            bytes.put((int) address, value);
        }

        @Override
        public int readI32(long address) {
            return bytes.getInt((int) address);
        }

        @Override
        public void writeI32(long address, int value) {
            bytes.putInt((int) address, value);
        }

        @Override
        public long readI64(long address) {
            return bytes.getLong((int) address);
        }

        @Override
        public void writeI64(long address, long value) {
            bytes.putLong((int) address, value);
        }

        @Override
        public void read(long address, byte[] target, int offset, int length) {
            bytes.get((int) address, target, offset, length);
        }

        @Override
        public void write(long address, byte[] source, int offset, int length) {
            bytes.put((int) address, source, offset, length);
        }
    }

    @Test
    void theBytesWrittenLimitDeniesTheWriteThatWouldPassIt() throws Exception {
        policy("web.yaml", BASE + "limits: {bytesWritten: 1KiB}\n");
        GateSession s = gate.open(WEB, functions);
        Memory m = new Memory();
        // two iovecs at 100: 300 + 200 bytes
        m.writeI32(100, 0);
        m.writeI32(104, 300);
        m.writeI32(108, 0);
        m.writeI32(112, 200);
        long[] write = {1, 100, 2, 200};
        assertEquals(Decision.ALLOW, s.decide(index("fd_write"), m, write));
        assertEquals(Decision.ALLOW, s.decide(index("fd_write"), m, write));
        assertEquals(Decision.DENY, s.decide(index("fd_write"), m, write), "1000 written, 500 more would pass 1024");
        String line = logLines().stream().filter(l -> l.contains("limits.bytesWritten")).findFirst().orElseThrow();
        assertTrue(line.contains("writing 500 more bytes would pass the limit of 1024 bytes (1000 written)"), line);
        m.writeI32(104, 24);
        m.writeI32(112, 0);
        assertEquals(Decision.ALLOW, s.decide(index("fd_write"), m, write), "exactly up to the limit");
    }

    @Test
    void theFilesOpenLimitDeniesOpeningOneMore() throws Exception {
        policy("web.yaml", BASE + "limits: {filesOpen: 2}\n");
        GateSession s = gate.open(WEB, functions);
        Fn open = new Fn(WASI, "path_open") {
            int held;

            @Override
            public Map<String, Object> describe(GuestMemory memory, long[] args) {
                Map<String, Object> d = super.describe(memory, args);
                d.put("openedFiles", held++);
                return d;
            }
        };
        open.target = "/data/a";
        GateSession t = gate.open(WEB, List.of(open));
        long[] args = {3, 0, 0, 0, 0, 2, 0, 0, 0};
        assertEquals(Decision.ALLOW, t.decide(0, null, args));
        assertEquals(Decision.ALLOW, t.decide(0, null, args));
        assertEquals(Decision.DENY, t.decide(0, null, args), "2 held, the limit is 2");
        assertTrue(logLines().stream().anyMatch(l -> l.contains("limits.filesOpen")));
        s.close();
    }

    @Test
    void theCallsPerSecondLimitSlowsTheCallerDown() throws Exception {
        policy("web.yaml", BASE + "limits: {callsPerSecond: 50}\n");
        GateSession s = gate.open(WEB, functions);
        long start = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            call(s, "fd_write", 1, 0, 0, 0);
        }
        long burst = System.nanoTime() - start;
        for (int i = 0; i < 25; i++) {
            assertEquals(Decision.ALLOW, call(s, "fd_write", 1, 0, 0, 0));
        }
        long total = System.nanoTime() - start;
        assertTrue(total - burst >= 400_000_000L, "25 calls past a burst of 50 at 50/s take about 500 ms, took "
                + (total - burst) / 1_000_000 + " ms");
    }

    @Test
    void listingADirectoryIsReadingItEvenAPreopenTheGuestHolds() {
        GateSession s = gate.open(WEB, functions);
        fn("fd_readdir").target = "/data/in";
        assertEquals(Decision.ALLOW, call(s, "fd_readdir", 4, 0, 0, 0, 0), "read is granted under /data");
        fn("fd_readdir").target = "/other";
        assertEquals(Decision.DENY, call(s, "fd_readdir", 5, 0, 0, 0, 0), "another preopen is not granted");
        fn("fd_readdir").target = null;
        assertEquals(Decision.ALLOW, call(s, "fd_readdir", 1, 0, 0, 0, 0), "not a directory: fails by itself");
    }

    @Test
    void aPathCallOnADescriptorThatIsNoDirectoryIsLeftToFailByItself() {
        GateSession s = gate.open(WEB, functions);
        Fn open = new Fn(WASI, "path_open") {
            @Override
            public Map<String, Object> describe(GuestMemory memory, long[] args) {
                Map<String, Object> d = super.describe(memory, args);
                d.put("guestPathError", "ENOTDIR");
                return d;
            }
        };
        GateSession t = gate.open(WEB, List.of(open));
        assertEquals(Decision.ALLOW, t.decide(0, null, new long[] {1, 0, 0, 0, 1, 1L << 6, 0, 0, 0}),
                "the WASI layer answers ENOTDIR itself; the gate must not turn it into ENOTCAPABLE");
        s.close();
    }
}
