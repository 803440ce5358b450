/*
 * fd_* conformance: ports of wasmtime's p1_file_seek_tell, p1_fd_flags_set, p1_file_pread_pwrite,
 * p1_file_truncation, p1_fd_filestat_set, p1_path_filestat, p1_symlink_filestat, p1_dir_fd_op_failures,
 * p1_directory_seek, p1_file_allocate (wasi-tests), p1_fd_advise, p1_close_preopen, p1_renumber,
 * p1_file_unbuffered_write, plus ForgeOne's own cases: fd flags reported back exactly (SYNC, DSYNC, RSYNC
 * too), nanosecond timestamps both ways, rights given up with fd_fdstat_set_rights, stdio errnos, and
 * descriptors that follow a renamed file or directory.
 */
#include "conf.h"

#define RW (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE)
#define CREAT __WASI_OFLAGS_CREAT

static __wasi_fd_t fd;
static size_t n;

static void seek_tell(__wasi_fd_t dir, __wasi_fdflags_t mode, const char *tag) {
    char name[64];
    __wasi_filesize_t off;
    MUST(open_at(dir, 0, "file", CREAT, RW, mode, &fd));
    snprintf(name, sizeof name, "file_seek_tell.%s.initial", tag);
    OK(name, __wasi_fd_tell(fd, &off));
    CHECK(name, off == 0);
    char data[100] = {0};
    MUST(write_all(fd, data, sizeof data, &n));
    MUST(__wasi_fd_tell(fd, &off));
    snprintf(name, sizeof name, "file_seek_tell.%s.after_write", tag);
    CHECK(name, off == 100);
    snprintf(name, sizeof name, "file_seek_tell.%s.cur_back", tag);
    OK(name, __wasi_fd_seek(fd, -50, __WASI_WHENCE_CUR, &off));
    CHECK(name, off == 50);
    snprintf(name, sizeof name, "file_seek_tell.%s.set", tag);
    OK(name, __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &off));
    CHECK(name, off == 0);
    snprintf(name, sizeof name, "file_seek_tell.%s.beyond_end", tag);
    OK(name, __wasi_fd_seek(fd, 1000, __WASI_WHENCE_CUR, &off));
    snprintf(name, sizeof name, "file_seek_tell.%s.before_zero", tag);
    ERR(name, __wasi_fd_seek(fd, -2000, __WASI_WHENCE_CUR, &off), __WASI_ERRNO_INVAL);
    snprintf(name, sizeof name, "file_seek_tell.%s.bad_whence", tag);
    ERR(name, __wasi_fd_seek(fd, 0, 3, &off), __WASI_ERRNO_INVAL);
    snprintf(name, sizeof name, "file_seek_tell.%s.end", tag);
    OK(name, __wasi_fd_seek(fd, -10, __WASI_WHENCE_END, &off));
    CHECK(name, off == 90);
    MUST(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &off));
    MUST(read_some(fd, data, sizeof data, &n));
    MUST(__wasi_fd_tell(fd, &off));
    snprintf(name, sizeof name, "file_seek_tell.%s.after_read", tag);
    CHECK(name, n == 100 && off == 100);
    MUST(__wasi_fd_close(fd));
    MUST(__wasi_path_unlink_file(dir, "file"));

    MUST(open_at(dir, 0, "file2", CREAT, RW, mode | __WASI_FDFLAGS_APPEND, &fd));
    MUST(__wasi_fd_seek(fd, 0, __WASI_WHENCE_CUR, &off));
    snprintf(name, sizeof name, "file_seek_tell.%s.append_initial", tag);
    CHECK(name, off == 0);
    MUST(write_all(fd, data, sizeof data, &n));
    MUST(__wasi_fd_seek(fd, 0, __WASI_WHENCE_CUR, &off));
    snprintf(name, sizeof name, "file_seek_tell.%s.append_position", tag);
    CHECK(name, off == 100);
    MUST(__wasi_fd_close(fd));
    MUST(__wasi_path_unlink_file(dir, "file2"));
}

