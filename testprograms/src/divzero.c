/*
 * divzero.wasm - prints "about to divide by zero\n" on stdout (flushed),
 * then computes 1 / 0 with i32.div_s on volatile operands, which traps
 * ("integer divide by zero"). If the host did not trap it would print
 * "result=<n>" and exit 0 - a test must fail on that.
 */
#include <stdio.h>

static volatile int numerator = 1;
static volatile int denominator = 0;

int main(void) {
    printf("about to divide by zero\n");
    fflush(stdout);
    int result = numerator / denominator;
    printf("result=%d\n", result);
    return 0;
}
