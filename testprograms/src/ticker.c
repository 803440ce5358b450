/*
 * ticker.wasm N [PATH] - counts from 1 to N, printing "tick I" (flushed)
 * and sleeping 10 ms after each; with PATH, at tick N/2 it tries to create
 * PATH for writing and prints "open PATH: ok" or "open PATH: <strerror>".
 * Ends with "ticked N" on stdout, exit 0 (whether or not the open worked).
 * A program that keeps making host calls, for pause, quarantine and
 * snapshot tests: it must resume exactly where it was held.
 * Bad arguments: usage on stderr, exit 2.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: ticker.wasm N [PATH]\n");
        return 2;
    }
    long n = strtol(argv[1], NULL, 10);
    if (n <= 0) {
        fprintf(stderr, "ticker: bad count: %s\n", argv[1]);
        return 2;
    }
    struct timespec pause = {0, 10 * 1000 * 1000};
    for (long i = 1; i <= n; i++) {
        printf("tick %ld\n", i);
        fflush(stdout);
        if (argc == 3 && i == n / 2) {
            FILE *f = fopen(argv[2], "w");
            if (f == NULL) {
                printf("open %s: %s\n", argv[2], strerror(errno));
            } else {
                printf("open %s: ok\n", argv[2]);
                fclose(f);
            }
            fflush(stdout);
        }
        nanosleep(&pause, NULL);
    }
    printf("ticked %ld\n", n);
    return 0;
}
