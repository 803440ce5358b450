/*
 * cat.wasm PATH...   - copy each file to stdout, in order.
 * cat.wasm           - copy stdin to stdout until EOF.
 *
 * Paths are passed to fopen() unchanged, so they resolve against the
 * preopened directories the way wasi-libc does it (e.g. "data/input.txt"
 * or "/data/input.txt" with a guest preopen named "data").
 *
 * Errors (open or read failure of PATH) print, on stderr:
 *   cat: PATH: <strerror(errno)>
 * and cat goes on with the next PATH (like POSIX cat); the exit code is 1
 * if any PATH failed, else 0. A failure to write stdout prints
 *   cat: write error: <strerror(errno)>
 * and exits 1 at once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char buf[65536];

/* Returns 0 on success, -1 on a read error (errno set); exits on write error. */
static int copy(FILE *in) {
    for (;;) {
        size_t n = fread(buf, 1, sizeof buf, in);
        if (n > 0 && fwrite(buf, 1, n, stdout) != n) {
            int e = errno;
            fprintf(stderr, "cat: write error: %s\n", strerror(e));
            _Exit(1);
        }
        if (n < sizeof buf) {
            if (ferror(in)) {
                return -1;
            }
            return 0; /* EOF */
        }
    }
}

int main(int argc, char **argv) {
    int status = 0;
    if (argc < 2) {
        if (copy(stdin) != 0) {
            fprintf(stderr, "cat: <stdin>: %s\n", strerror(errno));
            status = 1;
        }
    } else {
        for (int i = 1; i < argc; i++) {
            errno = 0;
            FILE *f = fopen(argv[i], "r");
            if (f == NULL) {
                fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
                status = 1;
                continue;
            }
            errno = 0;
            if (copy(f) != 0) {
                fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
                status = 1;
            }
            fclose(f);
        }
    }
    if (fflush(stdout) != 0) {
        fprintf(stderr, "cat: write error: %s\n", strerror(errno));
        return 1;
    }
    return status;
}
