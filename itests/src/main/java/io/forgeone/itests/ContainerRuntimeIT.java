package io.forgeone.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerLimits;
import io.forgeone.api.container.ContainerLogs;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerSpecException;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.container.StopReason;
import io.forgeone.api.wasi.Preopen;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the C test programs through the ContainerRuntime service of a real Felix node. */
@Timeout(60)
public class ContainerRuntimeIT {

    @BeforeAll
    static void onlyWithoutPolicyGate() {
        Assumptions.assumeFalse(Node.policyGate(), "runs on the node without the policy gate (felix.bndrun)");
    }
    private ContainerRuntime runtime;
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        runtime = Node.service(ContainerRuntime.class);
        dir = Files.createTempDirectory("forge-it");
    }

    @AfterEach
    void tearDown() {
        for (ContainerInfo c : runtime.list()) {
            if (c.state() == ContainerState.RUNNING) {
                runtime.kill(c.id());
            }
            runtime.delete(c.id());
        }
    }

    private ContainerInfo run(ContainerSpec spec) throws InterruptedException {
        ContainerInfo created = runtime.create(spec, ContainerIO.DETACHED);
        runtime.start(created.id());
        return runtime.await(created.id(), Duration.ofSeconds(50));
    }

    @Test
    public void helloPrintsItsArgumentsAndOnlyTheGivenEnvironment() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GREETING", "bonjour");
        ContainerInfo done = run(ContainerSpec.of(Node.wasm(dir, "hello.wasm")).withArgs(List.of("one", "two words"))
                .withEnv(env));
        assertEquals(StopReason.EXITED, done.stopReason(), done.message());
        assertEquals(0, done.exitCode());
        assertEquals("compiled", done.executionMode());
        assertEquals("hello from wasm\narg[0]=hello.wasm\narg[1]=one\narg[2]=two words\nGREETING=bonjour\nenv count=1\n",
                runtime.logs(done.id()).stdout());
        assertTrue(done.hostCalls() > 0, "host calls went through the gate");
    }

    @Test
    public void streamsOutputToTheAttachedSinkAsWritten() throws Exception {
        ByteArrayOutputStream live = new ByteArrayOutputStream();
        ContainerIO io = new ContainerIO(null, (b, o, l) -> {
            synchronized (live) {
                live.write(b, o, l);
            }
        }, (b, o, l) -> { });
        ContainerInfo created = runtime.create(ContainerSpec.of(Node.wasm(dir, "hello.wasm")), io);
        runtime.start(created.id());
        runtime.await(created.id(), Duration.ofSeconds(30));
        assertTrue(live.toString(StandardCharsets.UTF_8).startsWith("hello from wasm\n"));
    }

    @Test
    public void readsAFileInAPreopenedDirectory() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("input.txt"), "forty-two\n");
        ContainerInfo done = run(ContainerSpec.of(Node.wasm(dir, "cat.wasm"))
                .withPreopens(List.of(new Preopen(data, "/data"))).withArgs(List.of("/data/input.txt")));
        assertEquals(0, done.exitCode(), runtime.logs(done.id()).stderr());
        assertEquals("forty-two\n", runtime.logs(done.id()).stdout());
    }

    @Test
    public void withoutAPreopenNoFileIsReachable() throws Exception {
        ContainerInfo done = run(ContainerSpec.of(Node.wasm(dir, "cat.wasm")).withArgs(List.of("/etc/passwd")));
        assertEquals(1, done.exitCode());
        assertEquals("", runtime.logs(done.id()).stdout());
    }

    @Test
    public void pathEscapesAreBlocked() throws Exception {
        Path root = Files.createDirectories(dir.resolve("sandbox"));
        Files.createDirectories(root.resolve("data"));
        Files.writeString(dir.resolve("secret.txt"), "TOP SECRET\n");
        Files.createSymbolicLink(root.resolve("link_out"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("abs_link"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(root.resolve("up_link"), Path.of("../secret.txt"));
        ContainerInfo done = run(ContainerSpec.of(Node.wasm(dir, "escape.wasm"))
                .withPreopens(List.of(new Preopen(root, "."))));
        String out = runtime.logs(done.id()).stdout();
        assertEquals(0, done.exitCode(), out);
        assertTrue(out.contains("ESCAPE-BLOCKED"), out);
        assertTrue(!out.contains("ESCAPE-SUCCEEDED") && !out.contains("TOP SECRET") && !out.contains("root:"), out);
    }

    @Test
    public void procExitCodeIsTheContainersExitCode() throws Exception {
        ContainerInfo done = run(ContainerSpec.of(Node.wasm(dir, "exitcode.wasm")).withArgs(List.of("7")));
        assertEquals(StopReason.EXITED, done.stopReason());
        assertEquals(7, done.exitCode());
    }

    @Test
    public void trapsStopTheContainerAndTheNodeStaysHealthy() throws Exception {
        for (String program : List.of("trap.wasm", "divzero.wasm", "stackoverflow.wasm")) {
            ContainerInfo done = run(ContainerSpec.of(Node.wasm(dir, program)));
            assertEquals(StopReason.TRAPPED, done.stopReason(), program + ": " + done.message());
            assertEquals(134, done.exitCode());
            assertTrue(done.message().startsWith("wasm trap"), done.message());
        }
        assertEquals(0, run(ContainerSpec.of(Node.wasm(dir, "hello.wasm"))).exitCode());
    }

    @Test
    public void runawayLoopIsStoppedAtItsTimeout() throws Exception {
        ContainerSpec spec = ContainerSpec.of(Node.wasm(dir, "loop.wasm"))
                .withLimits(ContainerLimits.DEFAULT.withWallTimeout(Duration.ofMillis(500)));
        long start = System.nanoTime();
        ContainerInfo done = run(spec);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(StopReason.TIMED_OUT, done.stopReason());
        assertEquals(124, done.exitCode());
        assertTrue(elapsedMs < 10_000, "stopped " + elapsedMs + " ms after start");
        assertTrue(runtime.logs(done.id()).stdout().startsWith("looping"));
    }

    @Test
    public void killStopsARunawayLoop() throws Exception {
        ContainerInfo created = runtime.create(ContainerSpec.of(Node.wasm(dir, "loop.wasm")), ContainerIO.DETACHED);
        runtime.start(created.id());
        Thread.sleep(200);
        ContainerInfo killed = runtime.kill(created.id());
        assertEquals(ContainerState.STOPPED, killed.state());
        assertEquals(StopReason.KILLED, killed.stopReason());
    }

    @Test
    public void memoryBombEndsAtItsMemoryLimit() throws Exception {
        ContainerSpec spec = ContainerSpec.of(Node.wasm(dir, "membomb.wasm"))
                .withLimits(ContainerLimits.DEFAULT.withMaxMemoryPages(512));
        ContainerInfo done = run(spec);
        assertEquals(StopReason.EXITED, done.stopReason(), done.message());
        assertEquals(3, done.exitCode());
        assertTrue(runtime.logs(done.id()).stderr().contains("malloc failed after"));
    }

    @Test
    public void floodKeepsOnlyTheBoundedTailOfTheOutput() throws Exception {
        ContainerSpec spec = ContainerSpec.of(Node.wasm(dir, "flood.wasm")).withArgs(List.of("100000"))
                .withLimits(ContainerLimits.DEFAULT.withLogBufferBytes(4096));
        ContainerInfo done = run(spec);
        assertEquals(0, done.exitCode());
        ContainerLogs logs = runtime.logs(done.id());
        assertEquals(4096, logs.stdout().length());
        assertTrue(logs.droppedStdoutBytes() > 1_000_000);
        assertTrue(logs.stdout().endsWith("line 100000 of flood\n"), logs.stdout());
        assertEquals("flood done\n", logs.stderr());
    }

    @Test
    public void unrunnableModulesAreRefusedWithTheReason() {
        assertTrue(assertThrows(ContainerSpecException.class,
                () -> runtime.create(ContainerSpec.of(Node.wasm(dir, "notwasm.wasm")), ContainerIO.DETACHED))
                .getMessage().contains("notwasm.wasm"));
        assertTrue(assertThrows(ContainerSpecException.class,
                () -> runtime.create(ContainerSpec.of(Node.wasm(dir, "noentry.wasm")), ContainerIO.DETACHED))
                .getMessage().contains("does not export _start"));
        assertTrue(assertThrows(ContainerSpecException.class,
                () -> runtime.create(ContainerSpec.of(Node.wasm(dir, "badimport.wasm")), ContainerIO.DETACHED))
                .getMessage().contains("env.not_provided"));
        assertTrue(assertThrows(ContainerSpecException.class,
                () -> runtime.create(ContainerSpec.of(dir.resolve("absent.wasm")), ContainerIO.DETACHED))
                .getMessage().contains("absent.wasm: no such file"));
        assertTrue(runtime.list().isEmpty());
    }
}