static void fd_flags_set(__wasi_fd_t dir, __wasi_fdflags_t mode, const char *tag) {
    char name[64];
    unsigned char data[100], buffer[100];
    __wasi_filesize_t off;
    MUST(open_at(dir, 0, "file", CREAT, RW, mode | __WASI_FDFLAGS_APPEND, &fd));
    memset(data, 0, sizeof data);
    MUST(write_all(fd, data, 100, &n));
    MUST(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &off));
    memset(data, 1, sizeof data);
    MUST(write_all(fd, data, 100, &n));
    MUST(__wasi_fd_seek(fd, 100, __WASI_WHENCE_SET, &off));
    MUST(read_some(fd, buffer, 100, &n));
    snprintf(name, sizeof name, "fd_flags_set.%s.append_mode", tag);
    CHECK(name, n == 100 && memcmp(buffer, data, 100) == 0);
    snprintf(name, sizeof name, "fd_flags_set.%s.clear", tag);
    OK(name, __wasi_fd_fdstat_set_flags(fd, 0));
    MUST(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &off));
    memset(data, 2, sizeof data);
    MUST(write_all(fd, data, 100, &n));
    MUST(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &off));
    MUST(read_some(fd, buffer, 100, &n));
    snprintf(name, sizeof name, "fd_flags_set.%s.overwrote", tag);
    CHECK(name, memcmp(buffer, data, 100) == 0);
    MUST(__wasi_fd_close(fd));
    __wasi_filestat_t st;
    MUST(__wasi_path_filestat_get(dir, 0, "file", &st));
    snprintf(name, sizeof name, "fd_flags_set.%s.size", tag);
    CHECK(name, st.size == 200);
    MUST(__wasi_path_unlink_file(dir, "file"));
}

static void fdflags_exact(__wasi_fd_t dir) {
    __wasi_fdstat_t st;
    static const struct { __wasi_fdflags_t flags; const char *name; } cases[] = {
        {0, "fdflags.none"},
        {__WASI_FDFLAGS_APPEND, "fdflags.append"},
        {__WASI_FDFLAGS_NONBLOCK, "fdflags.nonblock"},
        {__WASI_FDFLAGS_SYNC, "fdflags.sync"},
        {__WASI_FDFLAGS_DSYNC, "fdflags.dsync"},
        {__WASI_FDFLAGS_RSYNC, "fdflags.rsync"},
        {__WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_DSYNC | __WASI_FDFLAGS_NONBLOCK | __WASI_FDFLAGS_RSYNC
             | __WASI_FDFLAGS_SYNC, "fdflags.all"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        MUST(open_at(dir, 0, "file", CREAT, RW, cases[i].flags, &fd));
        MUST(__wasi_fd_fdstat_get(fd, &st));
        CHECK(cases[i].name, st.fs_flags == cases[i].flags && st.fs_filetype == __WASI_FILETYPE_REGULAR_FILE);
        MUST(__wasi_fd_close(fd));
    }
    MUST(open_at(dir, 0, "file", 0, RW, __WASI_FDFLAGS_SYNC, &fd));
    OK("fdflags.set_append_nonblock", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_NONBLOCK));
    MUST(__wasi_fd_fdstat_get(fd, &st));
    CHECK("fdflags.set_keeps_sync", st.fs_flags == (__WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_NONBLOCK | __WASI_FDFLAGS_SYNC));
    ERR("fdflags.set_sync_refused", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_DSYNC), __WASI_ERRNO_INVAL);
    ERR("fdflags.set_unknown_bits", __wasi_fd_fdstat_set_flags(fd, 0x40), __WASI_ERRNO_INVAL);
    MUST(__wasi_fd_close(fd));
    ERR("fdflags.set_on_stdout", __wasi_fd_fdstat_set_flags(1, 0), __WASI_ERRNO_BADF);
    MUST(__wasi_path_unlink_file(dir, "file"));
}

