/*
 * openmany.wasm DIR N - opens DIR/f0 .. DIR/f<N-1> for reading, one after
 * the other, and keeps every one open (the files must exist).
 *
 * stdout: "opened K of N" (K = how many opened before the first failure).
 * stderr, when one fails: "openmany: DIR/fK: <strerror(errno)>".
 * Exit: 0 when all N opened, 1 when one failed, 2 on bad arguments.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: openmany.wasm DIR N\n");
        return 2;
    }
    long n = strtol(argv[2], NULL, 10);
    if (n <= 0 || n > 100000) {
        fprintf(stderr, "openmany: bad count: %s\n", argv[2]);
        return 2;
    }
    char path[4096];
    for (long k = 0; k < n; k++) {
        snprintf(path, sizeof path, "%s/f%ld", argv[1], k);
        if (open(path, O_RDONLY) < 0) {
            int e = errno;
            printf("opened %ld of %ld\n", k, n);
            fflush(stdout);
            fprintf(stderr, "openmany: %s: %s\n", path, strerror(e));
            return 1;
        }
    }
    printf("opened %ld of %ld\n", n, n);
    return 0;
}
