/*
 * Conformance of everything that is not a path or file: ports of wasmtime's p1_clock_time_get,
 * p1_big_random_buf, p1_sched_yield, p1_sleep, p1_poll_oneoff_files and p1_poll_oneoff_stdio, plus args and
 * environ (exactly what was given: run with --env CONF=1 and the arguments SCRATCH "two words"), the
 * CPU-time clocks, proc_raise and sock_* on descriptors that are not sockets (wasmtime's answers).
 */
#include "conf.h"

#define NS 1000000000ULL

static size_t n;

/* proc_raise is no longer declared by wasi-libc's header; the import still exists. */
int32_t conf_proc_raise(int32_t signal)
    __attribute__((__import_module__("wasi_snapshot_preview1"), __import_name__("proc_raise")));

static void args_environ(int argc, char **argv) {
    size_t count, size;
    OK("args_sizes_get", __wasi_args_sizes_get(&count, &size));
    size_t want = 0;
    for (int i = 0; i < argc; i++) {
        want += strlen(argv[i]) + 1;
    }
    CHECK("args_sizes_get.matches", count == (size_t) argc && size == want);
    CHECK("args.given", argc == 3 && strcmp(argv[2], "two words") == 0);
    OK("environ_sizes_get", __wasi_environ_sizes_get(&count, &size));
    CHECK("environ.only_given", count == 1 && size == strlen("CONF=1") + 1);
    char *env[2];
    char buf[16];
    OK("environ_get", __wasi_environ_get((uint8_t **) env, (uint8_t *) buf));
    CHECK("environ.value", strcmp(env[0], "CONF=1") == 0);
}

static void clocks(void) {
    __wasi_timestamp_t res, a, b;
    for (__wasi_clockid_t id = 0; id < 4; id++) {
        char name[48];
        snprintf(name, sizeof name, "clock_res_get.%u", (unsigned) id);
        OK(name, __wasi_clock_res_get(id, &res));
        CHECK(name, res > 0 && res <= 1000000);
    }
    ERR("clock_res_get.unknown", __wasi_clock_res_get(4, &res), __WASI_ERRNO_INVAL);
    OK("clock_time_get.precision_1", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &a));
    MUST(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, &a));
    MUST(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, &b));
    CHECK("clock_time_get.monotonic", a <= b);
    MUST(__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 0, &a));
    CHECK("clock_time_get.realtime_after_2020", a > 1577836800ULL * NS);
    ERR("clock_time_get.unknown", __wasi_clock_time_get(7, 0, &a), __WASI_ERRNO_INVAL);
    for (__wasi_clockid_t id = __WASI_CLOCKID_PROCESS_CPUTIME_ID; id <= __WASI_CLOCKID_THREAD_CPUTIME_ID; id++) {
        char name[48];
        snprintf(name, sizeof name, "clock_time_get.cputime_%u", (unsigned) id);
        MUST(__wasi_clock_time_get(id, 0, &a));
        volatile uint64_t spin = 0;
        for (int i = 0; i < 2000000; i++) {
            spin = spin + (uint64_t) i;
        }
        (void) spin;
        MUST(__wasi_clock_time_get(id, 0, &b));
        CHECK(name, b > a);
    }
}

static void random_and_yield(void) {
    static uint8_t buf[1024 * 1024];
    OK("big_random_buf", __wasi_random_get(buf, sizeof buf));
    size_t zeros = 0;
    for (size_t i = 0; i < sizeof buf; i++) {
        zeros += buf[i] == 0;
    }
    CHECK("big_random_buf.random", zeros < sizeof buf / 128);
    OK("random_get.empty", __wasi_random_get(buf, 0));
    OK("sched_yield", __wasi_sched_yield());
}

static __wasi_subscription_t clock_sub(__wasi_userdata_t userdata, __wasi_clockid_t id, __wasi_timestamp_t timeout,
                                       __wasi_subclockflags_t flags) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = userdata;
    s.u.tag = __WASI_EVENTTYPE_CLOCK;
    s.u.u.clock.id = id;
    s.u.u.clock.timeout = timeout;
    s.u.u.clock.flags = flags;
    return s;
}

