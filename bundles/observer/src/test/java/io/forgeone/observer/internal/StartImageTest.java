package io.forgeone.observer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerLimits;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerSpecException;
import io.forgeone.api.engine.InstanceImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Pre-initialised start images (Wizer-like) made and run by the real kernel on Chicory. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StartImageTest {
    @TempDir
    Path tmp;
    private Node node;

    @BeforeEach
    void setUp() {
        node = new Node(tmp, Map.of());
    }

    @AfterEach
    void tearDown() {
        node.close();
    }

    private ContainerInfo run(Path module, Node.Captured io, String... args) throws InterruptedException {
        ContainerSpec spec = new ContainerSpec(null, module, List.of(args), Map.of(), List.of(), null,
                ContainerLimits.DEFAULT.withWallTimeout(Duration.ofSeconds(90)));
        ContainerInfo created = node.runtime.create(spec, io.io());
        node.runtime.start(created.id());
        return node.await(created.id());
    }

    @Test
    void aProgramStartedFromItsImageSkipsItsInitialisationWithIdenticalOutput() throws Exception {
        Path image = tmp.resolve("prebuilt.fimg");
        InstanceImage made = node.runtime.preinitialise(Programs.wasm("prebuilt.wasm"), "wizer.initialize", image);
        assertTrue(made.memory().length > 800_000, "the table of 200000 primes is in the image");

        Node.Captured cold = new Node.Captured();
        long coldStart = System.nanoTime();
        ContainerInfo c = run(Programs.wasm("prebuilt.wasm"), cold, "150000");
        long coldNanos = System.nanoTime() - coldStart;
        Node.Captured warm = new Node.Captured();
        long warmStart = System.nanoTime();
        ContainerInfo w = run(image, warm, "150000");
        long warmNanos = System.nanoTime() - warmStart;
        assertEquals(0, c.exitCode(), cold.stderr());
        assertEquals(0, w.exitCode(), w.message() + warm.stderr());
        assertTrue(cold.stdout().startsWith("prime[150000] = 2015177\ntable hash "), cold.stdout());
        assertEquals(cold.stdout(), warm.stdout());
        assertEquals("prebuilt.wasm", w.args().get(0));
        // one run each on a shared machine: a sanity check, not a measurement (benchmarks/ has the JMH one)
        System.out.printf("prebuilt: cold %.1f ms, from image %.1f ms%n", coldNanos / 1e6, warmNanos / 1e6);
    }

    @Test
    void anInitialiserThatMakesAHostCallIsRefused() {
        ContainerSpecException e = assertThrows(ContainerSpecException.class,
                () -> node.runtime.preinitialise(Programs.wasm("hello.wasm"), "_start", tmp.resolve("hello.fimg")));
        assertTrue(e.getMessage().contains("the initialiser called wasi_snapshot_preview1."), e.getMessage());
        assertTrue(Files.notExists(tmp.resolve("hello.fimg")));
        ContainerSpecException missing = assertThrows(ContainerSpecException.class,
                () -> node.runtime.preinitialise(Programs.wasm("hello.wasm"), "nope", tmp.resolve("x.fimg")));
        assertTrue(missing.getMessage().contains("exports no function 'nope'"), missing.getMessage());
    }

    @Test
    void aDamagedImageIsRefusedNamingTheFile() throws Exception {
        Path image = tmp.resolve("prebuilt.fimg");
        node.runtime.preinitialise(Programs.wasm("prebuilt.wasm"), "wizer.initialize", image);
        byte[] bytes = Files.readAllBytes(image);
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 4;
        Path bad = tmp.resolve("flipped.fimg");
        Files.write(bad, flipped);
        ContainerSpecException e = assertThrows(ContainerSpecException.class,
                () -> node.runtime.create(ContainerSpec.of(bad), new Node.Captured().io()));
        assertTrue(e.getMessage().startsWith(bad.toString()) && e.getMessage().contains("checksum mismatch"),
                e.getMessage());
        Path cut = tmp.resolve("cut.fimg");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        ContainerSpecException c = assertThrows(ContainerSpecException.class,
                () -> node.runtime.create(ContainerSpec.of(cut), new Node.Captured().io()));
        assertTrue(c.getMessage().startsWith(cut.toString()), c.getMessage());
        assertTrue(node.runtime.list().isEmpty());
    }
}
