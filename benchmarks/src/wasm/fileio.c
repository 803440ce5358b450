/*
 * fileio.wasm - the WASI I/O benchmark, a command module run through the ContainerRuntime with a preopen:
 *
 *   fileio.wasm write PATH MIB   creates or truncates PATH and writes MIB MiB to it, 64 KiB per write()
 *   fileio.wasm read PATH        reads PATH to its end, 64 KiB per read(), and prints the byte count
 *
 * The same loops as io.forgeone.benchmarks.io.WasiIoBenchmark's plain Java NIO baseline. Exit 0 on success,
 * 1 with a message on stderr on any error, 2 on bad usage.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUFFER_SIZE 65536

static unsigned char buffer[BUFFER_SIZE];

static int fail(const char *path, const char *step) {
    fprintf(stderr, "fileio: %s: %s: ", path, step);
    perror(NULL);
    return 1;
}

static int write_file(const char *path, long mib) {
    for (int i = 0; i < BUFFER_SIZE; i++) {
        buffer[i] = (unsigned char) i;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        return fail(path, "open");
    }
    long chunks = mib * (1024 * 1024 / BUFFER_SIZE);
    for (long c = 0; c < chunks; c++) {
        size_t done = 0;
        while (done < BUFFER_SIZE) {
            ssize_t n = write(fd, buffer + done, BUFFER_SIZE - done);
            if (n < 0) {
                return fail(path, "write");
            }
            done += (size_t) n;
        }
    }
    if (close(fd) != 0) {
        return fail(path, "close");
    }
    return 0;
}

static int read_file(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return fail(path, "open");
    }
    long long total = 0;
    for (;;) {
        ssize_t n = read(fd, buffer, BUFFER_SIZE);
        if (n < 0) {
            return fail(path, "read");
        }
        if (n == 0) {
            break;
        }
        total += n;
    }
    close(fd);
    printf("%lld\n", total);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "write") == 0) {
        return write_file(argv[2], atol(argv[3]));
    }
    if (argc == 3 && strcmp(argv[1], "read") == 0) {
        return read_file(argv[2]);
    }
    fprintf(stderr, "usage: fileio.wasm write PATH MIB | read PATH\n");
    return 2;
}
