// kv.wasm - uses the forge:kv capability provider.
//   kv count        reads key "count" (absent: 0), stores count+1, prints "count=N"
//   kv hold         stores a key, then keeps calling forge:kv.get until stopped
//   kv get KEY      prints the value of KEY, or "errno N" and exits N
// Any failing call prints "NAME: errno N" to stderr and exits with N.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KV(name) __attribute__((import_module("forge:kv"), import_name(#name)))

KV(get) int kv_get(const char *key, int key_len, char *buf, int cap, int *len_out);
KV(put) int kv_put(const char *key, int key_len, const char *value, int value_len);

static char value[4096];

static int check(const char *what, int errno_value) {
    if (errno_value != 0) {
        fprintf(stderr, "%s: errno %d\n", what, errno_value);
        exit(errno_value);
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: kv count | kv hold | kv get KEY\n");
        return 2;
    }
    int len = 0;
    if (strcmp(argv[1], "count") == 0) {
        long count = 0;
        int e = kv_get("count", 5, value, sizeof value - 1, &len);
        if (e == 0) {
            value[len] = 0;
            count = strtol(value, NULL, 10);
        } else if (e != 44) {
            check("get", e);
        }
        int n = snprintf(value, sizeof value, "%ld", count + 1);
        check("put", kv_put("count", 5, value, n));
        printf("count=%ld\n", count + 1);
        return 0;
    }
    if (strcmp(argv[1], "hold") == 0) {
        check("put", kv_put("held", 4, "yes", 3));
        printf("holding\n");
        fflush(stdout);
        for (;;) {
            check("get", kv_get("held", 4, value, sizeof value, &len));
        }
    }
    if (strcmp(argv[1], "get") == 0 && argc > 2) {
        int e = kv_get(argv[2], (int) strlen(argv[2]), value, sizeof value - 1, &len);
        if (e != 0) {
            printf("errno %d\n", e);
            return e;
        }
        value[len] = 0;
        printf("%s\n", value);
        return 0;
    }
    fprintf(stderr, "kv: unknown command %s\n", argv[1]);
    return 2;
}
