/*
 * counter.wasm N PATH - counts from 1 to N, adding each number to a total.
 * At every step it reads the monotonic clock and 4 random bytes, appends
 * "I TOTAL" to PATH (opened for writing once, kept open) and prints
 * "count I" on stdout, each flushed: many host calls of several kinds.
 * Ends with "total T" on stdout (T = N*(N+1)/2), exit 0.
 * For snapshot tests: a snapshot taken at any host call and restored must
 * finish with the same total and the same file as an uninterrupted run.
 * Bad arguments: usage on stderr, exit 2; PATH cannot be opened: exit 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: counter.wasm N PATH\n");
        return 2;
    }
    long n = strtol(argv[1], NULL, 10);
    if (n <= 0) {
        fprintf(stderr, "counter: bad count: %s\n", argv[1]);
        return 2;
    }
    FILE *f = fopen(argv[2], "w");
    if (f == NULL) {
        perror(argv[2]);
        return 1;
    }
    long long total = 0;
    unsigned noise = 0;
    for (long i = 1; i <= n; i++) {
        total += i;
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        unsigned char r[4];
        if (getentropy(r, sizeof r) != 0) {
            perror("getentropy");
            return 1;
        }
        /* the clock and random values reach memory but not the output */
        noise ^= (unsigned) now.tv_nsec ^ r[0];
        fprintf(f, "%ld %lld\n", i, total);
        fflush(f);
        printf("count %ld\n", i);
        fflush(stdout);
    }
    fclose(f);
    printf("total %lld\n", total);
    return noise == 0xFFFFFFFFu ? 3 : 0;
}
