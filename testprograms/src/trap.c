/*
 * trap.wasm - prints "about to trap\n" on stdout (flushed), then executes
 * the wasm `unreachable` instruction (__builtin_trap). Never exits normally.
 */
#include <stdio.h>

int main(void) {
    printf("about to trap\n");
    fflush(stdout);
    __builtin_trap();
}
