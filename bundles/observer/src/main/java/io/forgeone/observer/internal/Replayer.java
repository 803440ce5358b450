package io.forgeone.observer.internal;

import io.forgeone.api.engine.CompiledModule;
import io.forgeone.api.engine.EngineException;
import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.GuestExitException;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.InstanceLimits;
import io.forgeone.api.engine.TrapException;
import io.forgeone.api.engine.WasmEngine;
import io.forgeone.api.engine.WasmInstance;
import io.forgeone.api.gate.HostCallDeniedException;
import io.forgeone.api.observe.ReplayReport;
import io.forgeone.api.observe.ReplayService;
import io.forgeone.api.observe.TraceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Forensic replay: the traced module runs again on the traced engine with host functions that touch nothing of
 * the host. Each checks that the guest makes the call the trace has next (same function, same arguments), puts
 * back the memory the recorded call wrote, and returns its recorded results (or exits, or traps, as it did).
 */
@Component(service = ReplayService.class, configurationPid = "io.forgeone.observer")
public final class Replayer implements ReplayService {
    private static final String START = "_start";

    private final long timeoutMs;
    private final List<WasmEngine> engines = new CopyOnWriteArrayList<>();

    @Activate
    public Replayer(ObserverConfig config) {
        this.timeoutMs = Math.max(1, config.replay_timeout_s()) * 1000L;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEngine(WasmEngine engine) {
        engines.add(engine);
    }

    void unbindEngine(WasmEngine engine) {
        engines.remove(engine);
    }

    @Override
    public ReplayReport replay(Path trace, Path module) {
        TraceFileReader.Trace t = TraceFileReader.read(trace);
        TraceHeader h = t.header();
        long first = t.calls().isEmpty() ? h.firstSequence() : t.calls().get(0).sequence();
        if (first != 0) {
            throw new TraceException(trace + ": the trace starts at call #" + first + "; the files before it were "
                    + "rotated away (files_kept), and a replay needs the run from its first call");
        }
        if (t.lost() > 0) {
            throw new TraceException(trace + ": the trace misses " + t.lost() + " calls the recorder could not keep"
                    + " (the container was stopped while its trace writer was behind); it cannot be replayed");
        }
        Path modulePath = module != null ? module : Path.of(h.module());
        byte[] wasm = readModule(modulePath, h);
        WasmEngine engine = engine(h.engine());
        CompiledModule compiled;
        try {
            compiled = engine.compile(wasm);
        } catch (EngineException e) {
            throw new TraceException(modulePath + ": engine " + engine.name() + " cannot compile it: " + e.getMessage(),
                    e);
        }
        State state = new State(t);
        List<HostFunction> functions = new java.util.ArrayList<>(h.functions().size());
        for (int i = 0; i < h.functions().size(); i++) {
            functions.add(new ReplayedFunction(i, h.functions().get(i), state));
        }
        String outcome = run(engine, compiled, functions, Math.max(1, h.maxMemoryPages()), modulePath);
        return state.report(outcome);
    }

    private String run(WasmEngine engine, CompiledModule compiled, List<HostFunction> functions, int pages,
            Path modulePath) {
        AtomicReference<String> outcome = new AtomicReference<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread guest = new Thread(null, () -> {
            try (WasmInstance instance = engine.instantiate(compiled, functions, new InstanceLimits(pages))) {
                instance.call(START);
                outcome.set("exit 0");
            } catch (GuestExitException e) {
                outcome.set("exit " + e.exitCode());
            } catch (TrapException e) {
                outcome.set("trapped");
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }, "forge-replay", 4L * 1024 * 1024);
        guest.setDaemon(true);
        guest.start();
        try {
            guest.join(timeoutMs);
            if (guest.isAlive()) {
                guest.interrupt();
                guest.join(2000);
                throw new TraceException("replay of " + modulePath + " did not end within " + timeoutMs / 1000
                        + " s (replay_timeout_s); stopped");
            }
        } catch (InterruptedException e) {
            guest.interrupt();
            Thread.currentThread().interrupt();
            throw new TraceException("replay of " + modulePath + " interrupted", e);
        }
        if (failure.get() != null) {
            RuntimeException e = failure.get();
            if (e instanceof TraceException te) {
                throw te;
            }
            // the engine's own failures (a replay stopped at a divergence is reported as such, not here)
            outcome.set("failed: " + e);
        }
        return outcome.get();
    }

    private static byte[] readModule(Path path, TraceHeader h) {
        byte[] wasm;
        try {
            wasm = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new TraceException(path + ": no such module file (the trace's module; give the module to replay"
                    + " explicitly if it moved)", e);
        } catch (IOException e) {
            throw new TraceException("cannot read module " + path + ": " + e.getMessage(), e);
        }
        String sha = sha256(wasm);
        if (!sha.equals(h.moduleSha256())) {
            throw new TraceException(path + " has SHA-256 " + sha + ", but the trace was recorded running "
                    + h.moduleSha256() + ": not the same module");
        }
        return wasm;
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private WasmEngine engine(String name) {
        for (WasmEngine e : engines) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new TraceException("the trace was recorded on engine '" + name + "', which is not installed (installed: "
                + (engines.isEmpty() ? "none" : engines.stream().map(WasmEngine::name).collect(Collectors.joining(", ")))
                + ")");
    }

    /** Where the replay is in the trace, and the first divergence. Used on the replay's guest thread. */
    static final class State {
        private final TraceFileReader.Trace trace;
        private int cursor;
        private ReplayReport.Divergence divergence;
        /** The trace ran out where the original run was stopped from outside (or the trace was cut short). */
        private boolean stoppedAtEnd;

        State(TraceFileReader.Trace trace) {
            this.trace = trace;
        }

        RawCall next(int function, long[] args) {
            if (divergence != null || stoppedAtEnd) {
                throw new ReplayStopped();
            }
            List<RawCall> calls = trace.calls();
            if (cursor >= calls.size()) {
                if (endedByItself()) {
                    divergence = new ReplayReport.Divergence(cursor, "the end of the run (" + recordedEnd() + ")",
                            describe(function, args));
                } else {
                    stoppedAtEnd = true;
                }
                throw new ReplayStopped();
            }
            RawCall c = calls.get(cursor);
            if (c.function() != function || !Arrays.equals(c.args(), args)) {
                divergence = new ReplayReport.Divergence(c.sequence(), describe(c.function(), c.args()),
                        describe(function, args));
                throw new ReplayStopped();
            }
            if (c.accessesDropped() && c.bytesWritten() > 0) {
                throw new TraceException("call #" + c.sequence() + " (" + describe(function, args) + ") wrote "
                        + c.bytesWritten() + " bytes that the trace does not keep (more than half of ring_bytes);"
                        + " it cannot be replayed");
            }
            cursor++;
            return c;
        }

        /** The run ended by itself (exited or trapped), so its end is part of what must replay. */
        private boolean endedByItself() {
            TraceFileReader.End end = trace.end();
            return end != null && (end.outcome().startsWith("EXITED") || end.outcome().startsWith("TRAPPED"));
        }

        private String recordedEnd() {
            TraceFileReader.End end = trace.end();
            return end.outcome().startsWith("TRAPPED") ? "trapped" : "exit " + end.exitCode();
        }

        String describe(int function, long[] args) {
            TraceHeader.Function f = trace.header().functions().get(function);
            return f.name() + Arrays.stream(args).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
        }

        ReplayReport report(String outcome) {
            long recorded = trace.calls().size();
            if (divergence == null && !stoppedAtEnd) {
                if (cursor < recorded) {
                    RawCall c = trace.calls().get(cursor);
                    divergence = new ReplayReport.Divergence(c.sequence(), describe(c.function(), c.args()),
                            "the end of the run (" + outcome + ")");
                } else if (endedByItself() && !recordedEnd().equals(outcome)) {
                    divergence = new ReplayReport.Divergence(recorded, "the end of the run (" + recordedEnd() + ")",
                            "the end of the run (" + outcome + ")");
                }
            }
            return new ReplayReport(divergence == null, cursor, recorded, divergence);
        }
    }

    /** Thrown into the guest to stop a replay that has diverged or run out of trace. */
    static final class ReplayStopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReplayStopped() {
            super("replay stopped", null, false, false);
        }
    }

    /** A host function answered from the trace. */
    static final class ReplayedFunction implements HostFunction {
        private final int index;
        private final TraceHeader.Function function;
        private final State state;

        ReplayedFunction(int index, TraceHeader.Function function, State state) {
            this.index = index;
            this.function = function;
            this.state = state;
        }

        @Override
        public String module() {
            return function.module();
        }

        @Override
        public String name() {
            return function.name();
        }

        @Override
        public FunctionSignature signature() {
            return function.signature();
        }

        @Override
        public long[] call(GuestMemory memory, long[] args) {
            RawCall c = state.next(index, args);
            for (RawCall.Access a : c.accesses()) {
                if (a.write()) {
                    memory.write(a.address(), a.bytes());
                }
            }
            switch (c.failureKind()) {
                case RawCall.EXIT:
                    throw new GuestExitException(c.exitCode());
                case RawCall.DENIED:
                    throw new HostCallDeniedException(c.failure());
                case RawCall.TRAP:
                    throw new IllegalStateException("replayed failure of call #" + c.sequence() + ": " + c.failure());
                default:
                    return c.results() == null ? new long[0] : c.results().clone();
            }
        }
    }
}
