package io.forgeone.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerLimits;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.container.StopReason;
import io.forgeone.api.engine.WasmEngine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The wasmtime engine in a real node: hostile programs, and the bundle updated, uninstalled and installed again in one
 * JVM. Its JNI library belongs to io.forgeone.wasmtime-native, which stays put; a second load of the library by a new
 * class loader would fail with UnsatisfiedLinkError (or, extracted anew, leak 18 MB per reinstall).
 */
@Timeout(120)
public class WasmtimeEngineIT {

    private static final String ENGINE_BUNDLE = "io.forgeone.engine-wasmtime";
    private static final String NATIVE_BUNDLE = "io.forgeone.wasmtime-native";

    private ContainerRuntime runtime;
    private Path dir;

    @BeforeAll
    static void onlyWithoutPolicyGate() {
        Assumptions.assumeFalse(Node.policyGate(), "runs on the node without the policy gate (felix.bndrun)");
    }

    @BeforeEach
    void setUp() throws IOException {
        Node.engine("wasmtime");
        runtime = Node.service(ContainerRuntime.class);
        dir = Files.createTempDirectory("forge-wasmtime");
    }

    @AfterEach
    void tearDown() {
        ContainerRuntime current = Node.service(ContainerRuntime.class);
        for (ContainerInfo c : current.list()) {
            if (c.state() == ContainerState.STOPPED || c.state() == ContainerState.CREATED) {
                current.delete(c.id());
            }
        }
    }

    private ContainerInfo run(ContainerSpec spec) throws InterruptedException {
        ContainerInfo created = runtime.create(spec.withEngine("wasmtime"), ContainerIO.DETACHED);
        assertEquals("wasmtime", created.engine());
        assertEquals("native", created.executionMode());
        runtime.start(created.id());
        return runtime.await(created.id(), Duration.ofSeconds(60));
    }

    @Test
    public void helloRunsWithArgumentsAndEnvironment() throws Exception {
        ContainerInfo done = run(ContainerSpec.of(Node.wasm(dir, "hello.wasm")).withArgs(List.of("one", "two"))
                .withEnv(java.util.Map.of("GREETING", "hi")));
        assertEquals(StopReason.EXITED, done.stopReason(), done.message());
        assertEquals(0, done.exitCode());
        String out = runtime.logs(done.id()).stdout();
        assertTrue(out.contains("one") && out.contains("two"), out);
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
        assertEquals(StopReason.TIMED_OUT, done.stopReason(), done.message());
        assertEquals(124, done.exitCode());
        assertTrue(elapsedMs < 5_000, "stopped " + elapsedMs + " ms after start");
        assertTrue(runtime.logs(done.id()).stdout().startsWith("looping"));
    }

    @Test
    public void killStopsARunawayLoop() throws Exception {
        ContainerInfo created = runtime.create(ContainerSpec.of(Node.wasm(dir, "loop.wasm")).withEngine("wasmtime"),
                ContainerIO.DETACHED);
        runtime.start(created.id());
        Thread.sleep(200);
        long killedAt = System.nanoTime();
        ContainerInfo killed = runtime.kill(created.id());
        long tookMs = (System.nanoTime() - killedAt) / 1_000_000;
        assertEquals(ContainerState.STOPPED, killed.state());
        assertEquals(StopReason.KILLED, killed.stopReason());
        // the guest itself stopped (epoch interruption), rather than being marked stopped after the kill grace
        assertEquals("killed", killed.message());
        assertTrue(tookMs < 1000, "kill took " + tookMs + " ms");
    }

    @Test
    public void memoryBombEndsAtItsMemoryLimit() throws Exception {
        // 512 pages: 32 MiB. wasmtime-java alone has no memory limiter; the engine caps the module's maximum
        ContainerInfo done = run(ContainerSpec.of(Node.wasm(dir, "membomb.wasm"))
                .withLimits(ContainerLimits.DEFAULT.withMaxMemoryPages(512)));
        assertEquals(StopReason.EXITED, done.stopReason(), done.message());
        assertEquals(3, done.exitCode());
        String err = runtime.logs(done.id()).stderr();
        assertTrue(err.contains("malloc failed after"), err);
        int mib = Integer.parseInt(err.replaceAll("(?s).*malloc failed after (\\d+) MiB.*", "$1"));
        assertTrue(mib > 0 && mib <= 32, "allocated " + mib + " MiB under a 32 MiB limit");
    }