static void pread_pwrite(__wasi_fd_t dir) {
    MUST(open_at(dir, 0, "file", CREAT, RW, 0, &fd));
    unsigned char c[4] = {0, 1, 2, 3}, r[4];
    __wasi_ciovec_t ciov = {.buf = c, .buf_len = 4};
    __wasi_iovec_t iov = {.buf = r, .buf_len = 4};
    OK("file_pread_pwrite.pwrite", __wasi_fd_pwrite(fd, &ciov, 1, 0, &n));
    CHECK("file_pread_pwrite.pwrite_count", n == 4);
    OK("file_pread_pwrite.pread", __wasi_fd_pread(fd, &iov, 1, 0, &n));
    CHECK("file_pread_pwrite.pread_data", n == 4 && memcmp(r, c, 4) == 0);
    __wasi_iovec_t two[2] = {{.buf = r, .buf_len = 2}, {.buf = r + 2, .buf_len = 2}};
    memset(r, 9, 4);
    OK("file_pread_pwrite.pread_iovecs", __wasi_fd_pread(fd, two, 2, 0, &n));
    CHECK("file_pread_pwrite.pread_iovecs_data", n == 4 && memcmp(r, c, 4) == 0);
    memset(r, 0, 4);
    OK("file_pread_pwrite.pread_offset", __wasi_fd_pread(fd, &iov, 1, 2, &n));
    CHECK("file_pread_pwrite.pread_offset_data", n == 2 && r[0] == 2 && r[1] == 3 && r[2] == 0);
    unsigned char w[2] = {1, 0};
    __wasi_ciovec_t wiov = {.buf = w, .buf_len = 2};
    OK("file_pread_pwrite.pwrite_offset", __wasi_fd_pwrite(fd, &wiov, 1, 2, &n));
    MUST(__wasi_fd_pread(fd, &iov, 1, 0, &n));
    CHECK("file_pread_pwrite.pwrite_offset_data", r[0] == 0 && r[1] == 1 && r[2] == 1 && r[3] == 0);
    __wasi_filesize_t off;
    MUST(__wasi_fd_tell(fd, &off));
    CHECK("file_pread_pwrite.offset_untouched", off == 0);
    OK("file_pread_pwrite.pread_past_end", __wasi_fd_pread(fd, &iov, 1, 100, &n));
    CHECK("file_pread_pwrite.pread_past_end_empty", n == 0);
    MUST(__wasi_fd_close(fd));
    MUST(__wasi_path_unlink_file(dir, "file"));

    MUST(open_at(dir, 0, "file2", CREAT, RW, 0, &fd));
    __wasi_ciovec_t empty = {.buf = c, .buf_len = 0};
    OK("file_pwrite_and_file_pos.empty", __wasi_fd_pwrite(fd, &empty, 1, 50, &n));
    __wasi_filestat_t st;
    MUST(__wasi_fd_filestat_get(fd, &st));
    CHECK("file_pwrite_and_file_pos.empty_no_growth", n == 0 && st.size == 0);
    __wasi_ciovec_t one = {.buf = c, .buf_len = 1};
    OK("file_pwrite_and_file_pos.one", __wasi_fd_pwrite(fd, &one, 1, 50, &n));
    MUST(__wasi_fd_filestat_get(fd, &st));
    MUST(__wasi_fd_tell(fd, &off));
    CHECK("file_pwrite_and_file_pos.size", st.size == 51 && off == 0);
    MUST(__wasi_fd_close(fd));
    MUST(__wasi_path_unlink_file(dir, "file2"));

    MUST(open_at(dir, 0, "file3", CREAT, RW, __WASI_FDFLAGS_APPEND, &fd));
    OK("file_pwrite_and_append.at_50", __wasi_fd_pwrite(fd, &one, 1, 50, &n));
    MUST(__wasi_fd_filestat_get(fd, &st));
    CHECK("file_pwrite_and_append.appended", st.size == 1);
    OK("file_pwrite_and_append.at_0", __wasi_fd_pwrite(fd, &one, 1, 0, &n));
    MUST(__wasi_fd_filestat_get(fd, &st));
    CHECK("file_pwrite_and_append.appended_again", st.size == 2);
    MUST(__wasi_fd_close(fd));
    MUST(__wasi_path_unlink_file(dir, "file3"));
}

static void truncation(__wasi_fd_t dir) {
    const char *content = "this content will be truncated!";
    MUST(open_at(dir, 0, "test.txt", CREAT, __WASI_RIGHTS_FD_WRITE, 0, &fd));
    MUST(write_all(fd, content, strlen(content), &n));
    MUST(__wasi_fd_close(fd));
    OK("file_truncation.open_trunc", open_at(dir, 0, "test.txt", CREAT | __WASI_OFLAGS_TRUNC, RW, 0, &fd));
    char buf[100];
    MUST(read_some(fd, buf, sizeof buf, &n));
    CHECK("file_truncation.empty", n == 0);
    MUST(__wasi_fd_close(fd));
    MUST(__wasi_path_unlink_file(dir, "test.txt"));
}

#define NS 1000000000ULL

