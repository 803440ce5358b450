/*
 * hello.wasm - the "it runs at all" program.
 *
 * stdout, exactly (one line each, '\n' terminated):
 *   hello from wasm
 *   arg[0]=<argv[0]>
 *   arg[1]=<argv[1]>        ... one line per argv entry, argv[0] included
 *   GREETING=<value>         only if the env var GREETING is set
 *   env count=<N>            number of entries in environ
 * stderr: nothing.
 * Exit: 0, by returning from main (so _start returns normally and
 * proc_exit is NOT called; compare exitcode.wasm 0, which calls proc_exit(0)).
 */
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

int main(int argc, char **argv) {
    printf("hello from wasm\n");
    for (int i = 0; i < argc; i++) {
        printf("arg[%d]=%s\n", i, argv[i]);
    }
    const char *greeting = getenv("GREETING");
    if (greeting != NULL) {
        printf("GREETING=%s\n", greeting);
    }
    int count = 0;
    if (environ != NULL) {
        for (char **e = environ; *e != NULL; e++) {
            count++;
        }
    }
    printf("env count=%d\n", count);
    return 0;
}
