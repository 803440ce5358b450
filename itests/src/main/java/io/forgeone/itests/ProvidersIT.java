package io.forgeone.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerSpecException;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.container.ProviderInfo;
import io.forgeone.api.container.StopReason;
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
import org.osgi.framework.Bundle;

/** The forge:kv provider in a node without the policy gate: linking, persistence, and the provider going away. */
@Timeout(90)
public class ProvidersIT {
    private static final String KV = "io.forgeone.provider-kv";
    private ContainerRuntime runtime;
    private Path dir;

    @BeforeAll
    static void onlyWithProvidersAndNoPolicyGate() {
        Assumptions.assumeFalse(Node.policyGate(), "runs on the node without the policy gate (felix.bndrun)");
        Assumptions.assumeTrue(Node.installed(KV), "runs where the providers are installed");
    }

    @BeforeEach
    void setUp() throws Exception {
        runtime = Node.service(ContainerRuntime.class);
        dir = Files.createTempDirectory("forge-providers");
        awaitProvider("forge:kv");
    }

    @AfterEach
    void tearDown() throws Exception {
        Bundle kv = Node.bundle(KV);
        if (kv.getState() != Bundle.ACTIVE) {
            kv.start();
        }
        for (ContainerInfo c : runtime.list()) {
            if (c.state() == ContainerState.RUNNING) {
                runtime.kill(c.id());
            }
            runtime.delete(c.id());
        }
    }

    private void awaitProvider(String module) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (runtime.providers().stream().noneMatch(p -> p.module().equals(module))) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("provider " + module + " not bound: " + runtime.providers());
            }
            Thread.sleep(50);
        }
    }

    private ContainerInfo run(String program, String... args) throws InterruptedException {
        ContainerInfo created = runtime.create(ContainerSpec.of(Node.wasm(dir, program)).withArgs(List.of(args)),
                ContainerIO.DETACHED);
        runtime.start(created.id());
        return runtime.await(created.id(), Duration.ofSeconds(30));
    }

    private int count(ContainerInfo done) {
        assertEquals(0, done.exitCode(), done.message() + " " + runtime.logs(done.id()).stderr());
        String out = runtime.logs(done.id()).stdout().strip();
        assertTrue(out.startsWith("count="), out);
        return Integer.parseInt(out.substring(6));
    }

    @Test
    public void aWorkloadsKeyValueStorePersistsAcrossContainers() throws Exception {
        ContainerInfo first = run("kv.wasm", "count");
        int n = count(first);
        assertEquals(n + 1, count(run("kv.wasm", "count")), "the second container sees what the first stored");
        Path store = Path.of(Node.context().getProperty("forge.var"), "state", "kv", "module-" + first.moduleSha256());
        assertTrue(Files.isDirectory(store), store + " holds the store");
        // "count" in hex is the key's file name
        assertEquals(String.valueOf(n + 1), Files.readString(store.resolve("636f756e74")));
    }

    @Test
    public void theProviderListsItsFunctionsAndTheContainersUsingIt() throws Exception {
        ContainerInfo holding = runtime.create(ContainerSpec.of(Node.wasm(dir, "kv.wasm")).withArgs(List.of("hold")),
                ContainerIO.DETACHED);
        ProviderInfo kv = runtime.providers().stream().filter(p -> p.module().equals("forge:kv")).findFirst()
                .orElseThrow();
        assertEquals(List.of("get", "put", "delete", "list"), kv.functions().stream().map(f -> f.name()).toList());
        assertEquals(Node.bundle(KV).getBundleId(), kv.bundleId());
        assertTrue(kv.bundle().startsWith(KV + " "), kv.bundle());
        assertEquals(List.of(holding.id()), kv.containers());
    }

    @Test
    public void withoutTheProviderNewContainersFailClearlyAndRunningOnesStopCleanly() throws Exception {
        for (int round = 0; round < 2; round++) {
            for (String how : List.of("stop", "update", "uninstall")) {
                String what = how + " in round " + round;
                Bundle kv = Node.bundle(KV);
                ContainerInfo holding = runtime.create(ContainerSpec.of(Node.wasm(dir, "kv.wasm"))
                        .withArgs(List.of("hold")), ContainerIO.DETACHED);
                runtime.start(holding.id());
                awaitStdout(holding, "holding");

                String location = kv.getLocation();
                switch (how) {
                    case "stop" -> kv.stop();
                    case "update" -> kv.update();
                    default -> kv.uninstall();
                }
                ContainerInfo stopped = runtime.await(holding.id(), Duration.ofSeconds(10));
                assertEquals(ContainerState.STOPPED, stopped.state(), what);
                assertEquals(StopReason.REMOVED, stopped.stopReason(), what);
                assertEquals("provider forge:kv removed", stopped.message(), what);
                assertEquals(143, stopped.exitCode(), what);
                if (!how.equals("update")) {
                    ContainerSpecException e = assertThrows(ContainerSpecException.class,
                            () -> runtime.create(ContainerSpec.of(Node.wasm(dir, "kv.wasm"))
                                    .withArgs(List.of("count")), ContainerIO.DETACHED));
                    assertTrue(e.getMessage().contains("module imports forge:kv.get, but no capability provider for"
                            + " forge:kv is installed"), e.getMessage());
                    assertEquals(0, run("hello.wasm").exitCode(), "workloads that do not need it run on");
                    if (how.equals("stop")) {
                        kv.start();
                    } else {
                        Node.context().installBundle(location).start();
                    }
                }
                awaitProvider("forge:kv");
                count(run("kv.wasm", "count"));
            }
        }
    }

    private void awaitStdout(ContainerInfo c, String text) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!runtime.logs(c.id()).stdout().contains(text)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(c.name() + " did not print " + text + ": " + runtime.state(c.id()));
            }
            Thread.sleep(20);
        }
    }
}
