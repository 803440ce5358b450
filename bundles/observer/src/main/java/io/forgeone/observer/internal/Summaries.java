package io.forgeone.observer.internal;

import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.MemoryAccessException;
import io.forgeone.api.gate.Decision;
import io.forgeone.api.observe.TraceRecord;
import io.forgeone.api.policy.Explanation;
import java.util.List;
import java.util.Map;

/**
 * One plain sentence per notable call, for people and language models: files opened, created, deleted or renamed,
 * directories listed, randomness and exits, denials and failures. Routine calls (reads, writes, clocks) have none.
 */
final class Summaries {
    static final String WASI = "wasi_snapshot_preview1";

    /** WASI preview1 errno names, by number. */
    private static final String[] ERRNO = {"success", "2big", "acces", "addrinuse", "addrnotavail", "afnosupport",
        "again", "already", "badf", "badmsg", "busy", "canceled", "child", "connaborted", "connrefused", "connreset",
        "deadlk", "destaddrreq", "dom", "dquot", "exist", "fault", "fbig", "hostunreach", "idrm", "ilseq",
        "inprogress", "intr", "inval", "io", "isconn", "isdir", "loop", "mfile", "mlink", "msgsize", "multihop",
        "nametoolong", "netdown", "netreset", "netunreach", "nfile", "nobufs", "nodev", "noent", "noexec", "nolck",
        "nolink", "nomem", "nomsg", "noprotoopt", "nospc", "nosys", "notconn", "notdir", "notempty",
        "notrecoverable", "notsock", "notsup", "notty", "nxio", "overflow", "ownerdead", "perm", "pipe", "proto",
        "protonosupport", "prototype", "range", "rofs", "spipe", "srch", "stale", "timedout", "txtbsy", "xdev",
        "notcapable"};

    private static final int BADF = 8;

    private Summaries() {
    }

    static String errnoName(int errno) {
        return errno >= 0 && errno < ERRNO.length ? ERRNO[errno] : "errno " + errno;
    }

    /**
     * The sentence for a call, or empty when it is routine.
     *
     * @param written what the call wrote into guest memory (for values it returned through pointers)
     */
    static String sentence(TraceRecord r, GuestMemory written) {
        return sentence(r, written, Preopens.NONE);
    }

    /** The same, naming paths from the root when they are relative to a preopened directory. */
    static String sentence(TraceRecord r, GuestMemory written, Preopens preopens) {
        return sentence(r, written, preopens, null);
    }

    /**
     * The same, naming the rule and policy that decided the call when {@code because} is given: "opened
     * /data/in.txt for reading as fd 4: allowed by rule fs-read of policy etl".
     */
    static String sentence(TraceRecord r, GuestMemory written, Preopens preopens, Explanation because) {
        String plain = plainSentence(r, written, preopens, because);
        if (plain.isEmpty() || because == null || r.decision() != Decision.ALLOW || r.errno() > 0
                || !r.failure().isEmpty() || r.call().equals("proc_exit")) {
            return plain;
        }
        return plain + ": allowed by " + rule(because);
    }

    private static String rule(Explanation e) {
        return "rule " + e.rule() + " of policy " + e.policy();
    }

    private static String plainSentence(TraceRecord r, GuestMemory written, Preopens preopens, Explanation because) {
        if (r.call().equals("fd_prestat_get") && r.errno() == BADF && r.decision() == Decision.ALLOW) {
            // how every WASI program finds the end of its preopens: routine
            return "";
        }
        String action = WASI.equals(r.module()) ? wasiAction(r, written, preopens) : null;
        String what = action != null ? action : r.module() + "." + r.call();
        String by = because == null ? "the gate" : rule(because);
        if (r.decision() == Decision.QUARANTINE) {
            return what + ": denied by " + by + ", and the container was quarantined";
        }
        if (r.decision() == Decision.DENY) {
            return what + ": denied by " + by;
        }
        if (!r.failure().isEmpty() && !r.call().equals("proc_exit")) {
            return what + ": failed (" + r.failure() + ")";
        }
        if (r.errno() > 0) {
            return what + ": failed with " + errnoName(r.errno());
        }
        return action == null ? "" : action;
    }