static void timestamps(__wasi_fd_t dir) {
    __wasi_filestat_t st;
    MUST(open_at(dir, 0, "file", CREAT, RW, 0, &fd));
    OK("fd_filestat_set_size.grow", __wasi_fd_filestat_set_size(fd, 100));
    MUST(__wasi_fd_filestat_get(fd, &st));
    CHECK("fd_filestat_set_size.grown", st.size == 100 && st.filetype == __WASI_FILETYPE_REGULAR_FILE && st.nlink == 1);
    OK("fd_filestat_set_size.shrink", __wasi_fd_filestat_set_size(fd, 7));
    MUST(__wasi_fd_filestat_get(fd, &st));
    CHECK("fd_filestat_set_size.shrunk", st.size == 7);
    MUST(__wasi_fd_close(fd));
    __wasi_fd_t ro;
    MUST(open_at(dir, 0, "file", 0, __WASI_RIGHTS_FD_READ, 0, &ro));
    ERR("fd_filestat_set_size.read_only", __wasi_fd_filestat_set_size(ro, 100), __WASI_ERRNO_INVAL);
    MUST(__wasi_fd_filestat_get(ro, &st));
    CHECK("fd_filestat_set_size.unchanged", st.size == 7);

    /* nanosecond precision both ways, through a read-only descriptor too */
    const __wasi_timestamp_t mtim = 1234567891ULL * NS + 123456789ULL, atim = 1111111111ULL * NS + 987654321ULL;
    OK("fd_filestat_set_times.mtim", __wasi_fd_filestat_set_times(ro, 0, mtim, __WASI_FSTFLAGS_MTIM));
    __wasi_timestamp_t old_atim = st.atim;
    MUST(__wasi_fd_filestat_get(ro, &st));
    CHECK("fd_filestat_set_times.mtim_exact_ns", st.mtim == mtim);
    CHECK("fd_filestat_set_times.atim_untouched", st.atim == old_atim);
    OK("fd_filestat_set_times.atim", __wasi_fd_filestat_set_times(ro, atim, 0, __WASI_FSTFLAGS_ATIM));
    MUST(__wasi_fd_filestat_get(ro, &st));
    CHECK("fd_filestat_set_times.atim_exact_ns", st.atim == atim && st.mtim == mtim);
    ERR("fd_filestat_set_times.mtim_and_now", __wasi_fd_filestat_set_times(ro, 0, mtim, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW), __WASI_ERRNO_INVAL);
    ERR("fd_filestat_set_times.atim_and_now", __wasi_fd_filestat_set_times(ro, atim, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW), __WASI_ERRNO_INVAL);
    ERR("fd_filestat_set_times.unknown_flags", __wasi_fd_filestat_set_times(ro, 0, 0, 0x10), __WASI_ERRNO_INVAL);
    __wasi_timestamp_t now;
    MUST(__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &now));
    OK("fd_filestat_set_times.now", __wasi_fd_filestat_set_times(ro, 0, 0, __WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW));
    MUST(__wasi_fd_filestat_get(ro, &st));
    CHECK("fd_filestat_set_times.now_is_now", st.mtim + 5 * NS > now && st.mtim < now + 5 * NS && st.atim + 5 * NS > now);
    MUST(__wasi_fd_close(ro));

    OK("path_filestat_set_times.mtim", __wasi_path_filestat_set_times(dir, 0, "file", 0, mtim + 1, __WASI_FSTFLAGS_MTIM));
    MUST(__wasi_path_filestat_get(dir, 0, "file", &st));
    CHECK("path_filestat_set_times.exact_ns", st.mtim == mtim + 1);
    ERR("path_filestat_set_times.mtim_and_now", __wasi_path_filestat_set_times(dir, 0, "file", 0, 1, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW), __WASI_ERRNO_INVAL);
    ERR("path_filestat_set_times.atim_and_now", __wasi_path_filestat_set_times(dir, 0, "file", 0, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW), __WASI_ERRNO_INVAL);
    MUST(__wasi_path_filestat_get(dir, 0, "file", &st));
    CHECK("path_filestat_set_times.unchanged_after_inval", st.mtim == mtim + 1);
    ERR("path_filestat_set_times.missing", __wasi_path_filestat_set_times(dir, 0, "missing", 0, 1, __WASI_FSTFLAGS_MTIM), __WASI_ERRNO_NOENT);

    /* p1_symlink_filestat: times of the symlink itself, or of its target when followed */
    MUST(__wasi_path_symlink("file", dir, "symlink"));
    const __wasi_timestamp_t lmtim = 1300000000ULL * NS + 5000ULL; /* whole microseconds: see README */
    OK("symlink_filestat.set_nofollow", __wasi_path_filestat_set_times(dir, 0, "symlink", 0, lmtim, __WASI_FSTFLAGS_MTIM));
    __wasi_filestat_t sym, target;
    MUST(__wasi_path_filestat_get(dir, 0, "symlink", &sym));
    MUST(__wasi_path_filestat_get(dir, 0, "file", &target));
    CHECK("symlink_filestat.symlink_changed", sym.mtim == lmtim && sym.filetype == __WASI_FILETYPE_SYMBOLIC_LINK);
    CHECK("symlink_filestat.target_untouched", target.mtim == mtim + 1);
    OK("symlink_filestat.set_follow", __wasi_path_filestat_set_times(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "symlink", 0, mtim + 2, __WASI_FSTFLAGS_MTIM));
    MUST(__wasi_path_filestat_get(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "symlink", &sym));
    MUST(__wasi_path_filestat_get(dir, 0, "file", &target));
    CHECK("symlink_filestat.target_changed", target.mtim == mtim + 2 && sym.mtim == target.mtim && sym.ino == target.ino);
    MUST(__wasi_path_unlink_file(dir, "symlink"));

    /* a directory's own times, through its descriptor */
    MUST(__wasi_path_create_directory(dir, "d"));
    __wasi_fd_t d;
    MUST(open_at(dir, 0, "d", __WASI_OFLAGS_DIRECTORY, 0, 0, &d));
    OK("fd_filestat_set_times.directory", __wasi_fd_filestat_set_times(d, 0, mtim + 3, __WASI_FSTFLAGS_MTIM));
    MUST(__wasi_fd_filestat_get(d, &st));
    CHECK("fd_filestat_set_times.directory_exact_ns", st.mtim == mtim + 3 && st.filetype == __WASI_FILETYPE_DIRECTORY);
    MUST(__wasi_fd_close(d));
    MUST(__wasi_path_remove_directory(dir, "d"));

    /* p1_path_filestat: APPEND reported; SYNC honoured (wasmtime: ENOTSUP, see README) */
    MUST(open_at(dir, 0, "file", 0, RW, __WASI_FDFLAGS_APPEND, &fd));
    __wasi_fdstat_t fst;
    MUST(__wasi_fd_fdstat_get(fd, &fst));
    CHECK("path_filestat.append_reported", (fst.fs_flags & __WASI_FDFLAGS_APPEND) != 0);
    MUST(__wasi_fd_close(fd));
    MUST(__wasi_path_unlink_file(dir, "file"));
}

