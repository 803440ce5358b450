/*
 * rwfile.wasm N PATH - keeps PATH open for reading and writing (w+) while
 * it appends N lines "line I"; after each it seeks back to the start,
 * reads the whole file, checks that it holds exactly I lines, seeks to the
 * end again and prints "lines I". Ends with "read back N lines" on stdout,
 * exit 0; a file that does not hold what was written: "mismatch ..." on
 * stderr, exit 1. For snapshot tests: the descriptor, its offset and its
 * stdio buffer must survive a snapshot and restore.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: rwfile.wasm N PATH\n");
        return 2;
    }
    long n = strtol(argv[1], NULL, 10);
    if (n <= 0) {
        fprintf(stderr, "rwfile: bad count: %s\n", argv[1]);
        return 2;
    }
    FILE *f = fopen(argv[2], "w+");
    if (f == NULL) {
        perror(argv[2]);
        return 1;
    }
    char line[64];
    for (long i = 1; i <= n; i++) {
        fprintf(f, "line %ld\n", i);
        fflush(f);
        if (fseek(f, 0, SEEK_SET) != 0) {
            perror("fseek");
            return 1;
        }
        long seen = 0;
        while (fgets(line, sizeof line, f) != NULL) {
            seen++;
            char want[64];
            snprintf(want, sizeof want, "line %ld\n", seen);
            if (strcmp(line, want) != 0) {
                fprintf(stderr, "mismatch at line %ld: %s", seen, line);
                return 1;
            }
        }
        if (seen != i) {
            fprintf(stderr, "mismatch: %ld lines after writing %ld\n", seen, i);
            return 1;
        }
        if (fseek(f, 0, SEEK_END) != 0) {
            perror("fseek");
            return 1;
        }
        printf("lines %ld\n", i);
        fflush(stdout);
    }
    fclose(f);
    printf("read back %ld lines\n", n);
    return 0;
}
