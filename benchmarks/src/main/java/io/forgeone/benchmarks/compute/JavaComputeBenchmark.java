package io.forgeone.benchmarks.compute;

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
import org.openjdk.jmh.annotations.Warmup;

/** The baselines of {@link ComputeBenchmark}: the same programs in plain Java, on the same JVM settings. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class JavaComputeBenchmark {

    /** Read from a field so the JIT cannot fold the calls into constants. */
    public int fibN = ComputeBenchmark.FIB_N;
    public int sieveN = ComputeBenchmark.SIEVE_N;
    private byte[] composite;

    @Setup
    public void setUp() {
        composite = new byte[sieveN + 1];
        ComputeBenchmark.expect("fib", ComputeBenchmark.FIB_RESULT, JavaPrograms.fib(fibN));
        ComputeBenchmark.expect("fibAsClangCompilesIt", ComputeBenchmark.FIB_RESULT,
                JavaPrograms.fibAsClangCompilesIt(fibN));
        ComputeBenchmark.expect("sieve", ComputeBenchmark.SIEVE_RESULT, JavaPrograms.sieve(composite, sieveN));
        ComputeBenchmark.expect("fib", ComputeBenchmark.FIB_CHECK, JavaPrograms.fib(ComputeBenchmark.FIB_CHECK_N));
        ComputeBenchmark.expect("sieve", ComputeBenchmark.SIEVE_CHECK,
                JavaPrograms.sieve(new byte[ComputeBenchmark.SIEVE_CHECK_N + 1], ComputeBenchmark.SIEVE_CHECK_N));
    }

    @Benchmark
    public int fib() {
        return JavaPrograms.fib(fibN);
    }

    @Benchmark
    public int fibAsClangCompilesIt() {
        return JavaPrograms.fibAsClangCompilesIt(fibN);
    }

    @Benchmark
    public int sieve() {
        return JavaPrograms.sieve(composite, sieveN);
    }
}
