package io.forgeone.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.StopReason;
import io.forgeone.api.wasi.Preopen;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The WASI preview1 conformance programs (testprograms/conformance: ports of wasmtime's p1_* test programs
 * to C over raw __wasi_* calls, a Rust std program and an AssemblyScript program) run through the ContainerRuntime of a real Felix
 * node, each in a fresh empty directory preopened as /scratch. Each program checks the exact errno of every
 * case itself and exits 0 only when all passed.
 */
@Timeout(120)
public class WasiConformanceIT {
    private ContainerRuntime runtime;
    private Path dir;

    /**
     * The programs exercise every preview1 function with no policy in the way; on a node whose calls a
     * policy gate decides (the trust bundle is installed) they would measure the policy, not WASI.
     */
    @BeforeAll
    static void onlyWithoutAPolicyGate() {
        boolean policyGate = false;
        for (Bundle b : Node.context().getBundles()) {
            policyGate |= "io.forgeone.trust".equals(b.getSymbolicName());
        }
        Assumptions.assumeFalse(policyGate, "runs on the node without a policy gate");
    }

    @BeforeEach
    void setUp() throws IOException {
        runtime = Node.service(ContainerRuntime.class);
        dir = Files.createTempDirectory("forge-conformance");
    }

    @AfterEach
    void tearDown() throws IOException {
        for (ContainerInfo c : runtime.list()) {
            runtime.delete(c.id());
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @Test
    public void pathFunctions() throws Exception {
        passesEveryCase("conf_paths.wasm");
    }

    @Test
    public void fdFunctions() throws Exception {
        passesEveryCase("conf_files.wasm");
    }

    @Test
    public void readdir() throws Exception {
        passesEveryCase("conf_readdir.wasm");
    }

    @Test
    public void clocksPollArgsSocketsSignals() throws Exception {
        passesEveryCase("conf_proc.wasm");
    }

    @Test
    public void rustStd() throws Exception {
        passesEveryCase("conf_rust_std.wasm");
    }

    @Test
    public void assemblyScript() throws Exception {
        passesEveryCase("conf_as.wasm");
    }

    /** The engine the programs run on; null for the node's default (chicory). */
    protected String engine() {
        return null;
    }

    private void passesEveryCase(String program) throws Exception {
        Path scratch = Files.createDirectory(dir.resolve("scratch"));
        ContainerSpec spec = ContainerSpec.of(Node.wasm(dir, program))
                .withEngine(engine())
                .withPreopens(List.of(new Preopen(scratch, "/scratch")))
                .withArgs(List.of("/scratch", "two words"))
                .withEnv(Map.of("CONF", "1"));
        ContainerInfo created = runtime.create(spec, ContainerIO.DETACHED);
        runtime.start(created.id());
        ContainerInfo done = runtime.await(created.id(), Duration.ofSeconds(100));
        String out = runtime.logs(done.id()).stdout();
        String err = runtime.logs(done.id()).stderr();
        assertEquals(StopReason.EXITED, done.stopReason(), done.message() + "\n" + out + err);
        if (engine() != null) {
            assertEquals(engine(), done.engine(), "ran on the engine asked for");
        }
        assertEquals(0, done.exitCode(), out + err);
        assertFalse(out.contains("FAIL "), out);
        String[] lines = out.strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.matches("\\d+ passed, 0 failed"), last);
        assertEquals(Integer.parseInt(last.substring(0, last.indexOf(' '))), lines.length - 1,
                "one ok line per passed case");
    }
}
