/*
 * loop.wasm - prints "looping\n" on stdout (flushed), then spins forever.
 * Never returns, never calls proc_exit, never makes another WASI call:
 * the host must stop it (timeout / fuel / interruption).
 */
#include <stdio.h>

static volatile unsigned int counter;

int main(void) {
    printf("looping\n");
    fflush(stdout);
    for (;;) {
        counter = counter + 1; /* volatile: the loop cannot be removed */
    }
}
