package io.forgeone.trust.internal;

import io.forgeone.api.capability.CapabilityFunction;
import io.forgeone.api.capability.ProvidedFunction;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.policy.PolicyMode;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A policy compiled for one container's host functions: one {@link Check} per function index. Functions whose
 * answer does not depend on their arguments get a constant verdict; stdio calls look at the descriptor number;
 * only path calls decode their arguments (the path text) to match the filesystem grants.
 */
final class CompiledPolicy {
    static final String WASI = "wasi_snapshot_preview1";
    private static final int OFLAG_CREAT = 1;
    private static final int OFLAG_TRUNC = 8;
    private static final long RIGHT_FD_WRITE = 1L << 6;
    private static final long RIGHT_FD_ALLOCATE = 1L << 8;
    private static final long RIGHT_FD_FILESTAT_SET_SIZE = 1L << 22;
    private static final int FDFLAG_APPEND = 1;

    /** Calls that only touch state the guest already holds (its own descriptors, its own exit). */
    private static final Set<String> BASIC = Set.of("proc_exit", "proc_raise", "sched_yield", "fd_close",
            "fd_fdstat_get", "fd_fdstat_set_flags", "fd_fdstat_set_rights", "fd_prestat_get", "fd_prestat_dir_name",
            "fd_seek", "fd_tell", "fd_advise", "fd_allocate", "fd_sync", "fd_datasync", "fd_renumber", "fd_filestat_get",
            "fd_filestat_set_size", "fd_filestat_set_times", "sock_accept", "sock_recv", "sock_send",
            "sock_shutdown");

    interface Check {
        Verdict check(HostFunction function, GuestMemory memory, long[] args);
    }

    private static final Verdict NOT_A_DIRECTORY =
            Verdict.allow("basic", "the descriptor is not a directory, so the call fails by itself");
    private static final Check BASIC_CHECK =
            constant(Verdict.allow("basic", "the call acts only on the guest's own state"));

    final Policy policy;
    private final Check[] checks;
    /** Per function: the capability it exercises (args, env, clocks, random, stdin/stdout/stderr, fs, functions, call). */
    private final String[] capabilities;
    /** Per function: whether it writes bytes (fd_write, fd_pwrite), for the bytes-written limit. */
    private final boolean[] writes;
    final Policy.Limits limits;
    final Policy.Trust trust;

    private CompiledPolicy(Policy policy, Check[] checks, String[] capabilities, boolean[] writes) {
        this.policy = policy;
        this.checks = checks;
        this.capabilities = capabilities;
        this.writes = writes;
        this.limits = policy == null ? Policy.Limits.NONE : policy.limits();
        this.trust = policy == null ? Policy.Trust.DEFAULT : policy.trust();
        this.plain = limits.callsPerSecond() == 0 && limits.bytesWritten() == 0
                && (policy == null || !policy.logAllows());
    }

    /** No rate limit, no byte count and no logging of allows: an allowed call needs nothing but its check. */
    final boolean plain;

    boolean writes(int index) {
        return writes[index];
    }

    /** Whether a denial of this function with this verdict quarantines the container at once. */
    boolean quarantines(int index, Verdict denial) {
        if (policy == null || policy.quarantineOn().isEmpty()) {
            return false;
        }
        Set<String> on = policy.quarantineOn();
        return on.contains("*") || on.contains(denial.rule()) || on.contains(capabilities[index])
                || denial.rule().startsWith("limits.") && on.contains("limits");
    }

    PolicyMode mode() {
        return policy == null ? PolicyMode.ENFORCE : policy.mode();
    }

    String policyName() {
        return policy == null ? "none" : policy.name();
    }

    Verdict decide(int index, HostFunction function, GuestMemory memory, long[] args) {
        return checks[index].check(function, memory, args);
    }

    /** Compiles {@code policy} (or, when null, the deny-everything default) for these functions. */
    static CompiledPolicy compile(Policy policy, List<HostFunction> functions) {
        Check[] checks = new Check[functions.size()];
        String[] capabilities = new String[checks.length];
        boolean[] writes = new boolean[checks.length];
        for (int i = 0; i < checks.length; i++) {
            HostFunction f = functions.get(i);
            checks[i] = policy != null ? compile(policy, f)
                    : WASI.equals(f.module()) && BASIC.contains(f.name()) ? BASIC_CHECK
                    : constant(Verdict.deny("default-deny", "no policy applies to this workload"));
            capabilities[i] = capability(f);
            writes[i] = WASI.equals(f.module()) && (f.name().equals("fd_write") || f.name().equals("fd_pwrite"));
        }
        return new CompiledPolicy(policy, checks, capabilities, writes);
    }

    /** The capability a call exercises: a provider's function says it; WASI calls by name. */
    static String capability(HostFunction f) {
        if (f instanceof CapabilityFunction cf) {
            return cf.capability();
        }
        return capability(f.module(), f.name());
    }

    /** Whether a provider's function is decided by the {@code net} grants (host and port) rather than by name. */
    static boolean isNet(HostFunction f) {
        return f instanceof CapabilityFunction cf && ProvidedFunction.NET.equals(cf.capability());
    }

