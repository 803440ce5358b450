package io.forgeone.cli.internal;

import io.forgeone.api.container.ContainerException;
import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerLimits;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerSpecException;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.container.RunArguments;
import io.forgeone.api.container.StopReason;
import io.forgeone.api.observe.TraceService;
import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.wasi.Preopen;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code forge run}: one container from creation to deletion, in the foreground, with the process's own streams.
 * Problems with the input are found here first when they can be (file, directories, engine), so the message is
 * immediate; the runtime's {@link ContainerSpecException} covers the rest and its message is passed on as is.
 */
final class RunCommand {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
    /** How long one await call may block: the loop around it looks for a quarantine between calls. */
    private static final Duration AWAIT_SLICE = Duration.ofMillis(250);

    private final ContainerRuntime runtime;
    private final Terminal terminal;
    private final Supplier<List<String>> engineNames;
    private final UnaryOperator<String> hostEnv;
    /** The observer's trace service, for --trace (throws OptionalServices.Unavailable without the observer). */
    private final Supplier<TraceService> traces;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    RunCommand(ContainerRuntime runtime, Terminal terminal, Supplier<List<String>> engineNames,
            UnaryOperator<String> hostEnv) {
        this(runtime, terminal, engineNames, hostEnv, () -> {
            throw new OptionalServices.Unavailable("no TraceService service: the observer bundle is not installed");
        });
    }

    RunCommand(ContainerRuntime runtime, Terminal terminal, Supplier<List<String>> engineNames,
            UnaryOperator<String> hostEnv, Supplier<TraceService> traces) {
        this.traces = Objects.requireNonNull(traces, "traces");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.terminal = Objects.requireNonNull(terminal, "terminal");
        this.engineNames = Objects.requireNonNull(engineNames, "engineNames");
        this.hostEnv = Objects.requireNonNull(hostEnv, "hostEnv");
    }