static void dir_fd_op_failures(__wasi_fd_t dir) {
    __wasi_filestat_t st;
    MUST(__wasi_fd_filestat_get(dir, &st));
    CHECK("dir_fd_op_failures.filetype", st.filetype == __WASI_FILETYPE_DIRECTORY);
    __wasi_prestat_t pre;
    MUST(__wasi_fd_prestat_get(3, &pre));
    uint8_t name[64];
    ERR("dir_fd_op_failures.prestat_dir_name_too_small", __wasi_fd_prestat_dir_name(3, name, 0), __WASI_ERRNO_NAMETOOLONG);
    OK("dir_fd_op_failures.prestat_dir_name_larger", __wasi_fd_prestat_dir_name(3, name, pre.u.dir.pr_name_len + 1));
    ERR("dir_fd_op_failures.prestat_not_preopen", __wasi_fd_prestat_get(dir, &pre), __WASI_ERRNO_BADF);
    ERR("dir_fd_op_failures.prestat_dir_name_not_preopen", __wasi_fd_prestat_dir_name(dir, name, 64), __WASI_ERRNO_NOTDIR);
    char buf[128];
    __wasi_iovec_t iov = {.buf = (uint8_t *) buf, .buf_len = sizeof buf};
    __wasi_ciovec_t ciov = {.buf = (uint8_t *) buf, .buf_len = sizeof buf};
    __wasi_filesize_t off;
    ERR("dir_fd_op_failures.read", __wasi_fd_read(dir, &iov, 1, &n), __WASI_ERRNO_BADF);
    ERR("dir_fd_op_failures.pread", __wasi_fd_pread(dir, &iov, 1, 0, &n), __WASI_ERRNO_BADF);
    ERR("dir_fd_op_failures.write", __wasi_fd_write(dir, &ciov, 1, &n), __WASI_ERRNO_BADF);
    ERR("dir_fd_op_failures.pwrite", __wasi_fd_pwrite(dir, &ciov, 1, 0, &n), __WASI_ERRNO_BADF);
    ERR("dir_fd_op_failures.seek_cur", __wasi_fd_seek(dir, 0, __WASI_WHENCE_CUR, &off), __WASI_ERRNO_BADF);
    ERR("dir_fd_op_failures.seek_set", __wasi_fd_seek(dir, 0, __WASI_WHENCE_SET, &off), __WASI_ERRNO_BADF);
    ERR("dir_fd_op_failures.seek_end", __wasi_fd_seek(dir, 0, __WASI_WHENCE_END, &off), __WASI_ERRNO_BADF);
    ERR("dir_fd_op_failures.tell", __wasi_fd_tell(dir, &off), __WASI_ERRNO_BADF);
    ERR("dir_fd_op_failures.advise", __wasi_fd_advise(dir, 0, 0, __WASI_ADVICE_DONTNEED), __WASI_ERRNO_BADF);
    ERR("dir_fd_op_failures.allocate", __wasi_fd_allocate(dir, 0, 0), __WASI_ERRNO_BADF);
    ERR("dir_fd_op_failures.datasync", __wasi_fd_datasync(dir), __WASI_ERRNO_BADF);
    ERR("dir_fd_op_failures.sync", __wasi_fd_sync(dir), __WASI_ERRNO_BADF);
    ERR("dir_fd_op_failures.set_flags", __wasi_fd_fdstat_set_flags(dir, __WASI_FDFLAGS_NONBLOCK), __WASI_ERRNO_BADF);
    ERR("dir_fd_op_failures.set_size", __wasi_fd_filestat_set_size(dir, 0), __WASI_ERRNO_BADF);
    ERR("directory_seek", __wasi_fd_seek(dir, 0, __WASI_WHENCE_CUR, &off), __WASI_ERRNO_BADF);
}

