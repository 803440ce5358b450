package io.forgeone.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerSpecException;
import io.forgeone.api.container.StopReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.Bundle;

/** The engine is a bundle: stopping it takes it (and its running containers) away; starting it brings it back. */
@Timeout(60)
public class EngineDynamicsIT {

    @BeforeAll
    static void onlyWithoutPolicyGate() {
        Assumptions.assumeFalse(Node.policyGate(), "runs on the node without the policy gate (felix.bndrun)");
    }

    @Test
    public void stoppingTheEngineBundleStopsItsContainersAndStartingItRestoresService() throws Exception {
        ContainerRuntime runtime = Node.service(ContainerRuntime.class);
        Node.engine("chicory");
        Path dir = Files.createTempDirectory("forge-dyn");
        Path loop = Node.wasm(dir, "loop.wasm");
        Path hello = Node.wasm(dir, "hello.wasm");
        Bundle engine = Node.bundle("io.forgeone.engine-chicory");

        ContainerInfo running = runtime.create(ContainerSpec.of(loop), ContainerIO.DETACHED);
        runtime.start(running.id());
        engine.stop();
        try {
            ContainerInfo stopped = runtime.await(running.id(), Duration.ofSeconds(10));
            assertEquals(StopReason.FAILED, stopped.stopReason());
            assertEquals("engine removed", stopped.message());
            ContainerSpecException e = assertThrows(ContainerSpecException.class,
                    () -> runtime.create(ContainerSpec.of(hello), ContainerIO.DETACHED));
            assertTrue(e.getMessage().contains("engine 'chicory' is not installed"), e.getMessage());
        } finally {
            engine.start();
        }
        // another engine (wasmtime) may be installed: wait for this one
        Node.engine("chicory");
        ContainerRuntime again = Node.service(ContainerRuntime.class);
        ContainerInfo created = again.create(ContainerSpec.of(hello), ContainerIO.DETACHED);
        again.start(created.id());
        assertEquals(0, again.await(created.id(), Duration.ofSeconds(30)).exitCode());
        again.delete(created.id());
        again.delete(running.id());
    }
}
