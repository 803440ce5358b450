/*
 * membomb.wasm - allocates 1 MiB chunks with malloc() forever, writing
 * every byte of each (memset), until malloc returns NULL.
 *
 * stdout: "allocated N MiB" after every 64 MiB (N = 64, 128, ...), flushed.
 * stderr: "malloc failed after N MiB" where N = number of 1 MiB chunks
 *         successfully allocated.
 * Exit:   3 (by exit(), i.e. proc_exit(3)).
 *
 * wasi-libc's malloc grows linear memory with memory.grow; when the host
 * refuses (module limit, runtime memory limit, or the 4 GiB wasm32 ceiling)
 * memory.grow returns -1 and malloc returns NULL: no trap is involved.
 * The module declares no memory maximum, so the limit comes from the host.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (1024u * 1024u)

/* Chunks are chained through their first word and the head is kept in a
 * volatile global, so the compiler cannot drop the allocations. */
static void *volatile head;

int main(void) {
    unsigned int mib = 0;
    for (;;) {
        void **chunk = malloc(CHUNK);
        if (chunk == NULL) {
            fprintf(stderr, "malloc failed after %u MiB\n", mib);
            fflush(stderr);
            exit(3);
        }
        memset(chunk, 0xA5, CHUNK);
        *chunk = head;
        head = chunk;
        mib++;
        if (mib % 64 == 0) {
            printf("allocated %u MiB\n", mib);
            fflush(stdout);
        }
    }
}