static void allocate_advise_sync(__wasi_fd_t dir) {
    __wasi_filestat_t st;
    MUST(open_at(dir, 0, "file", CREAT, RW, 0, &fd));
    ERR("file_allocate.notsup", __wasi_fd_allocate(fd, 0, 100), __WASI_ERRNO_NOTSUP);
    MUST(__wasi_fd_filestat_get(fd, &st));
    CHECK("file_allocate.size_unchanged", st.size == 0);
    OK("fd_advise.file", __wasi_fd_advise(fd, 0, 100, __WASI_ADVICE_SEQUENTIAL));
    ERR("fd_advise.bad_advice", __wasi_fd_advise(fd, 0, 100, 6), __WASI_ERRNO_INVAL);
    OK("fd_sync.file", __wasi_fd_sync(fd));
    OK("fd_datasync.file", __wasi_fd_datasync(fd));
    /* p1_file_unbuffered_write: what one descriptor writes, another reads at once */
    __wasi_fd_t other;
    MUST(open_at(dir, 0, "file", 0, __WASI_RIGHTS_FD_READ, 0, &other));
    MUST(write_all(fd, "x", 1, &n));
    char c = 0;
    MUST(read_some(other, &c, 1, &n));
    CHECK("file_unbuffered_write", n == 1 && c == 'x');
    MUST(__wasi_fd_close(other));
    MUST(__wasi_fd_close(fd));
    MUST(__wasi_path_unlink_file(dir, "file"));
}

static void stdio(void) {
    __wasi_fdstat_t st;
    __wasi_filestat_t fst;
    __wasi_filesize_t off;
    char buf[4];
    __wasi_ciovec_t ciov = {.buf = (uint8_t *) buf, .buf_len = 1};
    __wasi_iovec_t iov = {.buf = (uint8_t *) buf, .buf_len = 1};
    OK("stdio.fdstat_stdin", __wasi_fd_fdstat_get(0, &st));
    CHECK("stdio.stdin_rights", st.fs_rights_base == __WASI_RIGHTS_FD_READ && st.fs_flags == 0);
    OK("stdio.fdstat_stdout", __wasi_fd_fdstat_get(1, &st));
    CHECK("stdio.stdout_rights", st.fs_rights_base == __WASI_RIGHTS_FD_WRITE && st.fs_flags == 0);
    OK("stdio.filestat", __wasi_fd_filestat_get(2, &fst));
    CHECK("stdio.filestat_zero", fst.dev == 0 && fst.ino == 0 && fst.size == 0 && fst.mtim == 0);
    ERR("stdio.seek_stdout", __wasi_fd_seek(1, 0, __WASI_WHENCE_CUR, &off), __WASI_ERRNO_SPIPE);
    ERR("stdio.tell_stdin", __wasi_fd_tell(0, &off), __WASI_ERRNO_SPIPE);
    ERR("stdio.pwrite_stdout", __wasi_fd_pwrite(1, &ciov, 1, 0, &n), __WASI_ERRNO_SPIPE);
    ERR("stdio.pread_stdin", __wasi_fd_pread(0, &iov, 1, 0, &n), __WASI_ERRNO_SPIPE);
    ERR("stdio.write_stdin", __wasi_fd_write(0, &ciov, 1, &n), __WASI_ERRNO_BADF);
    ERR("stdio.read_stdout", __wasi_fd_read(1, &iov, 1, &n), __WASI_ERRNO_BADF);
    ERR("stdio.set_rights", __wasi_fd_fdstat_set_rights(1, 0, 0), __WASI_ERRNO_BADF);
    ERR("stdio.unknown_fd", __wasi_fd_fdstat_get(99, &st), __WASI_ERRNO_BADF);
    ERR("stdio.max_fd", __wasi_fd_fdstat_get(0xFFFFFFFFu, &st), __WASI_ERRNO_BADF);
}

