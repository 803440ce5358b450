// http.wasm - uses the forge:http capability provider.
//   http URL [METHOD [BODY]]   prints "status=N" and the response body
// A failing request prints "request: errno N" to stderr and exits with N
// (76 ENOTCAPABLE when the policy does not grant the host).
#include <stdio.h>
#include <string.h>

__attribute__((import_module("forge:http"), import_name("request")))
int http_request(const char *method, int method_len, const char *url, int url_len,
                 const char *headers, int headers_len, const char *body, int body_len,
                 char *response, int response_cap, int *status_out, int *response_len_out);

static char response[65536];

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: http URL [METHOD [BODY]]\n");
        return 2;
    }
    const char *method = argc > 2 ? argv[2] : "GET";
    const char *body = argc > 3 ? argv[3] : "";
    const char *headers = "X-Forge-Test: yes\n";
    int status = 0;
    int len = 0;
    int e = http_request(method, (int) strlen(method), argv[1], (int) strlen(argv[1]), headers,
                         (int) strlen(headers), body, (int) strlen(body), response, sizeof response,
                         &status, &len);
    if (e != 0) {
        fprintf(stderr, "request: errno %d\n", e);
        return e;
    }
    printf("status=%d\n", status);
    fwrite(response, 1, (size_t) len, stdout);
    printf("\n");
    return 0;
}
