package io.forgeone.benchmarks.hostcall;

import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.engine.CompiledModule;
import io.forgeone.api.engine.InstanceLimits;
import io.forgeone.api.engine.WasmEngine;
import io.forgeone.api.engine.WasmInstance;
import io.forgeone.api.gate.HostCallGate;
import io.forgeone.api.wasi.WasiEnvironment;
import io.forgeone.api.wasi.WasiProvider;
import io.forgeone.benchmarks.Fixtures;
import io.forgeone.benchmarks.gate.PolicyGates;
import io.forgeone.kernel.internal.PermissiveGate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

/**
 * The cost of one WASI call end to end: {@code clockloop.wasm} calls {@code clock_time_get} {@value #CALLS}
 * times from {@code _start}, run as a whole container (create, start, wait, delete) through the
 * {@link ContainerRuntime}, so the call goes through the real WASI layer and the kernel's own gate wiring. The
 * score is nanoseconds per call; it includes one container's fixed cost spread over the calls (a warm hello run
 * costs well under a millisecond: under 1 ns per call here). {@code raw} runs the same module on the engine with
 * WASI's functions unwrapped and no container around it; the others run it in a container behind the kernel's
 * permissive gate (what the distribution ships) and behind the trust bundle's policy gate granting the clocks.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class ContainerHostCallBenchmark {

    static final int CALLS = 1_000_000;

    @Param({Fixtures.COMPILED, Fixtures.INTERPRETED})
    public String mode;

    private Path dir;
    private WasmEngine engine;
    private WasiProvider wasi;
    private CompiledModule module;
    private ContainerSpec spec;
    private HostCallGate policyGate;
    private ContainerRuntime permissive;
    private ContainerRuntime policy;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("forge-bench-clockloop");
        spec = ContainerSpec.of(Fixtures.wasmFile("clockloop.wasm", dir));
        engine = Fixtures.engine(mode);
        wasi = Fixtures.wasi();
        module = engine.compile(Fixtures.wasm("clockloop.wasm"));
        permissive = Fixtures.runtime(engine, new PermissiveGate());
        policyGate = PolicyGates.open(PolicyGates.ALLOW, dir.resolve("policy"));
        policy = Fixtures.runtime(engine, policyGate);
        expect(Fixtures.run(permissive, spec), CALLS, 0);
        expect(Fixtures.run(policy, spec), CALLS, 0);
    }

    private static void expect(ContainerInfo done, long allowed, long denied) {
        if (done.hostCalls() != allowed || done.deniedHostCalls() != denied) {
            throw new IllegalStateException("container made " + done.hostCalls() + " allowed and "
                    + done.deniedHostCalls() + " denied host calls, expected " + allowed + " and " + denied);
        }
    }

    @TearDown
    public void tearDown() {
        Fixtures.stop(permissive);
        Fixtures.stop(policy);
        PolicyGates.close(policyGate);
        Fixtures.deleteTree(dir);
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public void raw() {
        try (WasiEnvironment env = wasi.create(Fixtures.wasiConfig(List.of("clockloop.wasm")));
                WasmInstance instance = engine.instantiate(module, env.hostFunctions(), new InstanceLimits(4096))) {
            instance.call("_start");
        }
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public ContainerInfo permissiveGate() {
        return Fixtures.run(permissive, spec);
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public ContainerInfo policyAllow() {
        return Fixtures.run(policy, spec);
    }
}
