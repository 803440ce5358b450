package io.forgeone.trust.internal;

import io.forgeone.api.policy.PolicyInfo;
import io.forgeone.api.policy.PolicyMode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** One validated policy document. Immutable. */
record Policy(String name, String file, PolicyMode mode, int priority, Selector selector, Grants grants,
        boolean logAllows, Set<String> quarantineOn) {

    Policy {
        quarantineOn = Set.copyOf(quarantineOn);
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
        rules.add("default-deny: everything else");
        return new PolicyInfo(name, file, mode, selector.toString(), rules);
    }
}