    /** Compiles one function: net functions against the net grants, all others by module and name. */
    static Check compile(Policy policy, HostFunction f) {
        if (isNet(f)) {
            List<Policy.NetGrant> grants = policy.grants().net();
            String full = f.module() + "." + f.name();
            return (fn, m, a) -> net(grants, full, fn.describe(m, a));
        }
        return compile(policy, f.module(), f.name());
    }

    /** A destination call: allowed when a net grant names its host (or a CIDR holding its address) and port. */
    static Verdict net(List<Policy.NetGrant> grants, String call, Map<String, Object> described) {
        if (described.get("urlError") != null) {
            return Verdict.allow("basic", "the destination is not a URL, so the call fails by itself");
        }
        if (!(described.get("host") instanceof String host) || !(described.get("port") instanceof Integer port)) {
            return Verdict.deny("default-deny", call + ": the destination could not be read from the guest");
        }
        for (Policy.NetGrant g : grants) {
            if ((g.host() != null ? hostMatches(g.host(), host) : cidrHolds(g.cidr(), host))
                    && (g.ports().isEmpty() || g.ports().contains(port))) {
                return Verdict.allow(g.id(), host + ":" + port + " is granted");
            }
        }
        return Verdict.deny(grants.isEmpty() ? "default-deny" : "net", "connecting to " + host + ":" + port
                + " is not granted");
    }

    /** Exact host, case-insensitive, or {@code *.example.com} for any name below example.com. */
    static boolean hostMatches(String pattern, String host) {
        String p = pattern.toLowerCase(java.util.Locale.ROOT);
        String h = host.toLowerCase(java.util.Locale.ROOT);
        if (p.startsWith("*.")) {
            return h.endsWith(p.substring(1)) && h.length() > p.length() - 1;
        }
        return p.equals(h);
    }

