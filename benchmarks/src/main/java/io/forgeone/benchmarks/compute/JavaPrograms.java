package io.forgeone.benchmarks.compute;

/** The compute programs of {@code src/wasm/fib.c} and {@code sieve.c}, in plain Java. */
public final class JavaPrograms {

    private JavaPrograms() {
    }

    /** As fib.c is written: naive doubly recursive Fibonacci. */
    public static int fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    /**
     * fib.c as clang -O2 compiles it (see fib.wasm): the second recursive call turned into a loop with an
     * accumulator, so half the calls. Not a baseline for the targets; it tells how much of the gap to Java is
     * clang's doing rather than the engine's.
     */
    public static int fibAsClangCompilesIt(int n) {
        int sum = 0;
        while (n >= 2) {
            sum += fibAsClangCompilesIt(n - 1);
            n -= 2;
        }
        return sum + n;
    }

    /** As sieve.c: the count of primes up to {@code n}, one byte per number in {@code composite}. */
    public static int sieve(byte[] composite, int n) {
        for (int i = 0; i <= n; i++) {
            composite[i] = 0;
        }
        int count = 0;
        for (int i = 2; i <= n; i++) {
            if (composite[i] == 0) {
                count++;
                for (long j = (long) i * i; j <= n; j += i) {
                    composite[(int) j] = 1;
                }
            }
        }
        return count;
    }
}
