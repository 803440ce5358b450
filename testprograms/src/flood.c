/*
 * flood.wasm [N] - writes N lines (default 200000) to stdout:
 *   "line 1 of flood\n" ... "line N of flood\n"
 * then flushes stdout and writes "flood done\n" to stderr. Exit 0.
 * With the default N the stdout is exactly 4,088,895 bytes
 * (sum over i of strlen("line  of flood\n") + digits(i)).
 * If writing stdout fails: "flood: write error: <strerror>" on stderr, exit 1.
 * A bad N prints "flood: bad count: N" on stderr and exits 2.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    long n = 200000;
    if (argc > 1) {
        char *end = NULL;
        errno = 0;
        n = strtol(argv[1], &end, 10);
        if (errno != 0 || end == argv[1] || *end != '\0' || n < 0) {
            fprintf(stderr, "flood: bad count: %s\n", argv[1]);
            return 2;
        }
    }
    for (long i = 1; i <= n; i++) {
        if (printf("line %ld of flood\n", i) < 0) {
            break;
        }
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "flood: write error: %s\n", strerror(errno));
        return 1;
    }
    fprintf(stderr, "flood done\n");
    return 0;
}
