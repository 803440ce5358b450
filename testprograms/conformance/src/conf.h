/*
 * Shared helpers for the WASI preview1 conformance programs.
 *
 * Each program ports cases of wasmtime's preview1 test programs (crates/test-programs/src/bin/p1_*.rs)
 * to C over wasi-libc's raw __wasi_* calls, so that the exact errno is asserted. It prints "ok <case>"
 * per passing case; on the first mismatch it prints "FAIL <case>: ..." and exits 1. The last line is
 * "N passed, 0 failed" when everything passed.
 *
 * Usage: PROGRAM.wasm SCRATCH, where SCRATCH is the guest name of an empty preopened directory.
 */
#ifndef CONF_H
#define CONF_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

static int conf_passed;

static inline const char *errno_name(int e) {
    static const char *names[] = {
        "SUCCESS", "2BIG", "ACCES", "ADDRINUSE", "ADDRNOTAVAIL", "AFNOSUPPORT", "AGAIN", "ALREADY", "BADF",
        "BADMSG", "BUSY", "CANCELED", "CHILD", "CONNABORTED", "CONNREFUSED", "CONNRESET", "DEADLK",
        "DESTADDRREQ", "DOM", "DQUOT", "EXIST", "FAULT", "FBIG", "HOSTUNREACH", "IDRM", "ILSEQ", "INPROGRESS",
        "INTR", "INVAL", "IO", "ISCONN", "ISDIR", "LOOP", "MFILE", "MLINK", "MSGSIZE", "MULTIHOP",
        "NAMETOOLONG", "NETDOWN", "NETRESET", "NETUNREACH", "NFILE", "NOBUFS", "NODEV", "NOENT", "NOEXEC",
        "NOLCK", "NOLINK", "NOMEM", "NOMSG", "NOPROTOOPT", "NOSPC", "NOSYS", "NOTCONN", "NOTDIR", "NOTEMPTY",
        "NOTRECOVERABLE", "NOTSOCK", "NOTSUP", "NOTTY", "NXIO", "OVERFLOW", "OWNERDEAD", "PERM", "PIPE",
        "PROTO", "PROTONOSUPPORT", "PROTOTYPE", "RANGE", "ROFS", "SPIPE", "SRCH", "STALE", "TIMEDOUT",
        "TXTBSY", "XDEV", "NOTCAPABLE",
    };
    return e >= 0 && e < (int) (sizeof names / sizeof names[0]) ? names[e] : "?";
}

static inline void conf_fail(const char *name, const char *what) {
    printf("FAIL %s: %s\n", name, what);
    fflush(stdout);
    exit(1);
}

static inline void conf_ok(const char *name) {
    conf_passed++;
    printf("ok %s\n", name);
}

/* The call must succeed. */
#define OK(name, call)                                                                  \
    do {                                                                                \
        int e_ = (call);                                                                \
        if (e_ != 0) {                                                                  \
            char m_[128];                                                               \
            snprintf(m_, sizeof m_, "expected success got %s (%d)", errno_name(e_), e_); \
            conf_fail(name, m_);                                                        \
        }                                                                               \
        conf_ok(name);                                                                  \
    } while (0)

/* The call must fail with exactly this errno. */
#define ERR(name, call, want)                                                                        \
    do {                                                                                             \
        int e_ = (call);                                                                             \
        if (e_ != (want)) {                                                                          \
            char m_[128];                                                                            \
            snprintf(m_, sizeof m_, "expected errno %s got %s", errno_name(want), errno_name(e_));    \
            conf_fail(name, m_);                                                                     \
        }                                                                                            \
        conf_ok(name);                                                                               \
    } while (0)

