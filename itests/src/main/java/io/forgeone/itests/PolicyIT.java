package io.forgeone.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.policy.PolicyService;
import io.forgeone.api.wasi.Preopen;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The policy gate in a real node: programs get exactly what their policy grants, and denials are logged. */
@Timeout(60)
public class PolicyIT {
    private ContainerRuntime runtime;
    private PolicyService policies;
    private Path policyDir;
    private Path decisionLog;
    private Path dir;

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
        dir = Files.createTempDirectory("forge-policy");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (ContainerInfo c : runtime.list()) {
            if (c.state() == ContainerState.RUNNING) {
                runtime.kill(c.id());
            }
            runtime.delete(c.id());
        }
        try (var files = Files.list(policyDir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        awaitPolicies(0);
    }

    private void install(String file, String yaml, int expected) throws Exception {
        Files.writeString(policyDir.resolve(file), yaml);
        awaitPolicies(expected);
    }

    private void awaitPolicies(int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (policies.list().size() != count) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("policies in force: " + policies.list() + ", problems: " + policies.problems());
            }
            Thread.sleep(100);
        }
    }

    private ContainerInfo run(ContainerSpec spec) throws InterruptedException {
        ContainerInfo created = runtime.create(spec, ContainerIO.DETACHED);
        runtime.start(created.id());
        return runtime.await(created.id(), Duration.ofSeconds(30));
    }

    private List<String> denials(ContainerInfo container) throws Exception {
        return Files.readAllLines(decisionLog).stream()
                .filter(l -> l.contains("\"container\":\"" + container.id() + "\"") && l.contains("\"decision\":\"deny\""))
                .toList();
    }

    @Test
    public void grantedWorkloadRunsAndAnUnmatchedOneIsDeniedAndLogged() throws Exception {
        install("hello.yaml", String.join("\n", "name: hello", "match: {name: granted-*}", "grants:",
                "  args: true", "  env: true", "  clocks: true", "  random: true", "  stdout: true", "  stderr: true", ""), 1);
        ContainerInfo ok = run(ContainerSpec.of(Node.wasm(dir, "hello.wasm")).withName("granted-1"));
        assertEquals(0, ok.exitCode(), ok.message());
        assertTrue(runtime.logs(ok.id()).stdout().startsWith("hello from wasm"));
        assertEquals(0, ok.deniedHostCalls());

        ContainerInfo denied = run(ContainerSpec.of(Node.wasm(dir, "hello.wasm")).withName("outsider-1"));
        assertNotEquals(0, denied.exitCode());
        assertEquals("", runtime.logs(denied.id()).stdout(), "no stdout grant, nothing written");
        assertTrue(denied.deniedHostCalls() > 0);
        List<String> logged = denials(denied);
        assertEquals(denied.deniedHostCalls(), logged.size(), "the decision log accounts for every denial");
        assertTrue(logged.get(0).contains("\"rule\":\"default-deny\""), logged.get(0));
    }

    @Test
    public void readGrantOnOneFolderDoesNotAllowWritingOrReadingOutsideIt() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(data.resolve("input.txt"), "granted\n");
        Files.writeString(other.resolve("secret.txt"), "not granted\n");
        install("reader.yaml", String.join("\n", "name: reader", "match: {name: reader-*}", "grants:",
                "  args: true", "  stdout: true", "  stderr: true", "  fs:", "    - path: /data/**",
                "      access: [read]", ""), 1);
        List<Preopen> dirs = List.of(new Preopen(data, "/data"), new Preopen(other, "/other"));

        ContainerInfo read = run(ContainerSpec.of(Node.wasm(dir, "cat.wasm")).withName("reader-1")
                .withPreopens(dirs).withArgs(List.of("/data/input.txt")));
        assertEquals(0, read.exitCode(), runtime.logs(read.id()).stderr());
        assertEquals("granted\n", runtime.logs(read.id()).stdout());

        ContainerInfo outside = run(ContainerSpec.of(Node.wasm(dir, "cat.wasm")).withName("reader-2")
                .withPreopens(dirs).withArgs(List.of("/other/secret.txt")));
        assertEquals(1, outside.exitCode());
        assertTrue(runtime.logs(outside.id()).stderr().contains("Capabilities insufficient"),
                runtime.logs(outside.id()).stderr());

        ContainerInfo write = run(ContainerSpec.of(Node.wasm(dir, "writefile.wasm")).withName("reader-3")
                .withPreopens(dirs).withArgs(List.of("/data/new.txt", "x")));
        assertEquals(1, write.exitCode());
        assertTrue(!Files.exists(data.resolve("new.txt")), "nothing was created");
        assertTrue(denials(write).stream().anyMatch(l -> l.contains("path_open") && l.contains("/data/new.txt")),
                "the denial names the call and the path");
    }

    @Test
    public void aPolicyChangeAppliesWithoutRestartAndABadFileChangesNothing() throws Exception {
        String base = String.join("\n", "name: clocks", "match: {name: clock-*}", "grants:", "  args: true",
                "  env: true", "  clocks: true", "  stdout: true", "  stderr: true", "");
        install("clocks.yaml", base, 1);
        ContainerInfo before = run(ContainerSpec.of(Node.wasm(dir, "clockrand.wasm")).withName("clock-1"));
        assertNotEquals(0, before.exitCode(), "random is not granted yet");

        install("clocks.yaml", base + "  random: true\n", 1);
        long deadline = System.currentTimeMillis() + 10_000;
        while (!policies.get("clocks").orElseThrow().rules().contains("random: granted")) {
            assertTrue(System.currentTimeMillis() < deadline, "the changed policy was not reloaded");
            Thread.sleep(100);
        }
        ContainerInfo after = run(ContainerSpec.of(Node.wasm(dir, "clockrand.wasm")).withName("clock-2"));
        assertEquals(0, after.exitCode(), runtime.logs(after.id()).stdout());

        Files.writeString(policyDir.resolve("clocks.yaml"), base.replace("clocks: true", "clocks: sometimes"));
        deadline = System.currentTimeMillis() + 10_000;
        while (policies.problems().isEmpty()) {
            assertTrue(System.currentTimeMillis() < deadline, "the bad edit was not noticed");
            Thread.sleep(100);
        }
        assertTrue(policies.problems().get(0).toString().contains("clocks.yaml:6"), policies.problems().toString());
        ContainerInfo still = run(ContainerSpec.of(Node.wasm(dir, "clockrand.wasm")).withName("clock-3"));
        assertEquals(0, still.exitCode(), "the last good policy stays in force");
    }
}
