/*
 * stackoverflow.wasm - prints "recursing\n" on stdout (flushed), then
 * recurses without bound. Never exits normally: the host must stop it
 * with a call-stack-exhaustion trap.
 *
 * The recursion is real wasm `call` recursion on the engine's call stack:
 * the function takes no addresses, so it keeps everything in wasm locals
 * and does not touch wasi-libc's shadow stack in linear memory (which
 * would otherwise overflow first, silently, after 64 KiB). The volatile
 * store after the call keeps the call out of tail position, so neither
 * clang's tail-recursion elimination nor an engine's tail calls apply.
 * The module is linked with --stack-first, so if the shadow stack were
 * ever exhausted it would trap (out-of-bounds) instead of corrupting data.
 */
#include <stdio.h>

static volatile int sink;
static volatile int stop_at = -1; /* never reached: depth is never negative */

__attribute__((noinline)) static int recurse(int depth) {
    if (depth == stop_at) {
        return 0;
    }
    int r = recurse(depth + 1);
    sink = depth; /* side effect after the call: not a tail call */
    return r + depth;
}

int main(void) {
    printf("recursing\n");
    fflush(stdout);
    int r = recurse(0);
    printf("recursion returned %d\n", r); /* not reached */
    return 0;
}
