package io.forgeone.benchmarks.startup;

import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.benchmarks.Fixtures;
import io.forgeone.kernel.internal.PermissiveGate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Start from a pre-initialised image (issue 6, part 4) against a cold start, with the test programs'
 * {@code prebuilt.wasm}: its initialiser ({@code wizer.initialize}) builds a table of 200,000 primes. A cold start
 * runs it in {@code _start}; a start from {@code prebuilt.fimg} (made by {@code ContainerRuntime.preinitialise}, as
 * {@code forge snapshot init} does) writes the image's memory and globals into the instance and skips it. Both are
 * whole container runs through the runtime (create, start, wait, delete), checked to print the same.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class SnapshotStartBenchmark {

    private Path dir;
    private ContainerRuntime runtime;
    private ContainerSpec cold;
    private ContainerSpec fromImage;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("forge-bench-snapshot");
        runtime = Fixtures.runtime(Fixtures.engine(Fixtures.COMPILED), new PermissiveGate());
        Path module = Fixtures.wasmFile("prebuilt.wasm", dir);
        Path image = dir.resolve("prebuilt.fimg");
        runtime.preinitialise(module, "wizer.initialize", image);
        cold = ContainerSpec.of(module);
        fromImage = ContainerSpec.of(image);
        String expected = Fixtures.runForOutput(runtime, cold);
        String actual = Fixtures.runForOutput(runtime, fromImage);
        if (!expected.startsWith("prime[100000] = 1299709\n") || !expected.equals(actual)) {
            throw new IllegalStateException("prebuilt printed '" + expected + "' cold and '" + actual
                    + "' from its image");
        }
    }

    @TearDown
    public void tearDown() {
        Fixtures.stop(runtime);
        Fixtures.deleteTree(dir);
    }

    /** A cold start: the initialiser runs in _start. */
    @Benchmark
    public ContainerInfo coldStart() {
        return Fixtures.run(runtime, cold);
    }

    /** A start from the pre-initialised image: instantiate, write memory and globals, _start. */
    @Benchmark
    public ContainerInfo startFromImage() {
        return Fixtures.run(runtime, fromImage);
    }
}
