package io.forgeone.benchmarks.startup;

import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.engine.CompiledModule;
import io.forgeone.api.engine.InstanceLimits;
import io.forgeone.api.engine.WasmEngine;
import io.forgeone.api.engine.WasmInstance;
import io.forgeone.api.wasi.WasiConfig;
import io.forgeone.api.wasi.WasiEnvironment;
import io.forgeone.api.wasi.WasiProvider;
import io.forgeone.benchmarks.Fixtures;
import io.forgeone.kernel.internal.PermissiveGate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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
 * Start-up inside a warm JVM, with the test programs' {@code hello.wasm} (29 KB, wasi-libc's printf):
 * compiling it with the engine's cache bypassed, instantiating the cached module with a fresh WASI environment,
 * running it on the engine directly (instantiate and {@code _start}, the baseline of the next), and one whole
 * container run through the runtime (create, start, wait, delete).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class StartupBenchmark {

    private static final List<String> ARGV = List.of("hello.wasm");
    private static final String EXPECTED = "hello from wasm\narg[0]=hello.wasm\nenv count=0\n";

    @Param({Fixtures.COMPILED, Fixtures.INTERPRETED})
    public String mode;

    private Path dir;
    private byte[] hello;
    private WasmEngine uncachedEngine;
    private long compilation;
    private WasmEngine engine;
    private WasiProvider wasi;
    private CompiledModule module;
    private ContainerRuntime runtime;
    private ContainerSpec spec;
    private InstanceLimits limits;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("forge-bench-startup");
        hello = Fixtures.wasm("hello.wasm");
        // a cache of one, and a module that differs each time: every compile is a miss, and nothing piles up
        uncachedEngine = Fixtures.engine(mode, 1);
        engine = Fixtures.engine(mode);
        wasi = Fixtures.wasi();
        module = engine.compile(hello);
        limits = new InstanceLimits(4096);
        runtime = Fixtures.runtime(engine, new PermissiveGate());
        spec = ContainerSpec.of(Fixtures.wasmFile("hello.wasm", dir));
        String out = Fixtures.runForOutput(runtime, spec);
        if (!out.equals(EXPECTED)) {
            throw new IllegalStateException("hello.wasm printed '" + out + "', expected '" + EXPECTED + "'");
        }
        if (compile() == null) {
            throw new IllegalStateException("no module");
        }
    }

    @TearDown
    public void tearDown() {
        Fixtures.stop(runtime);
        Fixtures.deleteTree(dir);
    }

    /**
     * {@code wasm} with a custom section appended that holds {@code counter}: the same program to the engine,
     * but other bytes, so another SHA-256 and a cache miss.
     */
    static byte[] withCustomSection(byte[] wasm, long counter) {
        byte[] name = "forge-bench".getBytes(StandardCharsets.US_ASCII);
        int payload = 1 + name.length + Long.BYTES;
        ByteBuffer out = ByteBuffer.allocate(wasm.length + 2 + payload).order(ByteOrder.LITTLE_ENDIAN);
        out.put(wasm).put((byte) 0).put((byte) payload).put((byte) name.length).put(name).putLong(counter);
        return out.array();
    }

    /** Compiles hello.wasm, bypassing the cache (engine compile including its SHA-256 of the bytes). */
    @Benchmark
    public CompiledModule compile() {
        return uncachedEngine.compile(withCustomSection(hello, compilation++));
    }

    /** A fresh WASI environment and an instance of the cached module; nothing runs. */
    @Benchmark
    public int instantiate() {
        try (WasiEnvironment env = wasi.create(config());
                WasmInstance instance = engine.instantiate(module, env.hostFunctions(), limits)) {
            return instance.memoryPages();
        }
    }

    /** Instantiate and run {@code _start} on the engine: what a container run costs without the kernel. */
    @Benchmark
    public int runOnEngine() {
        try (WasiEnvironment env = wasi.create(config());
                WasmInstance instance = engine.instantiate(module, env.hostFunctions(), limits)) {
            instance.call("_start");
            return instance.memoryPages();
        }
    }

    /** A whole container run of hello in a warm runtime: create, start, wait, delete. */
    @Benchmark
    public ContainerInfo runInContainer() {
        return Fixtures.run(runtime, spec);
    }

    private static WasiConfig config() {
        return Fixtures.wasiConfig(ARGV);
    }
}
