/*
 * exitcode.wasm [N] - exits with status N (decimal, default 7) via exit(),
 * i.e. always through the WASI proc_exit import, even for N = 0.
 * Prints nothing. N is parsed with strtol and passed to exit() as an int,
 * so proc_exit receives it as a u32 (e.g. -1 -> 4294967295); use 0..125
 * in tests. A non-numeric N prints "exitcode: bad number: N" on stderr and
 * exits 2.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    int code = 7;
    if (argc > 1) {
        char *end = NULL;
        errno = 0;
        long v = strtol(argv[1], &end, 10);
        if (errno != 0 || end == argv[1] || *end != '\0') {
            fprintf(stderr, "exitcode: bad number: %s\n", argv[1]);
            exit(2);
        }
        code = (int) v;
    }
    exit(code);
}
