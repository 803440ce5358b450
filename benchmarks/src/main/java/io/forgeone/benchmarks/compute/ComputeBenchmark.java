package io.forgeone.benchmarks.compute;

import io.forgeone.api.engine.InstanceLimits;
import io.forgeone.api.engine.WasmEngine;
import io.forgeone.api.engine.WasmInstance;
import io.forgeone.benchmarks.Fixtures;
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
 * CPU-bound ({@code fib.wasm}, fib({@value #FIB_N})) and memory-bound ({@code sieve.wasm}, primes up to
 * {@value #SIEVE_N} over a 4 MB byte array) programs on the engine, calling the exports directly (no WASI).
 * {@link JavaComputeBenchmark} runs the same algorithms in plain Java: the report gives the ratios.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class ComputeBenchmark {

    static final int FIB_N = 30;
    static final int FIB_RESULT = 832_040;
    static final int SIEVE_N = 4_000_000;
    static final int SIEVE_RESULT = 283_146;
    /** Small inputs to check the programs with before measuring (the interpreter takes seconds for the big ones). */
    static final int FIB_CHECK_N = 20;
    static final int FIB_CHECK = 6_765;
    static final int SIEVE_CHECK_N = 100_000;
    static final int SIEVE_CHECK = 9_592;

    @Param({Fixtures.COMPILED, Fixtures.INTERPRETED})
    public String mode;

    private WasmInstance fib;
    private WasmInstance sieve;

    @Setup
    public void setUp() {
        WasmEngine engine = Fixtures.engine(mode);
        fib = engine.instantiate(engine.compile(Fixtures.wasm("fib.wasm")), List.of(), new InstanceLimits(16));
        sieve = engine.instantiate(engine.compile(Fixtures.wasm("sieve.wasm")), List.of(), new InstanceLimits(256));
        expect("fib", FIB_CHECK, fib.call("fib", FIB_CHECK_N)[0]);
        expect("sieve", SIEVE_CHECK, sieve.call("sieve", SIEVE_CHECK_N)[0]);
    }

    static void expect(String what, long expected, long actual) {
        if (expected != actual) {
            throw new IllegalStateException(what + " returned " + actual + ", expected " + expected);
        }
    }

    @TearDown
    public void tearDown() {
        fib.close();
        sieve.close();
    }

    @Benchmark
    public long fib() {
        return fib.call("fib", FIB_N)[0];
    }

    @Benchmark
    public long sieve() {
        return sieve.call("sieve", SIEVE_N)[0];
    }
}
