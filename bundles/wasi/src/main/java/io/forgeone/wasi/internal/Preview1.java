package io.forgeone.wasi.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Numbers and struct layouts of the wasi_snapshot_preview1 witx (typenames.witx): enum tags, flag bits,
 * rights, and the byte offsets of the records the host writes into guest memory.
 */
final class Preview1 {
    static final String MODULE = "wasi_snapshot_preview1";

    // filetype (u8)
    static final int FILETYPE_UNKNOWN = 0;
    static final int FILETYPE_BLOCK_DEVICE = 1;
    static final int FILETYPE_CHARACTER_DEVICE = 2;
    static final int FILETYPE_DIRECTORY = 3;
    static final int FILETYPE_REGULAR_FILE = 4;
    static final int FILETYPE_SOCKET_DGRAM = 5;
    static final int FILETYPE_SOCKET_STREAM = 6;
    static final int FILETYPE_SYMBOLIC_LINK = 7;

    // clockid (u32)
    static final int CLOCK_REALTIME = 0;
    static final int CLOCK_MONOTONIC = 1;
    static final int CLOCK_PROCESS_CPUTIME = 2;
    static final int CLOCK_THREAD_CPUTIME = 3;
    private static final String[] CLOCK_NAMES = {"realtime", "monotonic", "process_cputime_id", "thread_cputime_id"};

    // whence (u8)
    static final int WHENCE_SET = 0;
    static final int WHENCE_CUR = 1;
    static final int WHENCE_END = 2;
    private static final String[] WHENCE_NAMES = {"set", "cur", "end"};

    // oflags (u16)
    static final int O_CREAT = 1;
    static final int O_DIRECTORY = 1 << 1;
    static final int O_EXCL = 1 << 2;
    static final int O_TRUNC = 1 << 3;
    static final int OFLAGS_ALL = 0xF;
    private static final String[] OFLAG_NAMES = {"creat", "directory", "excl", "trunc"};

    // fdflags (u16)
    static final int FDFLAG_APPEND = 1;
    static final int FDFLAG_DSYNC = 1 << 1;
    static final int FDFLAG_NONBLOCK = 1 << 2;
    static final int FDFLAG_RSYNC = 1 << 3;
    static final int FDFLAG_SYNC = 1 << 4;
    static final int FDFLAGS_ALL = 0x1F;
    private static final String[] FDFLAG_NAMES = {"append", "dsync", "nonblock", "rsync", "sync"};

    // lookupflags (u32)
    static final int LOOKUP_SYMLINK_FOLLOW = 1;
    private static final String[] LOOKUP_NAMES = {"symlink_follow"};

    // fstflags (u16)
    static final int FST_ATIM = 1;
    static final int FST_ATIM_NOW = 1 << 1;
    static final int FST_MTIM = 1 << 2;
    static final int FST_MTIM_NOW = 1 << 3;
    static final int FSTFLAGS_ALL = 0xF;

    // rights (u64)
    static final long RIGHT_FD_DATASYNC = 1L;
    static final long RIGHT_FD_READ = 1L << 1;
    static final long RIGHT_FD_SEEK = 1L << 2;
    static final long RIGHT_FD_FDSTAT_SET_FLAGS = 1L << 3;
    static final long RIGHT_FD_SYNC = 1L << 4;
    static final long RIGHT_FD_TELL = 1L << 5;
    static final long RIGHT_FD_WRITE = 1L << 6;
    static final long RIGHT_FD_ADVISE = 1L << 7;
    static final long RIGHT_FD_ALLOCATE = 1L << 8;
    static final long RIGHT_PATH_CREATE_DIRECTORY = 1L << 9;
    static final long RIGHT_PATH_CREATE_FILE = 1L << 10;
    static final long RIGHT_PATH_LINK_SOURCE = 1L << 11;
    static final long RIGHT_PATH_LINK_TARGET = 1L << 12;
    static final long RIGHT_PATH_OPEN = 1L << 13;
    static final long RIGHT_FD_READDIR = 1L << 14;
    static final long RIGHT_PATH_READLINK = 1L << 15;
    static final long RIGHT_PATH_RENAME_SOURCE = 1L << 16;
    static final long RIGHT_PATH_RENAME_TARGET = 1L << 17;
    static final long RIGHT_PATH_FILESTAT_GET = 1L << 18;
    static final long RIGHT_PATH_FILESTAT_SET_SIZE = 1L << 19;
    static final long RIGHT_PATH_FILESTAT_SET_TIMES = 1L << 20;
    static final long RIGHT_FD_FILESTAT_GET = 1L << 21;
    static final long RIGHT_FD_FILESTAT_SET_SIZE = 1L << 22;
    static final long RIGHT_FD_FILESTAT_SET_TIMES = 1L << 23;
    static final long RIGHT_PATH_SYMLINK = 1L << 24;
    static final long RIGHT_PATH_REMOVE_DIRECTORY = 1L << 25;
    static final long RIGHT_PATH_UNLINK_FILE = 1L << 26;
    static final long RIGHT_POLL_FD_READWRITE = 1L << 27;
    static final long RIGHT_SOCK_SHUTDOWN = 1L << 28;
    static final long RIGHT_SOCK_ACCEPT = 1L << 29;
    static final long RIGHTS_ALL = (1L << 30) - 1;
    private static final String[] RIGHT_NAMES = {
        "fd_datasync", "fd_read", "fd_seek", "fd_fdstat_set_flags", "fd_sync", "fd_tell", "fd_write",
        "fd_advise", "fd_allocate", "path_create_directory", "path_create_file", "path_link_source",
        "path_link_target", "path_open", "fd_readdir", "path_readlink", "path_rename_source",
        "path_rename_target", "path_filestat_get", "path_filestat_set_size", "path_filestat_set_times",
        "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times", "path_symlink",
        "path_remove_directory", "path_unlink_file", "poll_fd_readwrite", "sock_shutdown", "sock_accept",
    };