    /** What a WASI call did, in words; null when it is routine and succeeded. */
    private static String wasiAction(TraceRecord r, GuestMemory written, Preopens preopens) {
        Map<String, Object> a = r.arguments();
        boolean failed = r.errno() > 0 || r.decision() != Decision.ALLOW;
        switch (r.call()) {
            case "path_open": {
                String how = openMode(a);
                if (failed) {
                    return "open " + path(a, preopens) + " for " + how;
                }
                String fd = "";
                try {
                    if (r.args().size() > 8) {
                        fd = " as fd " + written.readI32(r.args().get(8));
                    }
                } catch (MemoryAccessException e) {
                    fd = "";
                }
                return "opened " + path(a, preopens) + " for " + how + fd;
            }
            case "path_unlink_file":
                return (failed ? "delete " : "deleted ") + path(a, preopens);
            case "path_create_directory":
                return (failed ? "create directory " : "created directory ") + path(a, preopens);
            case "path_remove_directory":
                return (failed ? "remove directory " : "removed directory ") + path(a, preopens);
            case "path_rename":
                return (failed ? "rename " : "renamed ") + path(a, preopens) + " to " + other(a, preopens);
            case "path_symlink":
                return (failed ? "create symlink " : "created symlink ") + path(a, preopens) + " to "
                        + a.get("target");
            case "path_link":
                return (failed ? "link " : "linked ") + path(a, preopens) + " as " + other(a, preopens);
            case "fd_readdir":
                return (failed ? "list " : "listed ") + (a.containsKey("guestPath") ? "directory " + a.get("guestPath")
                        : "the directory at fd " + a.get("fd"));
            case "random_get":
                return (failed ? "read " : "read ") + a.getOrDefault("bytes", "?") + " random bytes";
            case "proc_exit":
                return "exited with code " + a.getOrDefault("code", r.args().isEmpty() ? "?" : r.args().get(0));
            case "sock_accept":
                return (failed ? "accept a connection on fd " : "accepted a connection on fd ") + a.get("fd");
            default:
                if (!failed && r.failure().isEmpty()) {
                    return null;
                }
                if (r.call().startsWith("path_")) {
                    return r.call() + " on " + path(a, preopens);
                }
                if (a.containsKey("fd")) {
                    return r.call() + " on fd " + a.get("fd");
                }
                return r.call();
        }
    }

    private static String path(Map<String, Object> a, Preopens preopens) {
        if (a.containsKey("guestPath")) {
            return String.valueOf(a.get("guestPath"));
        }
        Object p = a.get("path");
        return p == null ? "a path" : preopens.resolve(a.get("fd"), String.valueOf(p));
    }

    private static String other(Map<String, Object> a, Preopens preopens) {
        if (a.containsKey("newGuestPath")) {
            return String.valueOf(a.get("newGuestPath"));
        }
        Object p = a.get("newPath");
        return p == null ? "a path" : preopens.resolve(a.containsKey("newFd") ? a.get("newFd") : a.get("fd"),
                String.valueOf(p));
    }

    private static String openMode(Map<String, Object> a) {
        Object rights = a.get("rights");
        boolean read = rights instanceof List<?> l && l.contains("fd_read");
        boolean write = rights instanceof List<?> l2 && l2.contains("fd_write");
        Object oflags = a.get("oflags");
        boolean directory = oflags instanceof List<?> o && o.contains("directory");
        boolean create = oflags instanceof List<?> o2 && o2.contains("creat");
        boolean truncate = oflags instanceof List<?> o3 && o3.contains("trunc");
        String how = directory ? "listing" : read && write ? "reading and writing" : write ? "writing"
                : read ? "reading" : "no access";
        if (create) {
            how += ", creating it if missing";
        }
        if (truncate) {
            how += ", truncating it";
        }
        return how;
    }
}