    /** Runs the arguments after {@code run}; returns the process exit code. */
    int execute(List<String> args) {
        RunArguments parsed;
        try {
            parsed = RunArguments.parse(args, ContainerLimits.DEFAULT, hostEnv);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        if (parsed.help()) {
            terminal.print(HelpText.run(engineNames.get()));
            return 0;
        }
        if (parsed.detach()) {
            return usage("--detach needs a node that outlives this command: start one with 'forge' and use"
                    + " 'forge:run -d' in its shell");
        }
        ContainerSpec spec = parsed.spec();
        String problem = checkInputs(spec, engineNames.get());
        if (problem != null) {
            return fail(problem);
        }
        return runToEnd(spec, parsed.trace());
    }

    /** One clear reason the spec cannot run, or {@code null}; the runtime checks the rest (format, _start). */
    static String checkInputs(ContainerSpec spec, List<String> installedEngines) {
        Path module = spec.module();
        if (!Files.exists(module)) {
            return module + ": no such file";
        }
        if (Files.isDirectory(module)) {
            return module + ": is a directory, not a WebAssembly module";
        }
        if (!Files.isReadable(module)) {
            return module + ": permission denied";
        }
        for (Preopen dir : spec.preopens()) {
            Path host = dir.hostPath();
            if (!Files.exists(host)) {
                return "--dir " + host + ": no such directory";
            }
            if (!Files.isDirectory(host)) {
                return "--dir " + host + ": not a directory";
            }
        }
        String engine = spec.engine();
        // with no engine registered yet the runtime gives the answer; otherwise name what there is
        if (engine != null && !"auto".equals(engine) && !installedEngines.isEmpty()
                && !installedEngines.contains(engine)) {
            return "engine '" + engine + "' is not installed (installed: " + String.join(", ", installedEngines) + ")";
        }
        return null;
    }

    private int runToEnd(ContainerSpec spec, boolean trace) {
        ContainerInfo created;
        try {
            created = runtime.create(spec, new ContainerIO(terminal.stdin(), terminal.stdoutSink(),
                    terminal.stderrSink()));
        } catch (ContainerException | PackageException e) {
            LOG.debug("Cannot create a container for {}", spec.module(), e);
            return refused(e);
        }
        String id = created.id();
        running.add(id);
        Path traceFolder = null;
        try {
            if (trace) {
                try {
                    traceFolder = traces.get().traceToFiles(id);
                } catch (OptionalServices.Unavailable e) {
                    return fail("--trace needs the observer bundle (io.forgeone.observer), which is not running: "
                            + e.getMessage());
                }
            }
            runtime.start(id);
            ContainerInfo done = awaitStopped(id);
            if (closing && done.stopReason() != StopReason.EXITED) {
                // the node is going away under us (Ctrl-C, SIGTERM): the shell already knows why
                return Outcome.INTERRUPTED;
            }
            Outcome outcome = Outcome.of(done, fileName(spec.module()), spec.limits().wallTimeout());
            if (outcome.message() != null) {
                terminal.error(outcome.message());
            }
            if (traceFolder != null) {
                terminal.error(Outcome.PREFIX + "trace of the run in " + traceFolder + " (forge trace " + traceFolder
                        + "; forge replay " + traceFolder + ")");
            }
            return outcome.exitCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killQuietly(id);
            return Outcome.INTERRUPTED;
        } catch (ContainerException e) {
            if (closing) {
                LOG.debug("Container {} went away while the node stopped", id, e);
                return Outcome.INTERRUPTED;
            }
            LOG.debug("Container {} failed to run", id, e);
            return refused(e);
        } finally {
            running.remove(id);
            deleteQuietly(id);
        }
    }

    private ContainerInfo awaitStopped(String id) throws InterruptedException {
        ContainerInfo info = runtime.await(id, AWAIT_SLICE);
        while (info.state() != ContainerState.STOPPED && info.state() != ContainerState.DELETED) {
            if (info.state() == ContainerState.QUARANTINED) {
                // A one-shot run has no operator to inspect and release it: say why, and kill it.
                terminal.error(Outcome.PREFIX + "container " + info.name() + " quarantined: " + info.suspendReason());
                terminal.error(Outcome.PREFIX + "killed: a one-shot run keeps no quarantined container (run it on a"
                        + " node to inspect it with forge:quarantine); the decision log has every denied call");
                killQuietly(id);
            }
            info = runtime.await(id, AWAIT_SLICE);
        }
        return info;
    }

    /** The node is stopping: kill what this command started so that its thread returns. */
    void close() {
        closing = true;
        for (String id : running) {
            killQuietly(id);
        }
    }

    private void killQuietly(String id) {
        try {
            runtime.kill(id);
        } catch (ContainerException e) {
            // it stopped (or went away with the runtime) on its own meanwhile: nothing left to kill
            LOG.debug("Kill of container {} not needed: {}", id, e.getMessage());
        }
    }

    private void deleteQuietly(String id) {
        try {
            runtime.delete(id);
        } catch (ContainerException e) {
            // the runtime is stopping and drops its containers itself; the exit code is already decided
            LOG.debug("Delete of container {} not needed: {}", id, e.getMessage());
        }
    }

    /**
     * A container that could not be made or started: a package the node refused (the runtime wraps the package
     * layer's exception) exits with its reason's own code, anything else with {@link Outcome#FAILED}.
     */
    private int refused(RuntimeException e) {
        PackageException rejected = Outcome.packageCause(e);
        if (rejected == null) {
            return fail(e.getMessage());
        }
        Outcome outcome = Outcome.of(rejected);
        terminal.error(outcome.message());
        return outcome.exitCode();
    }

    private int usage(String problem) {
        terminal.error(Outcome.PREFIX + problem + " (" + HelpText.RUN_HINT + ")");
        return Outcome.USAGE;
    }

    private int fail(String problem) {
        terminal.error(Outcome.PREFIX + problem);
        return Outcome.FAILED;
    }

    private static String fileName(Path module) {
        Path name = module.getFileName();
        return name == null ? module.toString() : name.toString();
    }
}
