package io.forgeone.benchmarks.io;

import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.wasi.Preopen;
import io.forgeone.benchmarks.Fixtures;
import io.forgeone.kernel.internal.PermissiveGate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * File I/O through WASI: {@code fileio.wasm} (C, read()/write() with a 64 KiB buffer) reads or writes a
 * {@value #MIB} MiB file in a directory preopened as {@code data}, one whole container run per operation.
 * {@link JavaIoBenchmark} does the same with plain Java NIO.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class WasiIoBenchmark {

    static final int MIB = 64;
    static final int BUFFER = 64 * 1024;
    static final long BYTES = MIB * 1024L * 1024L;

    @Param({Fixtures.COMPILED, Fixtures.INTERPRETED})
    public String mode;

    private Path dir;
    private ContainerRuntime runtime;
    private ContainerSpec read;
    private ContainerSpec write;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("forge-bench-io");
        Path data = Files.createDirectory(dir.resolve("data"));
        JavaIoBenchmark.writeFile(data.resolve("in.bin"), MIB, BUFFER);
        ContainerSpec fileio = ContainerSpec.of(Fixtures.wasmFile("fileio.wasm", dir))
                .withPreopens(List.of(new Preopen(data, "data")));
        read = fileio.withArgs(List.of("read", "data/in.bin"));
        write = fileio.withArgs(List.of("write", "data/out.bin", Integer.toString(MIB)));
        runtime = Fixtures.runtime(Fixtures.engine(mode), new PermissiveGate());
        String out = Fixtures.runForOutput(runtime, read);
        if (!out.equals(BYTES + "\n")) {
            throw new IllegalStateException("fileio.wasm read printed '" + out + "', expected " + BYTES);
        }
        Fixtures.run(runtime, write);
        if (Files.size(data.resolve("out.bin")) != BYTES) {
            throw new IllegalStateException("fileio.wasm write left " + Files.size(data.resolve("out.bin"))
                    + " bytes, expected " + BYTES);
        }
    }

    @TearDown
    public void tearDown() {
        Fixtures.stop(runtime);
        Fixtures.deleteTree(dir);
    }

    @Benchmark
    public ContainerInfo read() {
        return Fixtures.run(runtime, read);
    }

    @Benchmark
    public ContainerInfo write() {
        return Fixtures.run(runtime, write);
    }
}