    /** What wasmtime reports for a preopened directory: the path rights "many userlands expect". */
    static final long RIGHTS_PREOPEN_BASE = RIGHT_PATH_CREATE_DIRECTORY | RIGHT_PATH_CREATE_FILE
            | RIGHT_PATH_LINK_SOURCE | RIGHT_PATH_LINK_TARGET | RIGHT_PATH_OPEN | RIGHT_FD_READDIR
            | RIGHT_PATH_READLINK | RIGHT_PATH_RENAME_SOURCE | RIGHT_PATH_RENAME_TARGET | RIGHT_PATH_SYMLINK
            | RIGHT_PATH_REMOVE_DIRECTORY | RIGHT_PATH_UNLINK_FILE | RIGHT_PATH_FILESTAT_GET
            | RIGHT_PATH_FILESTAT_SET_TIMES | RIGHT_FD_FILESTAT_GET | RIGHT_FD_FILESTAT_SET_TIMES;
    /** ... and what a preopen lets descriptors opened through it have. */
    static final long RIGHTS_PREOPEN_INHERITING = RIGHTS_PREOPEN_BASE | RIGHT_FD_DATASYNC | RIGHT_FD_READ
            | RIGHT_FD_SEEK | RIGHT_FD_FDSTAT_SET_FLAGS | RIGHT_FD_SYNC | RIGHT_FD_TELL | RIGHT_FD_WRITE
            | RIGHT_FD_ADVISE | RIGHT_FD_ALLOCATE | RIGHT_FD_FILESTAT_GET | RIGHT_FD_FILESTAT_SET_SIZE
            | RIGHT_FD_FILESTAT_SET_TIMES | RIGHT_POLL_FD_READWRITE;

    // eventtype (u8), subclockflags (u16), eventrwflags (u16)
    static final int EVENTTYPE_CLOCK = 0;
    static final int EVENTTYPE_FD_READ = 1;
    static final int EVENTTYPE_FD_WRITE = 2;
    static final int SUBCLOCK_ABSTIME = 1;
    static final int EVENTRW_HANGUP = 1;

    // record layouts (size, field offsets)
    static final int IOVEC_SIZE = 8;
    static final int PRESTAT_SIZE = 8;
    static final int PRESTAT_NAME_LEN = 4;
    static final int FDSTAT_SIZE = 24;
    static final int FDSTAT_FLAGS = 2;
    static final int FDSTAT_RIGHTS_BASE = 8;
    static final int FDSTAT_RIGHTS_INHERITING = 16;
    static final int FILESTAT_SIZE = 64;
    static final int FILESTAT_INO = 8;
    static final int FILESTAT_FILETYPE = 16;
    static final int FILESTAT_NLINK = 24;
    static final int FILESTAT_SIZE_FIELD = 32;
    static final int FILESTAT_ATIM = 40;
    static final int FILESTAT_MTIM = 48;
    static final int FILESTAT_CTIM = 56;
    static final int DIRENT_SIZE = 24;
    static final int DIRENT_INO = 8;
    static final int DIRENT_NAMLEN = 16;
    static final int DIRENT_TYPE = 20;
    static final int SUBSCRIPTION_SIZE = 48;
    static final int SUBSCRIPTION_TAG = 8;
    static final int SUBSCRIPTION_CLOCK_ID = 16;
    static final int SUBSCRIPTION_CLOCK_TIMEOUT = 24;
    static final int SUBSCRIPTION_CLOCK_FLAGS = 40;
    static final int SUBSCRIPTION_FD = 16;
    static final int EVENT_SIZE = 32;
    static final int EVENT_ERROR = 8;
    static final int EVENT_TYPE = 10;
    static final int EVENT_NBYTES = 16;
    static final int EVENT_FLAGS = 24;

    private Preview1() {
    }

    static List<String> oflagNames(int flags) {
        return names(flags, OFLAG_NAMES);
    }

    static List<String> fdflagNames(int flags) {
        return names(flags, FDFLAG_NAMES);
    }

    static List<String> lookupNames(int flags) {
        return names(flags, LOOKUP_NAMES);
    }

    static List<String> rightNames(long rights) {
        List<String> names = new ArrayList<>();
        for (int bit = 0; bit < 64; bit++) {
            if ((rights & (1L << bit)) != 0) {
                names.add(bit < RIGHT_NAMES.length ? RIGHT_NAMES[bit] : "bit" + bit);
            }
        }
        return names;
    }

    static String clockName(int id) {
        return id >= 0 && id < CLOCK_NAMES.length ? CLOCK_NAMES[id] : "clock" + Integer.toUnsignedString(id);
    }

    static String whenceName(int whence) {
        return whence >= 0 && whence < WHENCE_NAMES.length ? WHENCE_NAMES[whence] : "whence" + whence;
    }

    private static List<String> names(int flags, String[] table) {
        List<String> names = new ArrayList<>();
        for (int bit = 0; bit < 32; bit++) {
            if ((flags & (1 << bit)) != 0) {
                names.add(bit < table.length ? table[bit] : "bit" + bit);
            }
        }
        return names;
    }
}
