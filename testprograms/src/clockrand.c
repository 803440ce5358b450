/*
 * clockrand.wasm - checks the WASI clocks and random source.
 *   realtime:  clock_gettime(CLOCK_REALTIME) succeeds and is after
 *              2000-01-01T00:00:00Z (946684800 s).
 *   monotonic: clock_gettime(CLOCK_MONOTONIC) succeeds twice and the
 *              second reading is >= the first.
 *   random:    getentropy() of 16 bytes succeeds and not all are zero.
 * stdout on success, exactly:
 *   realtime ok
 *   monotonic ok
 *   random ok
 * Each failed check prints "<name> FAILED: <reason>" instead, on stdout.
 * Exit: 0 if all three are ok, else 1.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    int failures = 0;

    struct timespec rt;
    errno = 0;
    if (clock_gettime(CLOCK_REALTIME, &rt) != 0) {
        printf("realtime FAILED: %s\n", strerror(errno));
        failures++;
    } else if ((long long) rt.tv_sec < 946684800LL) {
        printf("realtime FAILED: %lld s is before 2000-01-01\n", (long long) rt.tv_sec);
        failures++;
    } else {
        printf("realtime ok\n");
    }

    struct timespec m1, m2;
    errno = 0;
    if (clock_gettime(CLOCK_MONOTONIC, &m1) != 0 || clock_gettime(CLOCK_MONOTONIC, &m2) != 0) {
        printf("monotonic FAILED: %s\n", strerror(errno));
        failures++;
    } else {
        long long a = (long long) m1.tv_sec * 1000000000LL + m1.tv_nsec;
        long long b = (long long) m2.tv_sec * 1000000000LL + m2.tv_nsec;
        if (b < a) {
            printf("monotonic FAILED: went backwards %lld -> %lld ns\n", a, b);
            failures++;
        } else {
            printf("monotonic ok\n");
        }
    }

    unsigned char bytes[16];
    memset(bytes, 0, sizeof bytes);
    errno = 0;
    if (getentropy(bytes, sizeof bytes) != 0) {
        printf("random FAILED: %s\n", strerror(errno));
        failures++;
    } else {
        int nonzero = 0;
        for (size_t i = 0; i < sizeof bytes; i++) {
            nonzero |= bytes[i];
        }
        if (!nonzero) {
            printf("random FAILED: 16 zero bytes\n");
            failures++;
        } else {
            printf("random ok\n");
        }
    }
    return failures == 0 ? 0 : 1;
}