/* A condition that must hold. */
#define CHECK(name, cond)                                      \
    do {                                                       \
        if (!(cond)) {                                         \
            conf_fail(name, "expected " #cond);                \
        }                                                      \
        conf_ok(name);                                         \
    } while (0)

/* Setup or cleanup that must succeed but is not a case of its own. */
#define MUST(call)                                                                                  \
    do {                                                                                            \
        int e_ = (call);                                                                            \
        if (e_ != 0) {                                                                              \
            char m_[160];                                                                           \
            snprintf(m_, sizeof m_, "%s failed with %s (line %d)", #call, errno_name(e_), __LINE__); \
            conf_fail("setup", m_);                                                                 \
        }                                                                                           \
    } while (0)

/* The raw import, for paths with an explicit length (a trailing NUL, say). */
int32_t conf_raw_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t path_len, int32_t oflags,
                           int64_t base, int64_t inheriting, int32_t fdflags, int32_t result)
    __attribute__((__import_module__("wasi_snapshot_preview1"), __import_name__("path_open")));

static inline int open_len(__wasi_fd_t dir, __wasi_lookupflags_t follow, const char *path, size_t len,
                    __wasi_oflags_t oflags, __wasi_rights_t rights, __wasi_fdflags_t fdflags, __wasi_fd_t *fd) {
    return conf_raw_path_open((int32_t) dir, (int32_t) follow, (int32_t) (uintptr_t) path, (int32_t) len,
                              (int32_t) oflags, (int64_t) rights, 0, (int32_t) fdflags, (int32_t) (uintptr_t) fd);
}

/* path_open as wasmtime's tests call it: inheriting rights 0. */
static inline int open_at(__wasi_fd_t dir, __wasi_lookupflags_t follow, const char *path, __wasi_oflags_t oflags,
                   __wasi_rights_t rights, __wasi_fdflags_t fdflags, __wasi_fd_t *fd) {
    return __wasi_path_open(dir, follow, path, oflags, rights, 0, fdflags, fd);
}

/* Opens a fresh descriptor on the preopen named `name`, as wasmtime's open_scratch_directory does. */
static inline __wasi_fd_t open_scratch(const char *name) {
    for (__wasi_fd_t fd = 3;; fd++) {
        __wasi_prestat_t stat;
        if (__wasi_fd_prestat_get(fd, &stat) != 0) {
            break;
        }
        if (stat.tag != __WASI_PREOPENTYPE_DIR) {
            continue;
        }
        char buf[256];
        size_t len = stat.u.dir.pr_name_len;
        if (len >= sizeof buf || __wasi_fd_prestat_dir_name(fd, (uint8_t *) buf, len) != 0) {
            continue;
        }
        buf[len] = 0;
        if (strcmp(buf, name) == 0) {
            __wasi_fd_t dir;
            MUST(open_at(fd, 0, ".", __WASI_OFLAGS_DIRECTORY, 0, 0, &dir));
            return dir;
        }
    }
    printf("FAIL setup: no preopen named %s\n", name);
    exit(1);
}

static inline __wasi_fd_t scratch_from_args(int argc, char **argv) {
    if (argc < 2) {
        printf("FAIL setup: usage: %s SCRATCH-PREOPEN\n", argc > 0 ? argv[0] : "conf");
        exit(1);
    }
    return open_scratch(argv[1]);
}

static inline void create_file(__wasi_fd_t dir, const char *path) {
    __wasi_fd_t fd;
    MUST(open_at(dir, 0, path, __WASI_OFLAGS_CREAT, 0, 0, &fd));
    MUST(__wasi_fd_close(fd));
}

static inline int write_all(__wasi_fd_t fd, const void *data, size_t len, size_t *written) {
    __wasi_ciovec_t iov = {.buf = data, .buf_len = len};
    return __wasi_fd_write(fd, &iov, 1, written);
}

static inline int read_some(__wasi_fd_t fd, void *data, size_t len, size_t *nread) {
    __wasi_iovec_t iov = {.buf = data, .buf_len = len};
    return __wasi_fd_read(fd, &iov, 1, nread);
}

static inline int conf_done(void) {
    printf("%d passed, 0 failed\n", conf_passed);
    return 0;
}

#endif
