package io.forgeone.shell.internal;

import io.forgeone.api.observe.TraceService;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerLimits;
import io.forgeone.api.container.ContainerLogs;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.container.RunArguments;
import io.forgeone.api.container.StopReason;
import io.forgeone.api.wasi.OutputSink;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands in scope {@code forge}. They return text for people and throw IllegalArgumentException (with
 * the reason) on bad input; the runtime's own exceptions name the container and why.
 */
@Component(service = ForgeCommands.class, property = {
    "osgi.command.scope=forge",
    "osgi.command.function=run",
    "osgi.command.function=ps",
    "osgi.command.function=logs",
    "osgi.command.function=stop",
    "osgi.command.function=rm",
    "osgi.command.function=inspect",
    "osgi.command.function=engines",
    "osgi.command.function=providers",
    "osgi.command.function=pause",
    "osgi.command.function=unpause",
    "osgi.command.function=quarantine"
})
public final class ForgeCommands {
    private final ContainerRuntime runtime;

    /** The observer's traces, for forge:run --trace; null without the observer bundle. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile TraceService traces;

    @Activate
    public ForgeCommands(@Reference ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    @Descriptor("Run a WASI command module and wait for it (or return at once with -d). Options, before the module:\n"
            + RunArguments.OPTIONS)
    public String run(CommandSession session,
            @Descriptor("[options] FILE.wasm [ARGS...]") String... args) throws InterruptedException {
        RunArguments parsed = RunArguments.parse(Arrays.asList(args), ContainerLimits.DEFAULT, System::getenv);
        if (parsed.help()) {
            return "usage: forge:run [options] FILE.wasm [ARGS...]\n" + RunArguments.OPTIONS + "\n";
        }
        PrintStream console = session == null ? null : session.getConsole();
        ContainerIO io = parsed.detach() || console == null ? ContainerIO.DETACHED
                : new ContainerIO(null, sink(console), sink(console));
        TraceService traceService = traces;
        if (parsed.trace() && traceService == null) {
            throw new IllegalStateException("--trace needs the observer bundle (io.forgeone.observer), which is not"
                    + " running");
        }
        ContainerInfo created = runtime.create(parsed.spec(), io);
        String traced = "";
        if (parsed.trace()) {
            traced = "\ntrace of the run in " + traceService.traceToFiles(created.id());
        }
        runtime.start(created.id());
        if (parsed.detach()) {
            return created.id() + traced;
        }
        ContainerInfo done = runtime.await(created.id(), Duration.ofDays(365));
        return outcome(done) + traced;
    }

    static String outcome(ContainerInfo c) {
        if (c.state() != ContainerState.STOPPED) {
            return c.name() + " is still " + c.state().name().toLowerCase(Locale.ROOT);
        }
        String what = c.stopReason() == StopReason.EXITED ? "exited with code " + c.exitCode()
                : c.stopReason().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " (exit " + c.exitCode() + ")";
        return c.name() + " " + what + (c.message().isEmpty() ? "" : ": " + c.message());
    }

    private static OutputSink sink(PrintStream console) {
        return (bytes, offset, length) -> {
            console.write(bytes, offset, length);
            console.flush();
        };
    }

    @Descriptor("List containers (running ones; -a for all)")
    public String ps(@Parameter(names = {"-a", "--all"}, presentValue = "true", absentValue = "false")
            @Descriptor("show stopped and created containers too") boolean all) {
        List<ContainerInfo> shown = new ArrayList<>();
        for (ContainerInfo c : runtime.list()) {
            if (all || active(c.state())) {
                shown.add(c);
            }
        }
        return ContainerFormat.table(shown, Instant.now());
    }

    @Descriptor("Show the kept output of a container (stdout, then stderr)")
    public String logs(@Descriptor("container id, id prefix or name") String container) {
        ContainerLogs logs = runtime.logs(container);
        StringBuilder out = new StringBuilder();
        if (logs.droppedStdoutBytes() > 0) {
            out.append("[").append(logs.droppedStdoutBytes()).append(" older bytes of stdout dropped]\n");
        }
        out.append(logs.stdout());
        if (logs.droppedStderrBytes() > 0) {
            out.append("[").append(logs.droppedStderrBytes()).append(" older bytes of stderr dropped]\n");
        }
        out.append(logs.stderr());
        return out.toString();
    }

    @Descriptor("Stop running containers (they are killed; state becomes stopped)")
    public String stop(@Descriptor("container ids, id prefixes or names") String... containers) {
        requireSome(containers, "stop");
        StringBuilder out = new StringBuilder();
        for (String c : containers) {
            ContainerInfo info = runtime.kill(c);
            out.append(info.name()).append(": ").append(ContainerFormat.status(info, Instant.now())).append('\n');
        }
        return out.toString();
    }

    @Descriptor("Remove stopped or created containers (-f kills running ones first)")
    public String rm(@Parameter(names = {"-f", "--force"}, presentValue = "true", absentValue = "false")
            @Descriptor("kill the container first if it is running") boolean force,
            @Descriptor("container ids, id prefixes or names") String... containers) {
        requireSome(containers, "rm");
        StringBuilder out = new StringBuilder();
        for (String c : containers) {
            if (force && active(runtime.state(c).state())) {
                runtime.kill(c);
            }
            out.append(runtime.delete(c).name()).append('\n');
        }
        return out.toString();
    }

    static boolean active(ContainerState state) {
        return state == ContainerState.RUNNING || state == ContainerState.PAUSED || state == ContainerState.QUARANTINED;
    }

    @Descriptor("Pause running containers at their next host call (their wall-clock limit stops meanwhile)")
    public String pause(@Descriptor("container ids, id prefixes or names") String... containers) {
        requireSome(containers, "pause");
        StringBuilder out = new StringBuilder();
        for (String c : containers) {
            ContainerInfo info = runtime.pause(c);
            out.append(info.name()).append(": ").append(info.state() == ContainerState.PAUSED ? "paused"
                    : "pause requested; it takes effect at the guest's next host call").append('\n');
        }
        return out.toString();
    }

    @Descriptor("Resume paused containers")
    public String unpause(@Descriptor("container ids, id prefixes or names") String... containers) {
        requireSome(containers, "unpause");
        StringBuilder out = new StringBuilder();
        for (String c : containers) {
            out.append(runtime.resume(c).name()).append(": resumed\n");
        }
        return out.toString();
    }

    @Descriptor("Quarantined containers: list | inspect ID | release ID | kill ID | add ID [REASON...]")
    public String quarantine(@Descriptor("list, inspect, release, kill or add, then a container") String... args) {
        return QuarantineCommand.run(runtime, args == null ? new String[0] : args, Instant.now());
    }

    @Descriptor("Show everything known about a container")
    public String inspect(@Descriptor("container id, id prefix or name") String container) {
        return ContainerFormat.page(runtime.state(container));
    }

    @Descriptor("List the installed WebAssembly engines: bundle id and version, and the containers running on each")
    public String engines() {
        return Tables.engines(runtime.engines());
    }

    @Descriptor("List the installed capability providers (forge:kv, forge:http, ...): bundle id and version, each"
            + " function with the policy grant it needs, and the containers using each")
    public String providers() {
        return Tables.providers(runtime.providers());
    }

    private static void requireSome(String[] containers, String command) {
        if (containers == null || containers.length == 0) {
            throw new IllegalArgumentException("forge:" + command + " needs at least one container id or name");
        }
    }
}
