/*
 * fib.wasm - the CPU-bound compute benchmark: naive doubly recursive Fibonacci, the same algorithm as
 * io.forgeone.benchmarks.compute.JavaPrograms#fib. No imports; exports fib(n).
 */
__attribute__((export_name("fib")))
int fib(int n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
