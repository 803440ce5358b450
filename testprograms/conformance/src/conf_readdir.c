/*
 * fd_readdir conformance: a port of wasmtime's p1_fd_readdir (empty directory, entries and cookies, 1000
 * entries, a UTF-8 name cut at the buffer's end, a cookie past the end), plus cookies that survive renames
 * made while the guest pages through a directory.
 */
#include "conf.h"

#define BUF_LEN 256

typedef struct {
    __wasi_dirent_t dirent;
    char name[256];
} entry_t;

/* Parses whole entries out of buf[0..used); returns how many. */
static int parse(const uint8_t *buf, size_t used, entry_t *out, int max) {
    int count = 0;
    size_t at = 0;
    while (count < max && used - at >= sizeof(__wasi_dirent_t)) {
        __wasi_dirent_t d;
        memcpy(&d, buf + at, sizeof d);
        if (used - at - sizeof d < d.d_namlen) {
            break;
        }
        out[count].dirent = d;
        size_t len = d.d_namlen < 255 ? d.d_namlen : 255;
        memcpy(out[count].name, buf + at + sizeof d, len);
        out[count].name[len] = 0;
        at += sizeof d + d.d_namlen;
        count++;
    }
    return count;
}

static int read_dir(__wasi_fd_t fd, __wasi_dircookie_t cookie, entry_t *out, int max, int *eof) {
    static uint8_t buf[BUF_LEN];
    size_t used;
    MUST(__wasi_fd_readdir(fd, buf, BUF_LEN, cookie, &used));
    *eof = used < BUF_LEN;
    return parse(buf, used, out, max);
}

static int find(entry_t *e, int n, const char *name) {
    for (int i = 0; i < n; i++) {
        if (strcmp(e[i].name, name) == 0) {
            return i;
        }
    }
    return -1;
}

static void assert_empty(__wasi_fd_t fd, const char *tag) {
    char name[64];
    __wasi_filestat_t st;
    MUST(__wasi_fd_filestat_get(fd, &st));
    entry_t e[8];
    int eof;
    int n = read_dir(fd, 0, e, 8, &eof);
    snprintf(name, sizeof name, "fd_readdir.%s.two_entries", tag);
    CHECK(name, eof && n == 2);
    int dot = find(e, n, "."), dotdot = find(e, n, "..");
    snprintf(name, sizeof name, "fd_readdir.%s.dot", tag);
    CHECK(name, dot >= 0 && e[dot].dirent.d_type == __WASI_FILETYPE_DIRECTORY && e[dot].dirent.d_ino == st.ino
                    && e[dot].dirent.d_namlen == 1);
    snprintf(name, sizeof name, "fd_readdir.%s.dotdot", tag);
    CHECK(name, dotdot >= 0 && e[dotdot].dirent.d_type == __WASI_FILETYPE_DIRECTORY);
}

static void basics(__wasi_fd_t dir) {
    __wasi_fd_t fd, nested;
    __wasi_filestat_t file_stat, nested_stat;
    assert_empty(dir, "scratch");
    MUST(open_at(dir, 0, "file", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, &fd));
    MUST(__wasi_fd_filestat_get(fd, &file_stat));
    MUST(__wasi_fd_close(fd));
    MUST(__wasi_path_create_directory(dir, "nested"));
    MUST(open_at(dir, 0, "nested", 0, 0, 0, &nested));
    MUST(__wasi_fd_filestat_get(nested, &nested_stat));
    entry_t e[8];
    int eof;
    int n = read_dir(dir, 0, e, 8, &eof);
    CHECK("fd_readdir.four_entries", eof && n == 4);
    int f = find(e, n, "file"), d = find(e, n, "nested");
    CHECK("fd_readdir.file_entry", f >= 0 && e[f].dirent.d_type == __WASI_FILETYPE_REGULAR_FILE && e[f].dirent.d_ino == file_stat.ino);
    CHECK("fd_readdir.dir_entry", d >= 0 && e[d].dirent.d_type == __WASI_FILETYPE_DIRECTORY && e[d].dirent.d_ino == nested_stat.ino);
    for (int i = 0; i < n; i++) {
        if (e[i].dirent.d_next != (__wasi_dircookie_t) i + 1) {
            conf_fail("fd_readdir.cookies_count", "d_next is not the entry's position + 1");
        }
    }
    conf_ok("fd_readdir.cookies_count");
    entry_t last[2];
    n = read_dir(dir, e[2].dirent.d_next, last, 2, &eof);
    CHECK("fd_readdir.cookie_resumes", eof && n == 1 && strcmp(last[0].name, e[3].name) == 0);
    assert_empty(nested, "nested");
    MUST(__wasi_fd_close(nested));
    __wasi_fd_t file;
    MUST(open_at(dir, 0, "file", 0, 0, 0, &file));
    uint8_t buf[64];
    size_t used;
    ERR("fd_readdir.on_file", __wasi_fd_readdir(file, buf, sizeof buf, 0, &used), __WASI_ERRNO_BADF);
    ERR("fd_readdir.on_stdin", __wasi_fd_readdir(0, buf, sizeof buf, 0, &used), __WASI_ERRNO_BADF);
    MUST(__wasi_fd_close(file));
    MUST(__wasi_path_unlink_file(dir, "file"));
    MUST(__wasi_path_remove_directory(dir, "nested"));
}

