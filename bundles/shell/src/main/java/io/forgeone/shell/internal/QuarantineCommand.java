package io.forgeone.shell.internal;

import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerState;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * {@code forge:quarantine}: the containers the gate (or an operator) has quarantined, kept suspended with their
 * memory until someone looks at them and releases or kills them.
 */
final class QuarantineCommand {
    static final String USAGE = String.join("\n",
            "usage: forge:quarantine list                 quarantined containers, with why",
            "       forge:quarantine inspect CONTAINER    everything known about one (the decision log has its calls)",
            "       forge:quarantine release CONTAINER    restore its trust score and let it run on (the call it was",
            "                                             held at is denied)",
            "       forge:quarantine kill CONTAINER       stop it (exit 137)",
            "       forge:quarantine add CONTAINER [WHY]  quarantine a running or paused container by hand", "");

    private QuarantineCommand() {
    }

    static String run(ContainerRuntime runtime, String[] args, Instant now) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            return USAGE;
        }
        String verb = args[0];
        if (verb.equals("list")) {
            if (args.length > 1) {
                throw new IllegalArgumentException("forge:quarantine list takes no arguments\n" + USAGE);
            }
            return list(runtime.list(), now);
        }
        if (args.length < 2) {
            throw new IllegalArgumentException("forge:quarantine " + verb + " needs a container id or name\n" + USAGE);
        }
        String container = args[1];
        switch (verb) {
            case "inspect":
                requireQuarantined(runtime.state(container));
                return ContainerFormat.page(runtime.state(container));
            case "release":
                requireQuarantined(runtime.state(container));
                ContainerInfo released = runtime.release(container);
                return released.name() + ": released (trust score " + released.trustScore() + ")\n";
            case "kill":
                requireQuarantined(runtime.state(container));
                ContainerInfo killed = runtime.kill(container);
                return killed.name() + ": " + ContainerFormat.status(killed, now) + "\n";
            case "add":
                String why = args.length > 2 ? String.join(" ", Arrays.asList(args).subList(2, args.length))
                        : "quarantined by an operator";
                ContainerInfo q = runtime.quarantine(container, why);
                return q.name() + ": " + (q.state() == ContainerState.QUARANTINED ? "quarantined"
                        : "quarantine requested; it takes effect at the guest's next host call") + "\n";
            default:
                throw new IllegalArgumentException("forge:quarantine: unknown subcommand '" + verb + "'\n" + USAGE);
        }
    }

    private static void requireQuarantined(ContainerInfo c) {
        if (c.state() != ContainerState.QUARANTINED) {
            throw new IllegalArgumentException("container " + c.name() + " is not quarantined (it is "
                    + c.state().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
    }

    static String list(List<ContainerInfo> all, Instant now) {
        StringBuilder out = new StringBuilder(String.format("%-16s  %-24s  %-6s  %-10s  %s%n", "ID", "NAME", "TRUST",
                "SINCE", "WHY"));
        for (ContainerInfo c : all) {
            if (c.state() == ContainerState.QUARANTINED) {
                out.append(String.format("%-16s  %-24s  %-6s  %-10s  %s%n", c.id(), c.name(),
                        c.trustScore() < 0 ? "-" : String.valueOf(c.trustScore()),
                        ContainerFormat.ago(c.suspendedAt(), now) + " ago", c.suspendReason()));
            }
        }
        return out.toString();
    }
}
