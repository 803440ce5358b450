/*
 * sieve.wasm - the memory-bound compute benchmark: sieve of Eratosthenes over a byte per number (4 MB for
 * the benchmark's 4,000,000: strided stores over eight times a core's L2 cache here), the same algorithm as
 * io.forgeone.benchmarks.compute.JavaPrograms#sieve. No imports; exports sieve(n), the count of primes <= n.
 */
#define MAX_N 4000000

static unsigned char composite[MAX_N + 1];

__attribute__((export_name("sieve")))
int sieve(int n) {
    if (n < 2 || n > MAX_N) {
        return -1;
    }
    for (int i = 0; i <= n; i++) {
        composite[i] = 0;
    }
    int count = 0;
    for (int i = 2; i <= n; i++) {
        if (!composite[i]) {
            count++;
            for (long long j = (long long) i * i; j <= n; j += i) {
                composite[j] = 1;
            }
        }
    }
    return count;
}
