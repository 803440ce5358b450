package io.forgeone.trust.internal;

import io.forgeone.api.policy.PolicyInfo;
import io.forgeone.api.policy.PolicyMode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** One validated policy document. Immutable. */
record Policy(String name, String file, PolicyMode mode, int priority, Selector selector, Grants grants,
        boolean logAllows, Set<String> quarantineOn, Limits limits, Trust trust) {

    Policy {
        quarantineOn = Set.copyOf(quarantineOn);
    }

    Policy(String name, String file, PolicyMode mode, int priority, Selector selector, Grants grants,
            boolean logAllows, Set<String> quarantineOn) {
        this(name, file, mode, priority, selector, grants, logAllows, quarantineOn, Limits.NONE, Trust.DEFAULT);
    }

    /**
     * Limits; zero (or {@link java.time.Duration#ZERO}) means none.
     *
     * @param memoryPages the most 64 KiB pages of linear memory
     * @param wallTime how long the entry point may run (suspensions do not count)
     * @param cpuTime how much CPU time the guest's thread may use
     * @param callsPerSecond host calls per second; faster callers are slowed down to it (bursts of one second's
     *     worth pass at once)
     * @param bytesWritten bytes the guest may write in all (fd_write and fd_pwrite, to any descriptor)
     * @param filesOpen descriptors the guest may hold beyond stdio and its preopens
     */
    record Limits(int memoryPages, java.time.Duration wallTime, java.time.Duration cpuTime, int callsPerSecond,
            long bytesWritten, int filesOpen) {
        static final Limits NONE = new Limits(0, java.time.Duration.ZERO, java.time.Duration.ZERO, 0, 0, 0);

        List<String> describe() {
            List<String> out = new ArrayList<>();
            if (memoryPages > 0) {
                out.add("limits.memoryPages: " + memoryPages + " (" + memoryPages * 64L + " KiB)");
            }
            if (!wallTime.isZero()) {
                out.add("limits.wallTime: " + wallTime.toMillis() + " ms");
            }
            if (!cpuTime.isZero()) {
                out.add("limits.cpuTime: " + cpuTime.toMillis() + " ms");
            }
            if (callsPerSecond > 0) {
                out.add("limits.callsPerSecond: " + callsPerSecond + " (faster callers are slowed down)");
            }
            if (bytesWritten > 0) {
                out.add("limits.bytesWritten: " + bytesWritten + " bytes");
            }
            if (filesOpen > 0) {
                out.add("limits.filesOpen: " + filesOpen);
            }
            return out;
        }
    }

    /**
     * The trust score: a container starts at 100; every enforced denial costs {@code penalty} points, and below
     * {@code threshold} it is quarantined.
     */
    record Trust(int penalty, int threshold) {
        static final int FULL = 100;
        static final Trust DEFAULT = new Trust(1, 1);
    }

    /** A filesystem grant: guest paths matching {@code glob} may be accessed as {@code access} says. */
    record FsGrant(String id, PathGlob glob, Set<Access> access) {
        FsGrant {
            access = Set.copyOf(EnumSet.copyOf(access));
        }
    }

    /** An outbound network grant (enforced once network capabilities exist; validated now). */
    record NetGrant(String id, String host, String cidr, List<Integer> ports) {
        NetGrant {
            ports = List.copyOf(ports);
        }
    }

    /**
     * What is granted; everything else is denied.
     *
     * @param env environment variable names the guest may read; {@code ["*"]} for all it was given
     */
    record Grants(boolean args, List<String> env, boolean clocks, boolean random, boolean stdin, boolean stdout,
            boolean stderr, List<FsGrant> fs, List<NetGrant> net, Set<String> functions) {
        Grants {
            env = List.copyOf(env);
            fs = List.copyOf(fs);
            net = List.copyOf(net);
            functions = Set.copyOf(functions);
        }
    }

    PolicyInfo info() {
        List<String> rules = new ArrayList<>();
        rules.add("args: " + (grants.args() ? "granted" : "denied"));
        rules.add("env: " + (grants.env().isEmpty() ? "denied" : String.join(", ", grants.env())));
        rules.add("clocks: " + (grants.clocks() ? "granted" : "denied"));
        rules.add("random: " + (grants.random() ? "granted" : "denied"));
        rules.add("stdin: " + (grants.stdin() ? "granted" : "denied"));
        rules.add("stdout: " + (grants.stdout() ? "granted" : "denied"));
        rules.add("stderr: " + (grants.stderr() ? "granted" : "denied"));
        for (FsGrant fs : grants.fs()) {
            rules.add(fs.id() + ": " + fs.glob() + " " + fs.access().stream().map(a -> a.name().toLowerCase())
                    .sorted().toList());
        }
        for (NetGrant net : grants.net()) {
            rules.add(net.id() + ": " + (net.host() != null ? net.host() : net.cidr()) + " ports " + net.ports());
        }
        for (String f : grants.functions().stream().sorted().toList()) {
            rules.add("functions: " + f);
        }
        rules.addAll(limits.describe());
        rules.add("trust: starts at " + Trust.FULL + ", -" + trust.penalty() + " per denial, quarantined below "
                + trust.threshold());
        if (!quarantineOn.isEmpty()) {
            rules.add("quarantine at once on: " + quarantineOn.stream().sorted().collect(java.util.stream.Collectors
                    .joining(", ")));
        }
        rules.add("default-deny: everything else");
        return new PolicyInfo(name, file, mode, selector.toString(), rules);
    }
}
