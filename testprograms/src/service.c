/*
 * service.wasm - a long-running service for deploy-folder tests: prints
 * "service NAME up" (NAME is argv[0], flushed), then sleeps 50 ms at a time
 * forever, one host call (poll_oneoff, through nanosleep) per round, so the
 * host can stop it at any moment without it burning CPU. Never exits by
 * itself; the host's kill (or timeout) ends it.
 */
#include <stdio.h>
#include <time.h>

int main(int argc, char **argv) {
    printf("service %s up\n", argc > 0 ? argv[0] : "?");
    fflush(stdout);
    struct timespec pause = {0, 50 * 1000 * 1000};
    for (;;) {
        nanosleep(&pause, NULL);
    }
}
