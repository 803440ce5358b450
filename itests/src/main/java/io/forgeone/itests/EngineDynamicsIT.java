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
import io.forgeone.api.container.EngineInfo;
import io.forgeone.api.container.StopReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.Bundle;

/**
 * The engine is a bundle: stopping, updating or uninstalling it takes it (and its running containers) away, cleanly;
 * starting or reinstalling it brings it back. Repeated while containers run, the node stays healthy.
 */
@Timeout(180)
public class EngineDynamicsIT {
    private static final String ENGINE = "io.forgeone.engine-chicory";

    @BeforeAll
    static void onlyWithoutPolicyGate() {
        Assumptions.assumeFalse(Node.policyGate(), "runs on the node without the policy gate (felix.bndrun)");
    }

    @Test
    public void stoppingUpdatingAndUninstallingTheEngineStopsItsContainersCleanlyAndTheNodeRunsOn() throws Exception {
        ContainerRuntime runtime = Node.service(ContainerRuntime.class);
        // another engine (wasmtime) may be installed too: this test is about chicory's bundle
        Node.engine("chicory");
        Path dir = Files.createTempDirectory("forge-dyn");
        Path loop = Node.wasm(dir, "loop.wasm");
        Path hello = Node.wasm(dir, "hello.wasm");

        for (int round = 0; round < 3; round++) {
            for (String how : List.of("stop", "update", "uninstall")) {
                Bundle engine = Node.bundle(ENGINE);
                ContainerInfo running = runtime.create(ContainerSpec.of(loop), ContainerIO.DETACHED);
                runtime.start(running.id());
                ContainerInfo waiting = runtime.create(ContainerSpec.of(hello), ContainerIO.DETACHED);
                awaitEngineRunning(runtime, running.id());

                String location = engine.getLocation();
                switch (how) {
                    case "stop" -> engine.stop();
                    case "update" -> engine.update();
                    default -> engine.uninstall();
                }
                ContainerInfo stopped = runtime.await(running.id(), Duration.ofSeconds(10));
                String what = how + " in round " + round;
                assertEquals(ContainerState.STOPPED, stopped.state(), what);
                assertEquals(StopReason.REMOVED, stopped.stopReason(), what);
                assertEquals("engine removed", stopped.message(), what);
                assertEquals(143, stopped.exitCode(), what);
                assertEquals(StopReason.REMOVED, runtime.state(waiting.id()).stopReason(),
                        "a container created on the removed engine can never start (" + what + ")");

                if (how.equals("stop")) {
                    ContainerSpecException e = assertThrows(ContainerSpecException.class,
                            () -> runtime.create(ContainerSpec.of(hello), ContainerIO.DETACHED));
                    assertTrue(e.getMessage().contains("engine 'chicory' is not installed"), e.getMessage());
                    engine.start();
                } else if (how.equals("uninstall")) {
                    assertThrows(ContainerSpecException.class,
                            () -> runtime.create(ContainerSpec.of(hello), ContainerIO.DETACHED));
                    Node.context().installBundle(location).start();
                }
                Node.engine("chicory");
                ContainerRuntime again = Node.service(ContainerRuntime.class);
                assertTrue(again == runtime, "the kernel itself stays through engine changes");
                ContainerInfo created = again.create(ContainerSpec.of(hello), ContainerIO.DETACHED);
                again.start(created.id());
                ContainerInfo done = again.await(created.id(), Duration.ofSeconds(30));
                assertEquals(0, done.exitCode(), what + ": " + done.message());
                for (String id : List.of(created.id(), running.id(), waiting.id())) {
                    again.delete(id);
                }
            }
        }
        List<EngineInfo> engines = runtime.engines().stream().filter(e -> e.name().equals("chicory")).toList();
        assertEquals(1, engines.size(), runtime.engines().toString());
        assertEquals(Node.bundle(ENGINE).getBundleId(), engines.get(0).bundleId());
        assertEquals(List.of(), engines.get(0).containers());
    }

    private static void awaitEngineRunning(ContainerRuntime runtime, String id) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (runtime.engines().stream().noneMatch(e -> e.containers().contains(id))) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("container " + id + " is not listed as running: " + runtime.engines());
            }
            Thread.sleep(20);
        }
    }
}
