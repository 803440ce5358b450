/*
 * stat.wasm PATH... - stat() (follows symlinks) each PATH and prints one
 * line per PATH on stdout:
 *   PATH type=file size=N      regular file, N = size in bytes
 *   PATH type=dir size=N       directory (N is host-dependent: don't assert)
 *   PATH type=other size=N     anything else
 *   PATH error=<strerror(errno)>
 * Exit: 0 if every stat succeeded, 1 if any failed, 2 with no PATH
 * (prints "usage: stat.wasm PATH..." on stderr).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: stat.wasm PATH...\n");
        return 2;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        errno = 0;
        if (stat(argv[i], &st) != 0) {
            printf("%s error=%s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        const char *type = S_ISREG(st.st_mode) ? "file"
                         : S_ISDIR(st.st_mode) ? "dir"
                         : "other";
        printf("%s type=%s size=%lld\n", argv[i], type, (long long) st.st_size);
    }
    return status;
}