static __wasi_subscription_t fd_sub(__wasi_userdata_t userdata, __wasi_eventtype_t type, __wasi_fd_t fd) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = userdata;
    s.u.tag = type;
    if (type == __WASI_EVENTTYPE_FD_READ) {
        s.u.u.fd_read.file_descriptor = fd;
    } else {
        s.u.u.fd_write.file_descriptor = fd;
    }
    return s;
}

static void poll(__wasi_fd_t dir) {
    __wasi_event_t ev[4];
    __wasi_subscription_t sub[4];
    __wasi_timestamp_t before, after;
    ERR("poll_oneoff.empty", __wasi_poll_oneoff(sub, ev, 0, &n), __WASI_ERRNO_INVAL);
    static const __wasi_clockid_t ids[] = {__WASI_CLOCKID_MONOTONIC, __WASI_CLOCKID_REALTIME};
    static const char *names[] = {"poll_oneoff.timeout_monotonic", "poll_oneoff.sleep_realtime"};
    for (int i = 0; i < 2; i++) {
        sub[0] = clock_sub(0x012345678, ids[i], 5000000, 0);
        MUST(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, &before));
        OK(names[i], __wasi_poll_oneoff(sub, ev, 1, &n));
        MUST(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, &after));
        CHECK(names[i], n == 1 && ev[0].error == 0 && ev[0].type == __WASI_EVENTTYPE_CLOCK
                             && ev[0].userdata == 0x012345678 && after - before >= 5000000);
    }
    MUST(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, &before));
    sub[0] = clock_sub(7, __WASI_CLOCKID_MONOTONIC, before + 5000000, __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
    OK("poll_oneoff.abstime", __wasi_poll_oneoff(sub, ev, 1, &n));
    MUST(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, &after));
    CHECK("poll_oneoff.abstime_waited", n == 1 && after >= before + 5000000);
    sub[0] = clock_sub(1, __WASI_CLOCKID_PROCESS_CPUTIME_ID, 1000, 0);
    ERR("poll_oneoff.cputime_clock", __wasi_poll_oneoff(sub, ev, 1, &n), __WASI_ERRNO_INVAL);

    /* p1_poll_oneoff_files */
    __wasi_fd_t w, r, wf;
    MUST(open_at(dir, 0, "readable_file", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, &w));
    MUST(write_all(w, "\1", 1, &n));
    MUST(__wasi_fd_close(w));
    MUST(open_at(dir, 0, "readable_file", 0, __WASI_RIGHTS_FD_READ, 0, &r));
    MUST(open_at(dir, 0, "writable_file", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, &wf));
    sub[0] = fd_sub(1, __WASI_EVENTTYPE_FD_READ, r);
    sub[1] = fd_sub(2, __WASI_EVENTTYPE_FD_WRITE, wf);
    sub[2] = clock_sub(3, __WASI_CLOCKID_MONOTONIC, 10 * NS, 0);
    OK("poll_oneoff_files.readwrite", __wasi_poll_oneoff(sub, ev, 3, &n));
    CHECK("poll_oneoff_files.two_events", n == 2 && ev[0].userdata == 1 && ev[1].userdata == 2);
    CHECK("poll_oneoff_files.types", ev[0].type == __WASI_EVENTTYPE_FD_READ && ev[1].type == __WASI_EVENTTYPE_FD_WRITE
                                         && ev[0].error == 0 && ev[1].error == 0);
    CHECK("poll_oneoff_files.not_at_end", ev[0].fd_readwrite.flags == 0);
    char c;
    MUST(read_some(r, &c, 1, &n));
    MUST(__wasi_poll_oneoff(sub, ev, 1, &n));
    CHECK("poll_oneoff_files.hangup_at_end", n == 1 && ev[0].fd_readwrite.flags == __WASI_EVENTRWFLAGS_FD_READWRITE_HANGUP);
    sub[0] = fd_sub(1, __WASI_EVENTTYPE_FD_READ, 0xFFFFFFFFu);
    sub[1] = fd_sub(2, __WASI_EVENTTYPE_FD_WRITE, 0xFFFFFFFFu);
    ERR("poll_oneoff_files.invalid_fd", __wasi_poll_oneoff(sub, ev, 2, &n), __WASI_ERRNO_BADF);
    sub[0] = fd_sub(1, __WASI_EVENTTYPE_FD_READ, dir);
    ERR("poll_oneoff.directory", __wasi_poll_oneoff(sub, ev, 1, &n), __WASI_ERRNO_BADF);
    /* p1_poll_oneoff_stdio: stdout and stderr are writable at once */
    sub[0] = fd_sub(1, __WASI_EVENTTYPE_FD_WRITE, 1);
    sub[1] = fd_sub(2, __WASI_EVENTTYPE_FD_WRITE, 2);
    sub[2] = clock_sub(3, __WASI_CLOCKID_MONOTONIC, 10 * NS, 0);
    OK("poll_oneoff_stdio.writable", __wasi_poll_oneoff(sub, ev, 3, &n));
    CHECK("poll_oneoff_stdio.events", n == 2 && ev[0].userdata == 1 && ev[1].userdata == 2
                                          && ev[0].type == __WASI_EVENTTYPE_FD_WRITE);
    sub[0] = fd_sub(1, __WASI_EVENTTYPE_FD_READ, 1);
    ERR("poll_oneoff_stdio.read_stdout", __wasi_poll_oneoff(sub, ev, 1, &n), __WASI_ERRNO_BADF);
    MUST(__wasi_fd_close(r));
    MUST(__wasi_fd_close(wf));
    MUST(__wasi_path_unlink_file(dir, "readable_file"));
    MUST(__wasi_path_unlink_file(dir, "writable_file"));
}