    /** Whether an address literal lies in the block; a host name never does (it is not resolved here). */
    static boolean cidrHolds(String cidr, String host) {
        int slash = cidr.indexOf('/');
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!h.matches("[0-9a-fA-F:.]+") || !h.contains(".") && !h.contains(":")) {
            return false;
        }
        try {
            byte[] net = java.net.InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            byte[] addr = java.net.InetAddress.getByName(h).getAddress();
            int bits = Integer.parseInt(cidr.substring(slash + 1));
            if (net.length != addr.length || bits > net.length * 8) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((net[i / 8] & mask) != (addr[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (java.net.UnknownHostException | NumberFormatException e) {
            return false;
        }
    }

    /** The capability a call exercises, as quarantine entries name it. */
    static String capability(String module, String name) {
        if (!WASI.equals(module)) {
            return "functions";
        }
        if (name.startsWith("args_")) {
            return "args";
        }
        if (name.startsWith("environ_")) {
            return "env";
        }
        if (name.startsWith("clock_") || name.equals("poll_oneoff")) {
            return "clocks";
        }
        if (name.equals("random_get")) {
            return "random";
        }
        if (name.startsWith("path_") || name.equals("fd_readdir")) {
            return "fs";
        }
        if (name.equals("fd_read") || name.equals("fd_pread")) {
            return "stdin";
        }
        if (name.equals("fd_write") || name.equals("fd_pwrite")) {
            return "stdout";
        }
        return "call";
    }

    /** Compiles one call by name, for explain and for tests. */
    static Check compile(Policy policy, String module, String name) {
        Policy.Grants g = policy.grants();
        if (!WASI.equals(module)) {
            String full = module + "." + name;
            return constant(g.functions().contains(full) ? Verdict.allow("functions", full + " is granted")
                    : Verdict.deny("default-deny", full + " is not granted"));
        }
        if (BASIC.contains(name)) {
            return BASIC_CHECK;
        }
        switch (name) {
            case "args_get":
            case "args_sizes_get":
                return grant(g.args(), "args", "reading its arguments");
            case "environ_get":
            case "environ_sizes_get":
                return grant(!g.env().isEmpty(), "env", "reading its environment");
            case "clock_time_get":
            case "clock_res_get":
            case "poll_oneoff":
                return grant(g.clocks(), "clocks", "reading clocks or waiting on them");
            case "random_get":
                return grant(g.random(), "random", "reading random bytes");
            case "fd_read":
            case "fd_pread":
                return stdio(grant(g.stdin(), "stdin", "reading stdin"), null, null);
            case "fd_write":
            case "fd_pwrite":
                return stdio(null, grant(g.stdout(), "stdout", "writing to stdout"),
                        grant(g.stderr(), "stderr", "writing to stderr"));
            case "path_open":
                int filesOpen = policy.limits().filesOpen();
                return (f, m, a) -> {
                    Map<String, Object> described = f.describe(m, a);
                    if (filesOpen > 0 && described.get("openedFiles") instanceof Integer held && held >= filesOpen) {
                        return Verdict.deny("limits.filesOpen", "opening another file would pass the limit of "
                                + filesOpen + " open files (" + held + " open)");
                    }
                    return paths(policy, described, openAccess(a), null);
                };
            case "fd_readdir":
                // listing a directory the guest holds (a preopen included) is reading it
                return (f, m, a) -> {
                    Map<String, Object> described = f.describe(m, a);
                    return described.get("guestPath") == null ? NOT_A_DIRECTORY
                            : paths(policy, described, EnumSet.of(Access.READ), null);
                };
            case "path_filestat_get":
            case "path_readlink":
                return (f, m, a) -> paths(policy, f.describe(m, a), EnumSet.of(Access.READ), null);
            case "path_filestat_set_times":
                return (f, m, a) -> paths(policy, f.describe(m, a), EnumSet.of(Access.WRITE), null);
            case "path_create_directory":
            case "path_symlink":
                return (f, m, a) -> paths(policy, f.describe(m, a), EnumSet.of(Access.CREATE), null);
            case "path_unlink_file":
            case "path_remove_directory":
                return (f, m, a) -> paths(policy, f.describe(m, a), EnumSet.of(Access.DELETE), null);
            case "path_rename":
                return (f, m, a) -> paths(policy, f.describe(m, a), EnumSet.of(Access.DELETE), EnumSet.of(Access.CREATE));
            case "path_link":
                return (f, m, a) -> paths(policy, f.describe(m, a), EnumSet.of(Access.READ), EnumSet.of(Access.CREATE));
            default:
                return constant(Verdict.deny("default-deny", WASI + "." + name + " is not known to the policy engine"));
        }
    }

    private static Check constant(Verdict verdict) {
        return (f, m, a) -> verdict;
    }

    private static Check grant(boolean granted, String rule, String what) {
        return constant(granted ? Verdict.allow(rule, what + " is granted")
                : Verdict.deny(rule, what + " is not granted"));
    }

    /** Descriptors 0-2 are decided by the stdio grants; others were opened through a decided path call. */
    private static Check stdio(Check in, Check out, Check err) {
        Verdict own = Verdict.allow("fd", "the descriptor was opened through a decided call");
        Verdict wrongWay = Verdict.allow("basic", "the call fails on this descriptor by itself (EBADF)");
        return (f, m, a) -> {
            int fd = (int) a[0];
            Check c = fd == 0 ? in : fd == 1 ? out : fd == 2 ? err : null;
            if (c != null) {
                return c.check(f, m, a);
            }
            return fd >= 0 && fd <= 2 ? wrongWay : own;
        };
    }

    private static EnumSet<Access> openAccess(long[] args) {
        EnumSet<Access> access = EnumSet.of(Access.READ);
        int oflags = (int) args[4];
        long rights = args[5];
        int fdflags = (int) args[7];
        if ((oflags & OFLAG_CREAT) != 0) {
            access.add(Access.CREATE);
        }
        if ((oflags & OFLAG_TRUNC) != 0 || (fdflags & FDFLAG_APPEND) != 0
                || (rights & (RIGHT_FD_WRITE | RIGHT_FD_ALLOCATE | RIGHT_FD_FILESTAT_SET_SIZE)) != 0) {
            access.add(Access.WRITE);
        }
        return access;
    }

    /**
     * Decides a path call from the absolute guest paths the WASI layer describes ({@code guestPath}, and
     * {@code newGuestPath} for the second path of rename and link), resolved inside the sandbox as the call will
     * resolve them. A path that cannot be described is denied.
     */
    static Verdict paths(Policy policy, Map<String, Object> described, Set<Access> access, Set<Access> newAccess) {
        Verdict first = described.get("guestPathError") != null ? FAILS_BY_ITSELF
                : path(policy, described.get("guestPath"), access);
        if (!first.allowed() || newAccess == null) {
            return first;
        }
        return described.get("newGuestPathError") != null ? FAILS_BY_ITSELF
                : path(policy, described.get("newGuestPath"), newAccess);
    }

    /** A path call on a descriptor that is not an open directory: the WASI layer refuses it (EBADF, ENOTDIR). */
    private static final Verdict FAILS_BY_ITSELF =
            Verdict.allow("basic", "the directory descriptor is not an open directory, so the call fails by itself");

    private static Verdict path(Policy policy, Object target, Set<Access> access) {
        if (!(target instanceof String path)) {
            return Verdict.deny("default-deny", "the path could not be read from the guest");
        }
        String guestPath = PathGlob.normalize(path);
        EnumSet<Access> missing = EnumSet.copyOf(access);
        String rule = null;
        for (Policy.FsGrant grant : policy.grants().fs()) {
            if (grant.glob().matches(guestPath)) {
                if (missing.removeAll(grant.access()) && rule == null) {
                    rule = grant.id();
                }
                if (missing.isEmpty()) {
                    return Verdict.allow(rule, words(access) + " " + guestPath + " is granted by " + grant.glob());
                }
            }
        }
        return Verdict.deny(rule == null ? "default-deny" : rule, words(missing) + " " + guestPath
                + " is not granted");
    }

    private static String words(Set<Access> access) {
        return access.stream().map(a -> a.name().toLowerCase(java.util.Locale.ROOT)).sorted()
                .reduce((x, y) -> x + "+" + y).orElse("access");
    }
}
