package io.forgeone.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.container.StopReason;
import io.forgeone.api.policy.PolicyService;
import io.forgeone.api.wasi.Preopen;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Trust score, quarantine and policy limits in a real node with the policy gate, driven through the runtime and
 * the Gogo commands, with real wasm programs.
 */
@Timeout(90)
public class QuarantineIT {
    private ContainerRuntime runtime;
    private PolicyService policies;
    private Path policyDir;
    private Path decisionLog;
    private Path dir;
    private Path data;
    private CommandSession session;

    @BeforeAll
    static void onlyWithPolicyGate() {
        Assumptions.assumeTrue(Node.policyGate(), "runs on the node with the policy gate (policy.bndrun)");
    }

    @BeforeEach
    void setUp() throws Exception {
        runtime = Node.service(ContainerRuntime.class);
        policies = Node.service(PolicyService.class);
        Path home = Path.of(Node.context().getProperty("forge.home"));
        policyDir = Files.createDirectories(home.resolve("etc/policies"));
        decisionLog = Path.of(Node.context().getProperty("forge.var")).resolve("log/decisions.log");
        dir = Files.createTempDirectory("forge-quarantine");
        data = Files.createDirectories(dir.resolve("data"));
        for (int i = 0; i < 8; i++) {
            Files.writeString(data.resolve("f" + i), "file " + i + "\n");
        }
        CommandProcessor processor = Node.service(CommandProcessor.class);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (ContainerInfo c : runtime.list()) {
            if (c.state() != ContainerState.STOPPED && c.state() != ContainerState.CREATED) {
                runtime.kill(c.id());
            }
            runtime.delete(c.id());
        }
        try (var files = Files.list(policyDir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (!policies.list().isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        session.close();
    }

    private void install(String name, String... lines) throws Exception {
        String yaml = String.join("\n", lines) + "\n";
        Files.writeString(policyDir.resolve(name + ".yaml"), yaml);
        long deadline = System.currentTimeMillis() + 10_000;
        while (policies.get(name).isEmpty() || !policies.problems().isEmpty()) {
            assertTrue(System.currentTimeMillis() < deadline, "policy " + name + " not in force: " + policies.problems());
            Thread.sleep(100);
        }
    }

    /** A policy for workloads named {@code prefix-*}: stdio, args, clocks, read on /data, plus extra lines. */
    private void readerPolicy(String name, String prefix, String... extra) throws Exception {
        List<String> lines = new java.util.ArrayList<>(List.of("name: " + name, "match: {name: " + prefix + "-*}",
                "grants:", "  args: true", "  clocks: true", "  stdout: true", "  stderr: true", "  fs:",
                "    - id: data-read", "      path: /data/**", "      access: [read]"));
        lines.addAll(List.of(extra));
        install(name, lines.toArray(new String[0]));
    }

    private ContainerInfo start(String program, String name, String... args) throws Exception {
        ContainerSpec spec = ContainerSpec.of(Node.wasm(dir, program)).withName(name)
                .withPreopens(List.of(new Preopen(data, "/data"))).withArgs(List.of(args));
        ContainerInfo created = runtime.create(spec, ContainerIO.DETACHED);
        return runtime.start(created.id());
    }

    private ContainerInfo awaitState(String id, ContainerState state) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        ContainerInfo info = runtime.state(id);
        while (info.state() != state) {
            assertTrue(System.currentTimeMillis() < deadline, "expected " + state + ", still " + info);
            Thread.sleep(20);
            info = runtime.state(id);
        }
        return info;
    }

    private String gogo(String command) throws Exception {
        Object result = session.execute(command);
        return result == null ? "" : result.toString();
    }

    private List<String> logLines(String containerId) throws Exception {
        return Files.readAllLines(decisionLog).stream().filter(l -> l.contains("\"container\":\"" + containerId + "\""))
                .toList();
    }

    @Test
    public void aViolationOfAQuarantineRuleHoldsTheGuestUntilReleasedAndItThenRunsOnExactly() throws Exception {
        readerPolicy("held", "held", "quarantine: [data-read]");
        ContainerInfo c = start("ticker.wasm", "held-1", "40", "/data/out.txt");
        ContainerInfo q = awaitState(c.id(), ContainerState.QUARANTINED);
        assertTrue(q.suspendReason().contains("rule data-read of policy held"), q.suspendReason());
        assertEquals(99, q.trustScore());
        Thread.sleep(300);
        String held = runtime.logs(c.id()).stdout();
        assertTrue(held.endsWith("tick 20\n"), "held at the open of tick 20, and nothing ran since: " + held);
        assertFalse(Files.exists(data.resolve("out.txt")));

        String ps = gogo("forge:ps");
        assertTrue(ps.contains("held-1") && ps.contains("quarantined"), ps);
        String list = gogo("forge:quarantine list");
        assertTrue(list.contains("held-1") && list.contains("99") && list.contains("data-read"), list);
        String page = gogo("forge:quarantine inspect held-1");
        assertTrue(page.contains("trust score: 99 / 100") && page.contains("why:"), page);

        String released = gogo("forge:quarantine release held-1");
        assertTrue(released.contains("released (trust score 100)"), released);
        ContainerInfo done = runtime.await(c.id(), Duration.ofSeconds(30));
        assertEquals(StopReason.EXITED, done.stopReason(), done.toString());
        assertEquals(0, done.exitCode());
        String out = runtime.logs(c.id()).stdout();
        assertTrue(out.contains("open /data/out.txt: Capabilities insufficient\n"), "the held call is denied: " + out);
        assertTrue(out.endsWith("tick 40\nticked 40\n"), out);
        assertEquals(40, out.lines().filter(l -> l.startsWith("tick ")).count(), "every tick exactly once");
        assertFalse(Files.exists(data.resolve("out.txt")));

        List<String> log = logLines(c.id());
        assertTrue(log.stream().anyMatch(l -> l.contains("\"decision\":\"deny\"") && l.contains("\"quarantine\"")
                && l.contains("/data/out.txt")), String.join("\n", log));
        assertTrue(log.stream().anyMatch(l -> l.contains("\"decision\":\"release\"")), String.join("\n", log));
    }

    @Test
    public void aQuarantinedContainerCanBeKilledFromTheShell() throws Exception {
        readerPolicy("killme", "killme", "quarantine: [fs]");
        ContainerInfo c = start("ticker.wasm", "killme-1", "40", "/data/out.txt");
        awaitState(c.id(), ContainerState.QUARANTINED);
        String killed = gogo("forge:quarantine kill killme-1");
        assertTrue(killed.contains("Killed (137)"), killed);
        ContainerInfo done = runtime.state(c.id());
        assertEquals(StopReason.KILLED, done.stopReason());
        assertEquals(137, done.exitCode());
    }

    @Test
    public void repeatedDenialsLowerTheTrustScoreUntilTheContainerIsQuarantined() throws Exception {
        // no clocks grant: every sleep of the ticker (poll_oneoff) is denied and costs 40 points; below 30 it is held
        install("scored", "name: scored", "match: {name: scored-*}", "grants:", "  args: true", "  stdout: true",
                "  stderr: true", "trust: {penalty: 40, threshold: 30}");
        ContainerInfo c = start("ticker.wasm", "scored-1", "40");
        ContainerInfo q = awaitState(c.id(), ContainerState.QUARANTINED);
        assertEquals(20, q.trustScore());
        assertTrue(q.suspendReason().contains("trust score fell to 20, below 30"), q.suspendReason());
        assertEquals("tick 1\ntick 2\n", runtime.logs(c.id()).stdout(), "held at the second denied sleep");
        assertEquals(2, logLines(c.id()).stream().filter(l -> l.contains("\"decision\":\"deny\"")).count(),
                "the log accounts for both denials");
    }

    @Test
    public void policyLimitsHoldForRealPrograms() throws Exception {
        readerPolicy("limited", "lim", "limits:", "  filesOpen: 3", "  bytesWritten: 2KiB", "  memoryPages: 64",
                "  cpuTime: 700ms");
        ContainerInfo files = runtime.await(start("openmany.wasm", "lim-files", "/data", "6").id(), Duration.ofSeconds(20));
        assertEquals(1, files.exitCode(), runtime.logs(files.id()).stderr());
        assertEquals("opened 3 of 6\n", runtime.logs(files.id()).stdout());
        assertTrue(logLines(files.id()).stream().anyMatch(l -> l.contains("limits.filesOpen")));

        ContainerInfo flood = runtime.await(start("flood.wasm", "lim-flood", "1000").id(), Duration.ofSeconds(20));
        int written = runtime.logs(flood.id()).stdout().length();
        assertTrue(written <= 2048 && written > 0, "wrote " + written + " bytes under a 2 KiB limit");
        assertTrue(logLines(flood.id()).stream().anyMatch(l -> l.contains("limits.bytesWritten")));

        ContainerInfo bomb = runtime.await(start("membomb.wasm", "lim-bomb").id(), Duration.ofSeconds(20));
        assertEquals(64, bomb.limits().maxMemoryPages());
        assertEquals(3, bomb.exitCode(), "malloc failed within the policy's 4 MiB: " + runtime.logs(bomb.id()).stderr());
        assertTrue(runtime.logs(bomb.id()).stderr().matches("malloc failed after [0-3] MiB\\n"),
                runtime.logs(bomb.id()).stderr());

        ContainerInfo spin = runtime.await(start("loop.wasm", "lim-spin").id(), Duration.ofSeconds(20));
        assertEquals(StopReason.CPU_LIMIT, spin.stopReason(), spin.toString());
        assertEquals(152, spin.exitCode());
    }

    @Test
    public void theEnvironmentIsFilteredByNameAtCreation() throws Exception {
        install("envs", "name: envs", "match: {name: env-*}", "grants:", "  args: true", "  stdout: true",
                "  env: [GREETING]");
        ContainerSpec spec = ContainerSpec.of(Node.wasm(dir, "hello.wasm")).withName("env-1")
                .withEnv(Map.of("GREETING", "hi", "SECRET", "s3cr3t", "TOKEN", "t"));
        ContainerInfo created = runtime.create(spec, ContainerIO.DETACHED);
        runtime.start(created.id());
        ContainerInfo done = runtime.await(created.id(), Duration.ofSeconds(20));
        assertEquals(0, done.exitCode());
        String out = runtime.logs(done.id()).stdout();
        assertTrue(out.contains("GREETING=hi\nenv count=1\n"), out);
        assertFalse(out.contains("s3cr3t"));
    }

    @Test
    public void aReadGrantOnOneFolderDoesNotLetTheGuestListAnotherPreopen() throws Exception {
        readerPolicy("lister", "ls");
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("secret.txt"), "x");
        List<Preopen> both = List.of(new Preopen(data, "/data"), new Preopen(other, "/other"));
        ContainerInfo ok = runtime.create(ContainerSpec.of(Node.wasm(dir, "listdir.wasm")).withName("ls-1")
                .withPreopens(both).withArgs(List.of("/data")), ContainerIO.DETACHED);
        runtime.start(ok.id());
        ContainerInfo listed = runtime.await(ok.id(), Duration.ofSeconds(20));
        assertEquals(0, listed.exitCode(), runtime.logs(ok.id()).stderr());
        assertTrue(runtime.logs(ok.id()).stdout().contains("f7"), runtime.logs(ok.id()).stdout());

        ContainerInfo no = runtime.create(ContainerSpec.of(Node.wasm(dir, "listdir.wasm")).withName("ls-2")
                .withPreopens(both).withArgs(List.of("/other")), ContainerIO.DETACHED);
        runtime.start(no.id());
        ContainerInfo refused = runtime.await(no.id(), Duration.ofSeconds(20));
        assertTrue(refused.exitCode() != 0, "listing /other must fail");
        assertFalse(runtime.logs(no.id()).stdout().contains("secret.txt"), runtime.logs(no.id()).stdout());
        assertTrue(logLines(no.id()).stream().anyMatch(l -> l.contains("\"decision\":\"deny\"")
                && l.contains("/other")), String.join("\n", logLines(no.id())));

        // the same through the descriptor the guest holds for the preopen, without any path call
        ContainerInfo raw = runtime.create(ContainerSpec.of(Node.wasm(dir, "readdirfd.wasm")).withName("ls-3")
                .withPreopens(both), ContainerIO.DETACHED);
        runtime.start(raw.id());
        ContainerInfo rawDone = runtime.await(raw.id(), Duration.ofSeconds(20));
        assertEquals(76, rawDone.exitCode(), "fd_readdir on the /other preopen is denied (ENOTCAPABLE)");
        assertTrue(logLines(raw.id()).stream().anyMatch(l -> l.contains("fd_readdir") && l.contains("/other")),
                String.join("\n", logLines(raw.id())));
        ContainerInfo mine = runtime.create(ContainerSpec.of(Node.wasm(dir, "readdirfd.wasm")).withName("ls-4")
                .withPreopens(List.of(new Preopen(other, "/other"), new Preopen(data, "/data"))), ContainerIO.DETACHED);
        runtime.start(mine.id());
        ContainerInfo mineDone = runtime.await(mine.id(), Duration.ofSeconds(20));
        assertEquals(0, mineDone.exitCode(), "fd 4 is /data now, which may be read");
        assertTrue(runtime.logs(mine.id()).stdout().contains("f7"));
    }
}