static void sockets_and_signals(__wasi_fd_t dir) {
    __wasi_fd_t accepted;
    uint8_t buf[8];
    __wasi_iovec_t iov = {.buf = buf, .buf_len = sizeof buf};
    __wasi_ciovec_t ciov = {.buf = buf, .buf_len = sizeof buf};
    __wasi_roflags_t roflags;
    ERR("sock_accept.unknown_fd", __wasi_sock_accept(99, 0, &accepted), __WASI_ERRNO_BADF);
    ERR("sock_accept.stdin", __wasi_sock_accept(0, 0, &accepted), __WASI_ERRNO_NOTSOCK);
    ERR("sock_accept.directory", __wasi_sock_accept(dir, 0, &accepted), __WASI_ERRNO_NOTSOCK);
    ERR("sock_accept.bad_flags", __wasi_sock_accept(dir, 0x100, &accepted), __WASI_ERRNO_INVAL);
    ERR("sock_recv.unknown_fd", __wasi_sock_recv(99, &iov, 1, 0, &n, &roflags), __WASI_ERRNO_BADF);
    ERR("sock_recv.stdin", __wasi_sock_recv(0, &iov, 1, 0, &n, &roflags), __WASI_ERRNO_NOTSOCK);
    ERR("sock_recv.bad_flags", __wasi_sock_recv(0, &iov, 1, 4, &n, &roflags), __WASI_ERRNO_INVAL);
    ERR("sock_send.unknown_fd", __wasi_sock_send(99, &ciov, 1, 0, &n), __WASI_ERRNO_BADF);
    ERR("sock_send.stdout", __wasi_sock_send(1, &ciov, 1, 0, &n), __WASI_ERRNO_NOTSOCK);
    __wasi_fd_t file;
    MUST(open_at(dir, 0, "f", __WASI_OFLAGS_CREAT, 0, 0, &file));
    ERR("sock_send.file", __wasi_sock_send(file, &ciov, 1, 0, &n), __WASI_ERRNO_NOTSOCK);
    ERR("sock_shutdown.file", __wasi_sock_shutdown(file, __WASI_SDFLAGS_RD), __WASI_ERRNO_NOTSOCK);
    MUST(__wasi_fd_close(file));
    MUST(__wasi_path_unlink_file(dir, "f"));
    ERR("sock_shutdown.unknown_fd", __wasi_sock_shutdown(99, __WASI_SDFLAGS_WR), __WASI_ERRNO_BADF);
    ERR("sock_shutdown.bad_how", __wasi_sock_shutdown(1, 4), __WASI_ERRNO_INVAL);
    ERR("proc_raise.notsup", conf_proc_raise(15 /* term */), __WASI_ERRNO_NOTSUP);
    ERR("proc_raise.bad_signal", conf_proc_raise(31), __WASI_ERRNO_INVAL);
}

int main(int argc, char **argv) {
    __wasi_fd_t dir = scratch_from_args(argc, argv);
    args_environ(argc, argv);
    clocks();
    random_and_yield();
    poll(dir);
    sockets_and_signals(dir);
    return conf_done();
}