static void rights(__wasi_fd_t dir) {
    __wasi_fdstat_t st;
    char c;
    MUST(open_at(dir, 0, "file", CREAT, RW, 0, &fd));
    MUST(__wasi_fd_fdstat_get(fd, &st));
    __wasi_rights_t all = st.fs_rights_base;
    OK("rights.drop_read", __wasi_fd_fdstat_set_rights(fd, all & ~__WASI_RIGHTS_FD_READ, st.fs_rights_inheriting));
    MUST(__wasi_fd_fdstat_get(fd, &st));
    CHECK("rights.dropped_reported", st.fs_rights_base == (all & ~__WASI_RIGHTS_FD_READ));
    ERR("rights.read_without_right", read_some(fd, &c, 1, &n), __WASI_ERRNO_NOTCAPABLE);
    OK("rights.write_still_allowed", write_all(fd, "y", 1, &n));
    ERR("rights.cannot_grow", __wasi_fd_fdstat_set_rights(fd, all, st.fs_rights_inheriting), __WASI_ERRNO_NOTCAPABLE);
    ERR("rights.unknown_bits", __wasi_fd_fdstat_set_rights(fd, 1ULL << 40, 0), __WASI_ERRNO_INVAL);
    MUST(__wasi_fd_close(fd));

    __wasi_fd_t sub;
    MUST(open_at(dir, 0, ".", __WASI_OFLAGS_DIRECTORY, 0, 0, &sub));
    MUST(__wasi_fd_fdstat_get(sub, &st));
    OK("rights.dir_drop_inheriting_write", __wasi_fd_fdstat_set_rights(sub, st.fs_rights_base, st.fs_rights_inheriting & ~__WASI_RIGHTS_FD_WRITE));
    MUST(open_at(sub, 0, "file", 0, RW, 0, &fd));
    MUST(__wasi_fd_fdstat_get(fd, &st));
    CHECK("rights.not_inherited", (st.fs_rights_base & __WASI_RIGHTS_FD_WRITE) == 0);
    ERR("rights.write_not_inherited", write_all(fd, "z", 1, &n), __WASI_ERRNO_NOTCAPABLE);
    MUST(__wasi_fd_close(fd));
    MUST(__wasi_fd_fdstat_get(sub, &st));
    OK("rights.dir_drop_create", __wasi_fd_fdstat_set_rights(sub, st.fs_rights_base & ~__WASI_RIGHTS_PATH_CREATE_DIRECTORY, st.fs_rights_inheriting));
    ERR("rights.mkdir_without_right", __wasi_path_create_directory(sub, "nope"), __WASI_ERRNO_NOTCAPABLE);
    OK("rights.other_descriptor_unaffected", __wasi_path_create_directory(dir, "yes"));
    MUST(__wasi_path_remove_directory(dir, "yes"));
    MUST(__wasi_fd_close(sub));
    MUST(__wasi_path_unlink_file(dir, "file"));
}

static void close_and_renumber(__wasi_fd_t dir) {
    __wasi_fdstat_t st, st2;
    __wasi_fd_t from, to, f3, next, cur;
    MUST(open_at(dir, 0, "file1", CREAT, RW, 0, &from));
    MUST(__wasi_fd_fdstat_get(from, &st));
    MUST(open_at(dir, 0, "file2", CREAT, RW, 0, &to));
    OK("renumber.renumber", __wasi_fd_renumber(from, to));
    ERR("renumber.from_closed", __wasi_fd_close(from), __WASI_ERRNO_BADF);
    MUST(__wasi_fd_fdstat_get(to, &st2));
    CHECK("renumber.same_fdstat", st.fs_filetype == st2.fs_filetype && st.fs_flags == st2.fs_flags
                                      && st.fs_rights_base == st2.fs_rights_base);
    MUST(__wasi_fd_close(to));
    OK("renumber.same", __wasi_fd_renumber(0, 0));
    MUST(open_at(dir, 0, "file3", CREAT, RW, 0, &f3));
    ERR("renumber.to_not_open", __wasi_fd_renumber(f3, 127), __WASI_ERRNO_BADF);
    ERR("renumber.to_max", __wasi_fd_renumber(f3, 0xFFFFFFFFu), __WASI_ERRNO_BADF);
    ERR("renumber.from_not_open", __wasi_fd_renumber(127, f3), __WASI_ERRNO_BADF);
    MUST(__wasi_fd_close(f3));
    MUST(open_at(dir, 0, "file1", 0, RW, 0, &cur));
    for (int i = 0; i < 2000; i++) {
        MUST(open_at(dir, 0, "file1", 0, __WASI_RIGHTS_FD_READ, 0, &next));
        MUST(__wasi_fd_renumber(cur, next));
        cur = next;
    }
    OK("renumber.loop_closes_what_it_replaces", __wasi_fd_close(cur));
    MUST(__wasi_path_unlink_file(dir, "file1"));
    MUST(__wasi_path_unlink_file(dir, "file2"));
    MUST(__wasi_path_unlink_file(dir, "file3"));
}

