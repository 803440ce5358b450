package io.forgeone.shell.internal;

import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.gate.GateContext;
import io.forgeone.api.policy.Explanation;
import io.forgeone.api.policy.PolicyInfo;
import io.forgeone.api.policy.PolicyProblem;
import io.forgeone.api.policy.PolicyService;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Gogo commands for policies: {@code forge:policy list|show|check|explain}. Present when a policy gate is. */
@Component(service = PolicyCommands.class, property = {
    "osgi.command.scope=forge",
    "osgi.command.function=policy"
})
public final class PolicyCommands {
    private final PolicyService policies;
    private final ContainerRuntime runtime;

    @Activate
    public PolicyCommands(@Reference PolicyService policies, @Reference ContainerRuntime runtime) {
        this.policies = policies;
        this.runtime = runtime;
    }

    @Descriptor("Policies: 'policy list', 'policy show NAME', 'policy check FILE', "
            + "'policy explain CONTAINER CALL [key=value...]' (CALL as module.name or a WASI function name)")
    public String policy(@Descriptor("list | show | check | explain, then its arguments") String... args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("forge:policy needs a subcommand: list, show, check or explain");
        }
        switch (args[0]) {
            case "list":
                return list();
            case "show":
                need(args, 2, "policy show NAME");
                return show(args[1]);
            case "check":
                need(args, 2, "policy check FILE");
                return check(Path.of(args[1]));
            case "explain":
                need(args, 3, "policy explain CONTAINER CALL [key=value...]");
                return explain(args);
            default:
                throw new IllegalArgumentException("unknown subcommand '" + args[0]
                        + "' (expected list, show, check or explain)");
        }
    }

    private String list() {
        StringBuilder out = new StringBuilder(String.format("%-20s  %-10s  %-40s  %s%n", "NAME", "MODE", "APPLIES TO",
                "FILE"));
        for (PolicyInfo p : policies.list()) {
            out.append(String.format("%-20s  %-10s  %-40s  %s%n", p.name(), p.mode().name().toLowerCase(Locale.ROOT),
                    p.selector(), p.file()));
        }
        for (PolicyProblem problem : policies.problems()) {
            out.append("not in force: ").append(problem).append('\n');
        }
        return out.toString();
    }

    private String show(String name) {
        PolicyInfo p = policies.get(name).orElseThrow(() -> new IllegalArgumentException("no policy named '" + name
                + "' (see forge:policy list)"));
        StringBuilder out = new StringBuilder();
        out.append("name:       ").append(p.name()).append('\n');
        out.append("file:       ").append(p.file()).append('\n');
        out.append("mode:       ").append(p.mode().name().toLowerCase(Locale.ROOT)).append('\n');
        out.append("applies to: ").append(p.selector()).append('\n');
        out.append("rules:\n");
        for (String rule : p.rules()) {
            out.append("  ").append(rule).append('\n');
        }
        return out.toString();
    }

    private String check(Path file) {
        List<PolicyProblem> problems = policies.check(file);
        if (problems.isEmpty()) {
            return file + ": valid\n";
        }
        StringBuilder out = new StringBuilder();
        problems.forEach(p -> out.append(p).append('\n'));
        throw new IllegalArgumentException(out.toString().trim());
    }

    private String explain(String[] args) {
        ContainerInfo c = runtime.state(args[1]);
        String call = args[2].contains(".") ? args[2] : "wasi_snapshot_preview1." + args[2];
        Map<String, Object> decoded = new LinkedHashMap<>();
        for (int i = 3; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("argument '" + args[i] + "' must be key=value, e.g. path=/data/x");
            }
            decoded.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Explanation e = policies.explain(new GateContext(c.id(), c.name(), c.moduleSha256(), Map.of()), call, decoded);
        return e.decision().name().toLowerCase(Locale.ROOT) + " by policy " + e.policy() + ", rule " + e.rule() + " ("
                + e.mode().name().toLowerCase(Locale.ROOT) + "): " + e.reason() + "\n";
    }

    private static void need(String[] args, int count, String usage) {
        if (args.length < count) {
            throw new IllegalArgumentException("usage: forge:" + usage);
        }
    }
}
