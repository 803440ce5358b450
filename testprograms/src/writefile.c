/*
 * writefile.wasm PATH TEXT - creates or truncates PATH (mode 0644,
 * open(O_RDWR|O_CREAT|O_TRUNC)), writes TEXT (no newline added), seeks
 * back to 0, reads the file back and checks it equals TEXT.
 * stdout on success: "wrote N bytes to PATH" (N = strlen(TEXT)); exit 0.
 * On failure, on stderr, exit 1:
 *   writefile: PATH: <step>: <strerror(errno)>   step = open|write|lseek|read|close
 *   writefile: PATH: verify failed
 * Wrong argument count: "usage: writefile.wasm PATH TEXT" on stderr, exit 2.
 * Note: needs fd_read and fd_write rights, so a read-only preopen makes
 * the open step fail.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *path;

static void fail(const char *step) {
    fprintf(stderr, "writefile: %s: %s: %s\n", path, step, strerror(errno));
    exit(1);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: writefile.wasm PATH TEXT\n");
        return 2;
    }
    path = argv[1];
    const char *text = argv[2];
    size_t len = strlen(text);

    errno = 0;
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) fail("open");

    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, text + done, len - done);
        if (n < 0) fail("write");
        if (n == 0) { errno = EIO; fail("write"); }
        done += (size_t) n;
    }

    if (lseek(fd, 0, SEEK_SET) != 0) fail("lseek");

    char *back = malloc(len + 2);
    if (back == NULL) { errno = ENOMEM; fail("read"); }
    size_t got = 0;
    for (;;) {
        ssize_t n = read(fd, back + got, len + 1 - got);
        if (n < 0) fail("read");
        if (n == 0) break;
        got += (size_t) n;
        if (got == len + 1) break; /* more bytes than written: mismatch */
    }
    if (close(fd) != 0) fail("close");

    if (got != len || memcmp(back, text, len) != 0) {
        fprintf(stderr, "writefile: %s: verify failed\n", path);
        return 1;
    }
    printf("wrote %zu bytes to %s\n", len, path);
    return 0;
}
