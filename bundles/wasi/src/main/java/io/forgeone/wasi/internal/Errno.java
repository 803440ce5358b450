package io.forgeone.wasi.internal;

/** The {@code errno} enum of the wasi_snapshot_preview1 witx, by its numeric tag. */
final class Errno {
    static final int SUCCESS = 0;
    static final int TOOBIG = 1;
    static final int ACCES = 2;
    static final int AGAIN = 6;
    static final int BADF = 8;
    static final int BUSY = 10;
    static final int EXIST = 20;
    static final int FAULT = 21;
    static final int FBIG = 22;
    static final int ILSEQ = 25;
    static final int INTR = 27;
    static final int INVAL = 28;
    static final int IO = 29;
    static final int ISDIR = 31;
    static final int LOOP = 32;
    static final int MFILE = 33;
    static final int MLINK = 34;
    static final int NAMETOOLONG = 37;
    static final int NFILE = 41;
    static final int NOENT = 44;
    static final int NOMEM = 48;
    static final int NOSPC = 51;
    static final int NOSYS = 52;
    static final int NOTDIR = 54;
    static final int NOTSOCK = 57;
    static final int NOTEMPTY = 55;
    static final int NOTSUP = 58;
    static final int OVERFLOW = 61;
    static final int PERM = 63;
    static final int PIPE = 64;
    static final int RANGE = 68;
    static final int ROFS = 69;
    static final int SPIPE = 70;
    static final int TXTBSY = 74;
    static final int XDEV = 75;
    static final int NOTCAPABLE = 76;

    /**
     * What a path that would leave its preopen gets: an absolute path, {@code ..} above the base directory,
     * or a symlink that points outside. EPERM, as current wasmtime answers (wasi-filesystem's
     * {@code not-permitted}: "reaches a directory outside of the base directory ... fails with
     * error-code::not-permitted"); its preview1 test programs assert exactly EPERM for an absolute path and
     * for too many {@code ..}. (Older wasi-common answered ENOTCAPABLE, which a policy denial still gets.)
     */
    static final int ESCAPE = PERM;

    private static final String[] NAMES = {
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

    private Errno() {
    }

    /** The witx name in upper case, for example {@code NOTCAPABLE} for 76. */
    static String name(int errno) {
        return errno >= 0 && errno < NAMES.length ? NAMES[errno] : "errno" + errno;
    }
}
