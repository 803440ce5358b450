/*
 * listdir.wasm [DIR] - lists DIR (default ".") with opendir/readdir.
 * stdout: the entry names except "." and "..", sorted by strcmp (byte
 *         order), one per line. An empty directory prints nothing.
 * Error:  "listdir: DIR: <strerror(errno)>" on stderr, exit 1.
 * Exit:   0 on success.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *) a, *(char *const *) b);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : ".";
    errno = 0;
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "listdir: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    for (;;) {
        errno = 0;
        struct dirent *ent = readdir(d);
        if (ent == NULL) {
            if (errno != 0) {
                fprintf(stderr, "listdir: %s: %s\n", dir, strerror(errno));
                return 1;
            }
            break;
        }
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0) {
            continue;
        }
        if (count == cap) {
            cap = cap ? cap * 2 : 16;
            names = realloc(names, cap * sizeof *names);
            if (names == NULL) {
                fprintf(stderr, "listdir: %s: %s\n", dir, strerror(ENOMEM));
                return 1;
            }
        }
        names[count] = strdup(ent->d_name);
        if (names[count] == NULL) {
            fprintf(stderr, "listdir: %s: %s\n", dir, strerror(ENOMEM));
            return 1;
        }
        count++;
    }
    closedir(d);
    qsort(names, count, sizeof *names, cmp);
    for (size_t i = 0; i < count; i++) {
        printf("%s\n", names[i]);
    }
    return 0;
}