static void lots(__wasi_fd_t dir) {
    char name[32];
    __wasi_fd_t fd;
    for (int i = 0; i < 1000; i++) {
        snprintf(name, sizeof name, "file.%d", i);
        MUST(open_at(dir, 0, name, __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, &fd));
        MUST(__wasi_fd_close(fd));
    }
    int total = 0, eof = 0;
    __wasi_dircookie_t cookie = 0;
    entry_t e[16];
    while (!eof) {
        int n = read_dir(dir, cookie, e, 16, &eof);
        total += n;
        if (n > 0) {
            cookie = e[n - 1].dirent.d_next;
        }
    }
    CHECK("fd_readdir_lots.count", total == 1002);

    /* Rename every file while paging: each entry is seen exactly once, none twice, none skipped. */
    static unsigned char seen[1000];
    memset(seen, 0, sizeof seen);
    cookie = 0;
    eof = 0;
    int listed = 0;
    while (!eof) {
        int n = read_dir(dir, cookie, e, 16, &eof);
        for (int i = 0; i < n; i++) {
            int k;
            if (sscanf(e[i].name, "file.%d", &k) == 1 && k >= 0 && k < 1000) {
                seen[k]++;
                listed++;
                char to[32];
                snprintf(to, sizeof to, "renamed.%d", k);
                MUST(__wasi_path_rename(dir, e[i].name, dir, to));
            }
        }
        if (n > 0) {
            cookie = e[n - 1].dirent.d_next;
        }
    }
    int once = 1;
    for (int k = 0; k < 1000; k++) {
        once &= seen[k] == 1;
    }
    CHECK("fd_readdir.cookies_survive_renames", listed == 1000 && once);
    for (int i = 0; i < 1000; i++) {
        snprintf(name, sizeof name, "renamed.%d", i);
        MUST(__wasi_path_unlink_file(dir, name));
    }
    assert_empty(dir, "after_lots");
}

static void unicode_boundary(__wasi_fd_t dir) {
    const char *filename = "\xd0\x94\xd0\xb5\xd0\xb9\xd1\x81\xd1\x82\xd0\xb2\xd0\xb8\xd0\xb5";
    __wasi_fd_t fd;
    MUST(open_at(dir, 0, filename, __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, &fd));
    MUST(__wasi_fd_close(fd));
    static uint8_t buf[512];
    int found = 0;
    for (size_t cap = 0; cap < sizeof buf && !found; cap++) {
        size_t used;
        MUST(__wasi_fd_readdir(dir, buf, cap, 0, &used));
        if (used > cap) {
            conf_fail("fd_readdir_unicode_boundary", "wrote past the buffer");
        }
        entry_t e[4];
        int n = parse(buf, used, e, 4);
        found = find(e, n, filename) >= 0;
    }
    CHECK("fd_readdir_unicode_boundary", found);
    MUST(__wasi_path_unlink_file(dir, filename));
}

static void past_end(__wasi_fd_t dir) {
    __wasi_fd_t fd;
    MUST(open_at(dir, 0, "a", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, &fd));
    MUST(__wasi_fd_close(fd));
    uint8_t buf[128];
    size_t used;
    MUST(__wasi_fd_readdir(dir, buf, sizeof buf, 0, &used));
    entry_t e[4];
    int n = parse(buf, used, e, 4);
    __wasi_dircookie_t next = e[n - 1].dirent.d_next;
    OK("fd_readdir_past_end", __wasi_fd_readdir(dir, buf, sizeof buf, next + 1, &used));
    CHECK("fd_readdir_past_end.empty", used == 0);
    OK("fd_readdir_huge_cookie", __wasi_fd_readdir(dir, buf, sizeof buf, UINT64_MAX, &used));
    CHECK("fd_readdir_huge_cookie.empty", used == 0);
    MUST(__wasi_path_unlink_file(dir, "a"));
}

int main(int argc, char **argv) {
    __wasi_fd_t dir = scratch_from_args(argc, argv);
    basics(dir);
    lots(dir);
    unicode_boundary(dir);
    past_end(dir);
    return conf_done();
}