static void moved(__wasi_fd_t dir) {
    __wasi_filestat_t st;
    MUST(open_at(dir, 0, "file", CREAT, RW, 0, &fd));
    MUST(write_all(fd, "abc", 3, &n));
    MUST(__wasi_path_create_directory(dir, "elsewhere"));
    MUST(__wasi_path_rename(dir, "file", dir, "elsewhere/renamed"));
    OK("moved_file.filestat", __wasi_fd_filestat_get(fd, &st));
    CHECK("moved_file.filestat_live", st.size == 3 && st.nlink == 1 && st.mtim != 0);
    const __wasi_timestamp_t t = 1500000000ULL * NS + 42;
    OK("moved_file.set_times", __wasi_fd_filestat_set_times(fd, 0, t, __WASI_FSTFLAGS_MTIM));
    MUST(__wasi_path_filestat_get(dir, 0, "elsewhere/renamed", &st));
    CHECK("moved_file.set_times_landed", st.mtim == t);
    MUST(__wasi_fd_close(fd));

    __wasi_fd_t d;
    MUST(open_at(dir, 0, "elsewhere", __WASI_OFLAGS_DIRECTORY, 0, 0, &d));
    MUST(__wasi_path_rename(dir, "elsewhere", dir, "moved"));
    OK("moved_dir.create_through_descriptor", open_at(d, 0, "new", CREAT, RW, 0, &fd));
    MUST(__wasi_fd_close(fd));
    OK("moved_dir.landed", __wasi_path_filestat_get(dir, 0, "moved/new", &st));
    MUST(__wasi_path_create_directory(dir, "elsewhere"));
    OK("moved_dir.still_follows_after_old_name_reused", __wasi_path_filestat_get(d, 0, "renamed", &st));
    ERR("moved_dir.new_directory_is_another", __wasi_path_filestat_get(dir, 0, "elsewhere/renamed", &st), __WASI_ERRNO_NOENT);
    MUST(__wasi_fd_close(d));
    MUST(__wasi_path_unlink_file(dir, "moved/new"));
    MUST(__wasi_path_unlink_file(dir, "moved/renamed"));
    MUST(__wasi_path_remove_directory(dir, "moved"));
    MUST(__wasi_path_remove_directory(dir, "elsewhere"));
}

static void close_preopen(__wasi_fd_t dir) {
    __wasi_fdstat_t st;
    OK("close_preopen.close", __wasi_fd_close(3));
    OK("close_preopen.scratch_still_open", __wasi_fd_fdstat_get(dir, &st));
    CHECK("close_preopen.scratch_is_dir", st.fs_filetype == __WASI_FILETYPE_DIRECTORY);
    ERR("close_preopen.closed", __wasi_fd_fdstat_get(3, &st), __WASI_ERRNO_BADF);
    ERR("close_preopen.twice", __wasi_fd_close(3), __WASI_ERRNO_BADF);
}

int main(int argc, char **argv) {
    __wasi_fd_t dir = scratch_from_args(argc, argv);
    seek_tell(dir, 0, "blocking");
    seek_tell(dir, __WASI_FDFLAGS_NONBLOCK, "nonblocking");
    fd_flags_set(dir, 0, "blocking");
    fd_flags_set(dir, __WASI_FDFLAGS_NONBLOCK, "nonblocking");
    fdflags_exact(dir);
    pread_pwrite(dir);
    truncation(dir);
    timestamps(dir);
    dir_fd_op_failures(dir);
    allocate_advise_sync(dir);
    stdio();
    rights(dir);
    close_and_renumber(dir);
    moved(dir);
    close_preopen(dir);
    return conf_done();
}