    @Test
    public void updatingAndReinstallingTheEngineBundleKeepsTheNodeHealthy() throws Exception {
        BundleContext context = Node.context();
        Bundle nativeBundle = Node.bundle(NATIVE_BUNDLE);
        long nativeId = nativeBundle.getBundleId();
        Set<String> tempBefore = extractedLibraries();
        Bundle engine = Node.bundle(ENGINE_BUNDLE);
        String location = engine.getLocation();
        byte[] jar = read(location);

        // a guest running while the bundle is updated is stopped with it, not left running on a dead engine
        ContainerInfo looping = runtime.create(ContainerSpec.of(Node.wasm(dir, "loop.wasm")).withEngine("wasmtime"),
                ContainerIO.DETACHED);
        runtime.start(looping.id());
        Thread.sleep(200);

        for (int round = 1; round <= 3; round++) {
            engine.update(new ByteArrayInputStream(jar));
            refresh(context, engine);
            assertHealthy("after update " + round);
            if (round == 1) {
                ContainerInfo stopped = Node.service(ContainerRuntime.class).await(looping.id(), Duration.ofSeconds(10));
                assertEquals(ContainerState.STOPPED, stopped.state());
                assertEquals(StopReason.REMOVED, stopped.stopReason());
                assertEquals("engine removed", stopped.message());
                assertEquals(143, stopped.exitCode());
            }

            engine.uninstall();
            refresh(context, engine);
            engine = context.installBundle(location, new ByteArrayInputStream(jar));
            engine.start();
            assertHealthy("after reinstall " + round);
        }

        assertEquals(Bundle.ACTIVE, nativeBundle.getState(), "the native bundle stays as it was");
        assertEquals(nativeId, Node.bundle(NATIVE_BUNDLE).getBundleId());
        assertEquals(tempBefore, extractedLibraries(), "no copy of the JNI library left in the temp directory");
        assertEquals(Set.of(), extractedSince(ManagementFactory.getRuntimeMXBean().getStartTime()),
                "this node extracted the JNI library to the temp directory");
    }

    /** A wasmtime engine service is back and runs hello.wasm to its end. */
    private void assertHealthy(String when) throws Exception {
        WasmEngine engine = Node.engine("wasmtime");
        assertEquals("wasmtime", engine.name(), when);
        runtime = Node.service(ContainerRuntime.class);
        ContainerInfo done = run(ContainerSpec.of(Node.wasm(dir, "hello.wasm")));
        assertEquals(StopReason.EXITED, done.stopReason(), when + ": " + done.message());
        assertEquals(0, done.exitCode(), when);
        assertNotEquals("", runtime.logs(done.id()).stdout(), when);
        runtime.delete(done.id());
    }

    private static void refresh(BundleContext context, Bundle bundle) throws InterruptedException {
        CountDownLatch refreshed = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                refreshed.countDown();
            }
        });
        assertTrue(refreshed.await(30, TimeUnit.SECONDS), "refresh did not finish within 30 s");
    }

    /** Copies of wasmtime-java's JNI library its own loader extracts (libwasmtime_jni_<version>_<os>_<arch>*.so). */
    private static Set<String> extractedLibraries() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> files = Files.list(tmp)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.startsWith("libwasmtime_jni"))
                    .collect(Collectors.toSet());
        }
    }

    /** Those of {@link #extractedLibraries()} written since {@code millis} (other processes may have left some). */
    private static Set<String> extractedSince(long millis) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Set<String> recent = new java.util.HashSet<>();
        for (String name : extractedLibraries()) {
            if (Files.getLastModifiedTime(tmp.resolve(name)).toMillis() >= millis) {
                recent.add(name);
            }
        }
        return recent;
    }

    private static byte[] read(String location) throws IOException {
        try (InputStream in = open(location)) {
            return in.readAllBytes();
        }
    }

    private static InputStream open(String location) throws IOException {
        try {
            return new URL(location.startsWith("reference:") ? location.substring("reference:".length()) : location)
                    .openStream();
        } catch (MalformedURLException e) {
            return Files.newInputStream(Path.of(location));
        }
    }
}
