package io.forgeone.benchmarks.hostcall;

import io.forgeone.api.engine.CompiledModule;
import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.InstanceLimits;
import io.forgeone.api.engine.ValueType;
import io.forgeone.api.engine.WasmEngine;
import io.forgeone.api.engine.WasmInstance;
import io.forgeone.api.gate.HostCallGate;
import io.forgeone.api.observe.RecordingContext;
import io.forgeone.benchmarks.Fixtures;
import io.forgeone.benchmarks.gate.PolicyGates;
import io.forgeone.benchmarks.gate.TraceRingGate;
import io.forgeone.kernel.internal.KernelAccess;
import io.forgeone.kernel.internal.PermissiveGate;
import io.forgeone.observer.internal.Observer;
import io.forgeone.observer.internal.ObserverConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.osgi.util.converter.Converters;

/**
 * The cost of one host call, at the engine: the guest ({@code hostcall.wasm}) calls an imported function that
 * returns a constant, {@value #CALLS} times in a loop, so the score is nanoseconds per call. The same import six
 * ways: raw (handed straight to the engine), and wrapped by the kernel's gate wrapper with the kernel's permissive
 * gate, with the trust bundle's policy gate allowing it, allowing and logging it (decision log), denying it
 * (logged; the guest gets the errno), with a model of an allocation-free trace recorder, and with the permissive
 * gate plus the observer bundle's real recorder as a node runs it by default (its ring, and the run's history for
 * snapshots, fed through the kernel's call tap): that one minus {@code permissiveGate} is what recording costs per
 * call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class HostCallBenchmark {

    static final int CALLS = 100_000;
    static final int CONSTANT = 42;
    static final int DENIED_ERRNO = 76;

    @Param({Fixtures.COMPILED, Fixtures.INTERPRETED})
    public String mode;

    private Path dir;
    private final List<HostCallGate> policyGates = new ArrayList<>();
    private WasmInstance raw;
    private WasmInstance permissiveGate;
    private WasmInstance policyAllow;
    private WasmInstance policyLog;
    private WasmInstance policyDeny;
    private WasmInstance traceRing;
    private WasmInstance observed;
    private Observer observer;

    /** Returns 42 without allocating; ENOTCAPABLE (76) when the gate denies it. */
    static final class Constant implements HostFunction {
        private static final FunctionSignature SIGNATURE = FunctionSignature.of(List.of(), List.of(ValueType.I32));
        private static final long[] RESULT = {CONSTANT};

        @Override
        public String module() {
            return "bench";
        }

        @Override
        public String name() {
            return "constant";
        }

        @Override
        public FunctionSignature signature() {
            return SIGNATURE;
        }

        @Override
        public long[] call(GuestMemory memory, long[] args) {
            return RESULT;
        }

        @Override
        public OptionalInt deniedErrno() {
            return OptionalInt.of(DENIED_ERRNO);
        }
    }

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("forge-bench-hostcall");
        WasmEngine engine = Fixtures.engine(mode);
        CompiledModule module = engine.compile(Fixtures.wasm("hostcall.wasm"));
        List<HostFunction> functions = List.of(new Constant());
        raw = engine.instantiate(module, functions, new InstanceLimits(1));
        permissiveGate = instantiate(engine, module, functions, new PermissiveGate());
        policyAllow = instantiate(engine, module, functions, policyGate(PolicyGates.ALLOW, "allow"));
        policyLog = instantiate(engine, module, functions, policyGate(PolicyGates.ALLOW_AND_LOG, "log"));
        policyDeny = instantiate(engine, module, functions, policyGate(PolicyGates.DENY, "deny"));
        traceRing = instantiate(engine, module, functions, new TraceRingGate());
        // the node's default configuration, which keeps every run's history for snapshots; the history file is a
        // link to /dev/null, so that billions of calls do not fill the disk (or stop the history at its limit
        // within a second): the encoding and the 64 KiB writes are measured, the page cache's copy is not
        Path history = Files.createDirectories(dir.resolve("history"));
        observer = Fixtures.activate(Observer.class, Converters.standardConverter()
                .convert(Map.of("history.dir", history.toString(), "history.max.mib", Integer.MAX_VALUE))
                .to(ObserverConfig.class));
        // the observer keeps each process's histories in a folder named by its pid
        Path mine = Files.createDirectories(history.resolve(Long.toString(ProcessHandle.current().pid())));
        Files.createSymbolicLink(mine.resolve("hostcall.history"), Path.of("/dev/null"));
        HostCallGate permissive = new PermissiveGate();
        observed = engine.instantiate(module, KernelAccess.gated(functions,
                permissive.open(Fixtures.gateContext("hostcall"), functions),
                observer.open(new RecordingContext(Fixtures.gateContext("hostcall"), "hostcall.wasm", engine.name(), 1),
                        functions)), new InstanceLimits(1));
        check(raw, CONSTANT);
        check(permissiveGate, CONSTANT);
        check(policyAllow, CONSTANT);
        check(policyLog, CONSTANT);
        check(policyDeny, DENIED_ERRNO);
        check(traceRing, CONSTANT);
        check(observed, CONSTANT);
    }

    private HostCallGate policyGate(String policy, String name) {
        HostCallGate gate = PolicyGates.open(policy, dir.resolve(name));
        policyGates.add(gate);
        return gate;
    }

    private static WasmInstance instantiate(WasmEngine engine, CompiledModule module, List<HostFunction> functions,
            HostCallGate gate) {
        List<HostFunction> gated = KernelAccess.gated(functions,
                gate.open(Fixtures.gateContext("hostcall"), functions));
        return engine.instantiate(module, gated, new InstanceLimits(1));
    }

    private static void check(WasmInstance instance, int each) {
        long sum = instance.call("loop", 10)[0];
        if (sum != 10L * each) {
            throw new IllegalStateException("loop(10) returned " + sum + ", expected " + 10 * each);
        }
    }

    @TearDown
    public void tearDown() {
        for (WasmInstance i : List.of(raw, permissiveGate, policyAllow, policyLog, policyDeny, traceRing, observed)) {
            i.close();
        }
        Fixtures.deactivate(observer);
        try (var files = Files.walk(dir.resolve("history"))) {
            // the observer must have written to the /dev/null link, not to a file of its own on the disk
            List<Path> real = files.filter(f -> Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .toList();
            if (!real.isEmpty()) {
                Fixtures.deleteTree(dir);
                throw new IllegalStateException("the observer wrote history files to disk, not to /dev/null: " + real);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        policyGates.forEach(PolicyGates::close);
        Fixtures.deleteTree(dir);
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long raw() {
        return raw.call("loop", CALLS)[0];
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long permissiveGate() {
        return permissiveGate.call("loop", CALLS)[0];
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long policyAllow() {
        return policyAllow.call("loop", CALLS)[0];
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long policyLog() {
        return policyLog.call("loop", CALLS)[0];
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long policyDeny() {
        return policyDeny.call("loop", CALLS)[0];
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long traceRing() {
        return traceRing.call("loop", CALLS)[0];
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long observerRecording() {
        return observed.call("loop", CALLS)[0];
    }
}
