/*
 * escape.wasm [PATH...] - tries to read files outside its sandbox.
 *
 * With no arguments it tries, in this order:
 *   ../secret.txt            parent of the preopen, by ".."
 *   /etc/passwd              host absolute path
 *   data/../../secret.txt    ".." through a real subdirectory
 *   link_out/passwd          through a symlink link_out -> /etc (absolute)
 *   abs_link                 a symlink abs_link -> /etc/passwd (absolute)
 * With arguments it tries exactly those paths instead.
 *
 * The default list assumes this layout (the test builds it):
 *   HOST/secret.txt          some content; must NOT be readable
 *   HOST/sandbox/            preopened as guest "." (or "/")
 *   HOST/sandbox/data/       a real directory
 *   HOST/sandbox/link_out    symlink -> /etc
 *   HOST/sandbox/abs_link    symlink -> /etc/passwd
 *
 * For each path it opens with open(O_RDONLY) and reads up to 4 KiB:
 *   ESCAPE-BLOCKED <path> errno=<strerror(errno)>
 *   ESCAPE-SUCCEEDED <path> content=<first line of what was read>
 * (a path that opens but cannot be read is reported BLOCKED with the read
 * errno). After the list: "escape: N blocked, M succeeded".
 * Exit: 0 if every attempt was blocked, 1 if any succeeded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const defaults[] = {
    "../secret.txt",
    "/etc/passwd",
    "data/../../secret.txt",
    "link_out/passwd",
    "abs_link",
};

/* Returns 1 if the read succeeded (escape), 0 if blocked. */
static int attempt(const char *path) {
    char buf[4096];
    errno = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("ESCAPE-BLOCKED %s errno=%s\n", path, strerror(errno));
        return 0;
    }
    errno = 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    int e = errno;
    close(fd);
    if (n < 0) {
        printf("ESCAPE-BLOCKED %s errno=%s\n", path, strerror(e));
        return 0;
    }
    buf[n] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    printf("ESCAPE-SUCCEEDED %s content=%s\n", path, buf);
    return 1;
}

int main(int argc, char **argv) {
    int blocked = 0, succeeded = 0;
    if (argc > 1) {
        for (int i = 1; i < argc; i++) {
            if (attempt(argv[i])) succeeded++; else blocked++;
        }
    } else {
        for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
            if (attempt(defaults[i])) succeeded++; else blocked++;
        }
    }
    printf("escape: %d blocked, %d succeeded\n", blocked, succeeded);
    return succeeded == 0 ? 0 : 1;
}
