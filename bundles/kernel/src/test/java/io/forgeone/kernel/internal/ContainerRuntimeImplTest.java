package io.forgeone.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerLimits;
import io.forgeone.api.container.ContainerNotFoundException;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerSpecException;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.container.ContainerStateException;
import io.forgeone.api.container.StopReason;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.gate.Decision;
import io.forgeone.api.gate.GateContext;
import io.forgeone.api.gate.GateSession;
import io.forgeone.api.gate.HostCallGate;
import io.forgeone.api.wasi.Preopen;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

@Timeout(20)
class ContainerRuntimeImplTest {
    @TempDir
    Path dir;
    private Fakes.FakeEngine engine;
    private Fakes.FakeWasi wasi;
    private ContainerRuntimeImpl runtime;

    @BeforeEach
    void setUp() {
        KernelConfig config = Converters.standardConverter()
                .convert(Map.of("default.engine", "fake", "kill.grace.ms", 1000L)).to(KernelConfig.class);
        wasi = new Fakes.FakeWasi();
        runtime = new ContainerRuntimeImpl(config, wasi);
        runtime.setGate(new PermissiveGate());
        engine = new Fakes.FakeEngine();
        runtime.bindEngine(engine);
    }

    @AfterEach
    void tearDown() {
        runtime.deactivate();
    }

    private ContainerSpec module(String behaviour) throws IOException {
        Path file = dir.resolve(behaviour.replaceAll("[^a-z0-9]", "_") + ".wasm");
        Files.writeString(file, behaviour);
        return ContainerSpec.of(file);
    }

    private ContainerInfo runToEnd(ContainerSpec spec) throws InterruptedException {
        ContainerInfo created = runtime.create(spec, ContainerIO.DETACHED);
        runtime.start(created.id());
        return runtime.await(created.id(), Duration.ofSeconds(10));
    }

    @Test
    void lifecycleCreatedRunningStoppedDeleted() throws Exception {
        ContainerInfo created = runtime.create(module("exit:0"), ContainerIO.DETACHED);
        assertEquals(ContainerState.CREATED, created.state());
        assertEquals(List.of("exit_0.wasm"), created.args());
        assertTrue(created.name().startsWith("exit_0-"));
        runtime.start(created.name());
        ContainerInfo stopped = runtime.await(created.id(), Duration.ofSeconds(10));
        assertEquals(ContainerState.STOPPED, stopped.state());
        assertEquals(StopReason.EXITED, stopped.stopReason());
        assertEquals(0, stopped.exitCode());
        assertEquals(ContainerState.DELETED, runtime.delete(created.id().substring(0, 8)).state());
        assertThrows(ContainerNotFoundException.class, () -> runtime.state(created.id()));
        assertTrue(runtime.list().isEmpty());
    }

    /** A recorder that keeps what the kernel hands it. */
    private static final class ListRecorder implements io.forgeone.api.observe.HostCallRecorder {
        final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> closed = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile io.forgeone.api.observe.RecordingContext context;

        @Override
        public io.forgeone.api.observe.CallRecording open(io.forgeone.api.observe.RecordingContext ctx,
                List<io.forgeone.api.engine.HostFunction> functions) {
            context = ctx;
            return new io.forgeone.api.observe.CallRecording() {
                @Override
                public void record(int function, long[] args, io.forgeone.api.gate.Decision decision, long[] results,
                        Throwable failure, io.forgeone.api.observe.MemoryAccesses accesses) {
                    calls.add(functions.get(function).name() + java.util.Arrays.toString(args) + " " + decision + " "
                            + java.util.Arrays.toString(results) + " wrote " + accesses.bytesWritten());
                }

                @Override
                public void close(int exitCode, String outcome) {
                    closed.add(exitCode + " " + outcome);
                }
            };
        }
    }

    @Test
    void everyHostCallIsHandedToTheRecorderAndTheRunsEndToo() throws Exception {
        ListRecorder recorder = new ListRecorder();
        runtime.setRecorder(recorder);
        ContainerInfo done = runToEnd(module("count:3").withName("counted"));
        assertEquals(0, done.exitCode());
        assertEquals(List.of("print[0] ALLOW [0] wrote 0", "print[1] ALLOW [0] wrote 0", "print[2] ALLOW [0] wrote 0"),
                recorder.calls);
        assertEquals(List.of("0 EXITED"), recorder.closed);
        assertEquals("counted", recorder.context.identity().containerName());
        assertEquals("fake", recorder.context.engine());

        runToEnd(module("exit:42"));
        assertEquals(List.of("0 EXITED", "42 EXITED"), recorder.closed);
        runToEnd(module("trap"));
        assertEquals("134 TRAPPED: wasm trap: unreachable", recorder.closed.get(2));
    }

    @Test
    void withoutARecorderNothingIsRecorded() throws Exception {
        ListRecorder recorder = new ListRecorder();
        runtime.setRecorder(recorder);
        runtime.setRecorder(null);
        runToEnd(module("count:2"));
        assertTrue(recorder.calls.isEmpty());
    }

    @Test
    void exitCodeFromProcExit() throws Exception {
        ContainerInfo done = runToEnd(module("exit:42"));
        assertEquals(StopReason.EXITED, done.stopReason());
        assertEquals(42, done.exitCode());
    }

    @Test
    void trapStopsWithReasonAndMessage() throws Exception {
        ContainerInfo done = runToEnd(module("trap"));
        assertEquals(StopReason.TRAPPED, done.stopReason());
        assertEquals(134, done.exitCode());
        assertEquals("wasm trap: unreachable", done.message());
    }

    @Test
    void runawayGuestIsStoppedByTheWallClockLimit() throws Exception {
        ContainerSpec spec = module("loop").withLimits(ContainerLimits.DEFAULT.withWallTimeout(Duration.ofMillis(200)));
        ContainerInfo done = runToEnd(spec);
        assertEquals(StopReason.TIMED_OUT, done.stopReason());
        assertEquals(124, done.exitCode());
        assertEquals("timed out after 200ms", done.message());
    }

    @Test
    void aGuestThatIgnoresInterruptionIsStillStoppedAtItsTimeoutAfterTheGrace() throws Exception {
        ContainerSpec spec = module("stuck").withLimits(ContainerLimits.DEFAULT.withWallTimeout(Duration.ofMillis(200)));
        ContainerInfo created = runtime.create(spec, ContainerIO.DETACHED);
        runtime.start(created.id());
        ContainerInfo done = runtime.await(created.id(), Duration.ofMillis(3000));
        assertEquals(ContainerState.STOPPED, done.state());
        assertEquals(StopReason.TIMED_OUT, done.stopReason());
        assertEquals(124, done.exitCode());
    }

    @Test
    void killStopsARunningContainer() throws Exception {
        ContainerInfo created = runtime.create(module("loop"), ContainerIO.DETACHED);
        runtime.start(created.id());
        ContainerInfo killed = runtime.kill(created.id());
        assertEquals(ContainerState.STOPPED, killed.state());
        assertEquals(StopReason.KILLED, killed.stopReason());
        assertEquals(137, killed.exitCode());
    }

    @Test
    void operationsInTheWrongStateFailAndChangeNothing() throws Exception {
        ContainerInfo created = runtime.create(module("loop"), ContainerIO.DETACHED);
        runtime.start(created.id());
        assertThrows(ContainerStateException.class, () -> runtime.start(created.id()));
        ContainerStateException e = assertThrows(ContainerStateException.class, () -> runtime.delete(created.id()));
        assertTrue(e.getMessage().contains("is running"), e.getMessage());
        assertEquals(ContainerState.RUNNING, runtime.state(created.id()).state());
        runtime.kill(created.id());
        assertThrows(ContainerStateException.class, () -> runtime.kill(created.id()));
        assertThrows(ContainerStateException.class, () -> runtime.start(created.id()));
        assertEquals(StopReason.KILLED, runtime.state(created.id()).stopReason());
    }

    @Test
    void outputGoesToTheAttachedSinkAndTheBoundedLog() throws Exception {
        StringBuilder live = new StringBuilder();
        ContainerIO io = new ContainerIO(null, (b, o, l) -> live.append(new String(b, o, l, StandardCharsets.UTF_8)),
                (b, o, l) -> { });
        ContainerSpec spec = module("print:hello").withLimits(ContainerLimits.DEFAULT.withLogBufferBytes(5));
        ContainerInfo created = runtime.create(spec, io);
        runtime.start(created.id());
        ContainerInfo done = runtime.await(created.id(), Duration.ofSeconds(10));
        assertEquals(0, done.exitCode());
        assertEquals("printed 5\n", live.toString());
        assertEquals("ed 5\n".substring(0, 5), runtime.logs(created.id()).stdout());
        assertEquals(5, runtime.logs(created.id()).droppedStdoutBytes());
        assertEquals(1, done.hostCalls());
    }

    @Test
    void everyHostCallPassesTheGateAndADenialReturnsTheErrno() throws Exception {
        int[] decided = {0};
        runtime.setGate(new HostCallGate() {
            @Override
            public GateSession open(GateContext context, List<HostFunction> functions) {
                assertEquals("print", functions.get(0).name());
                return new GateSession() {
                    @Override
                    public Decision decide(int function, GuestMemory memory, long[] args) {
                        decided[0]++;
                        return Decision.DENY;
                    }

                    @Override
                    public void record(int function, long[] args, Decision decision, long[] results, Throwable failure) {
                        assertEquals(76, results[0]);
                    }

                    @Override
                    public long allowed() {
                        return 0;
                    }

                    @Override
                    public long denied() {
                        return decided[0];
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        });
        ContainerInfo done = runToEnd(module("print:x"));
        // the fake guest exits with the errno the denied call returned
        assertEquals(76, done.exitCode());
        assertEquals(1, decided[0]);
        assertEquals(1, done.deniedHostCalls());
    }

    @Test
    void everyHostFunctionTheEngineGetsIsBehindTheGate() throws Exception {
        runToEnd(module("exit:0"));
        List<HostFunction> linked = engine.lastImports;
        assertEquals(new Fakes.FakeWasi().create(new io.forgeone.api.wasi.WasiConfig(List.of("x"), Map.of(), List.of(),
                null, (b, o, l) -> { }, (b, o, l) -> { })).hostFunctions().size(), linked.size());
        for (HostFunction f : linked) {
            assertTrue(f instanceof GatedHostFunction, f.module() + "." + f.name() + " reaches the engine ungated");
        }
    }

    @Test
    void badModulesAreRefusedAtCreateWithTheReason() throws Exception {
        assertTrue(assertThrows(ContainerSpecException.class,
                () -> runtime.create(ContainerSpec.of(dir.resolve("missing.wasm")), ContainerIO.DETACHED))
                .getMessage().endsWith("missing.wasm: no such file"));
        assertTrue(assertThrows(ContainerSpecException.class,
                () -> runtime.create(module("garbage"), ContainerIO.DETACHED))
                .getMessage().contains("not a WebAssembly module"));
        assertTrue(assertThrows(ContainerSpecException.class,
                () -> runtime.create(module("reactor"), ContainerIO.DETACHED))
                .getMessage().contains("does not export _start"));
        assertTrue(assertThrows(ContainerSpecException.class,
                () -> runtime.create(module("import:env.nothing"), ContainerIO.DETACHED))
                .getMessage().contains("imports env.nothing, but no capability provider for env is installed"));
        assertTrue(assertThrows(ContainerSpecException.class,
                () -> runtime.create(module("memory:5000"), ContainerIO.DETACHED))
                .getMessage().contains("needs 5000 pages"));
        assertTrue(assertThrows(ContainerSpecException.class,
                () -> runtime.create(module("exit:0").withEngine("v8"), ContainerIO.DETACHED))
                .getMessage().contains("engine 'v8' is not installed (installed: fake)"));
        assertTrue(assertThrows(ContainerSpecException.class,
                () -> runtime.create(module("exit:0").withPreopens(List.of(new Preopen(dir.resolve("nope"), "/d"))),
                        ContainerIO.DETACHED)).getMessage().contains("not a directory"));
        assertTrue(runtime.list().isEmpty());
    }

    @Test
    void namesAreUniqueAndAddressContainers() throws Exception {
        runtime.create(module("exit:0").withName("web"), ContainerIO.DETACHED);
        assertThrows(ContainerSpecException.class,
                () -> runtime.create(module("exit:1").withName("web"), ContainerIO.DETACHED));
        assertThrows(ContainerSpecException.class,
                () -> runtime.create(module("exit:1").withName("../evil"), ContainerIO.DETACHED));
        assertEquals("web", runtime.state("web").name());
    }

    @Test
    void removingTheEngineStopsItsContainers() throws Exception {
        ContainerInfo created = runtime.create(module("loop"), ContainerIO.DETACHED);
        runtime.start(created.id());
        runtime.unbindEngine(engine);
        ContainerInfo done = runtime.await(created.id(), Duration.ofSeconds(10));
        assertEquals(StopReason.REMOVED, done.stopReason());
        assertEquals("engine removed", done.message());
        assertEquals(143, done.exitCode());
    }

    // ---- pause, quarantine, limits from the gate ------------------------------------------------------------

    /** A gate that allows every call but the {@code quarantineAt}-th, which it quarantines; scores 100 - 50/denial. */
    private static final class QuarantiningGate implements HostCallGate {
        final int quarantineAt;
        volatile int released;
        volatile int calls;

        QuarantiningGate(int quarantineAt) {
            this.quarantineAt = quarantineAt;
        }

        @Override
        public GateSession open(GateContext context, List<HostFunction> functions) {
            return new GateSession() {
                int denied;

                @Override
                public Decision decide(int function, GuestMemory memory, long[] args) {
                    return ++calls == quarantineAt ? Decision.QUARANTINE : Decision.ALLOW;
                }

                @Override
                public void record(int function, long[] args, Decision decision, long[] results, Throwable failure) {
                    if (decision != Decision.ALLOW) {
                        denied++;
                    }
                }

                @Override
                public int trustScore() {
                    return calls >= quarantineAt && released == 0 ? 50 : 100;
                }

                @Override
                public String quarantineReason() {
                    return "call " + quarantineAt + " broke rule x";
                }

                @Override
                public void release() {
                    released++;
                }

                @Override
                public long allowed() {
                    return calls - denied;
                }

                @Override
                public long denied() {
                    return denied;
                }

                @Override
                public void close() {
                }
            };
        }
    }

    private ContainerInfo awaitState(String id, ContainerState state) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        ContainerInfo info = runtime.state(id);
        while (info.state() != state && System.nanoTime() < end) {
            Thread.sleep(5);
            info = runtime.state(id);
        }
        assertEquals(state, info.state(), info.toString());
        return info;
    }

    @Test
    void aGateQuarantineSuspendsTheGuestAtTheCallUntilReleasedThenTheCallIsDenied() throws Exception {
        QuarantiningGate gate = new QuarantiningGate(3);
        runtime.setGate(gate);
        ContainerInfo created = runtime.create(module("count:10"), ContainerIO.DETACHED);
        runtime.start(created.id());
        ContainerInfo q = awaitState(created.id(), ContainerState.QUARANTINED);
        assertEquals("call 3 broke rule x", q.suspendReason());
        assertEquals(50, q.trustScore());
        assertTrue(q.suspendedAt() != null);
        Thread.sleep(100);
        assertEquals(3, gate.calls, "no call is made while quarantined");
        assertThrows(ContainerStateException.class, () -> runtime.delete(created.id()));
        assertThrows(ContainerStateException.class, () -> runtime.resume(created.id()));
        ContainerInfo released = runtime.release(created.id());
        assertEquals(1, gate.released);
        assertTrue(released.state() == ContainerState.RUNNING || released.state() == ContainerState.STOPPED);
        ContainerInfo done = runtime.await(created.id(), Duration.ofSeconds(5));
        // the call it was held at is denied (errno 76), and the fake guest exits with that errno
        assertEquals(StopReason.EXITED, done.stopReason());
        assertEquals(76, done.exitCode());
        assertEquals(100, done.trustScore());
        assertEquals("", done.suspendReason());
    }

    @Test
    void aQuarantinedContainerCanBeKilled() throws Exception {
        runtime.setGate(new QuarantiningGate(1));
        ContainerInfo created = runtime.create(module("count:10"), ContainerIO.DETACHED);
        runtime.start(created.id());
        awaitState(created.id(), ContainerState.QUARANTINED);
        ContainerInfo killed = runtime.kill(created.id());
        assertEquals(ContainerState.STOPPED, killed.state());
        assertEquals(StopReason.KILLED, killed.stopReason());
        assertEquals(137, killed.exitCode());
        assertThrows(ContainerStateException.class, () -> runtime.release(created.id()));
    }

    @Test
    void resumingAPauseThatHasNotTakenYetWithdrawsIt() throws Exception {
        ContainerInfo created = runtime.create(module("spin:1500:count:5"), ContainerIO.DETACHED);
        runtime.start(created.id());
        // no host call within the kill grace (1 s): still running, the pause pending
        assertEquals(ContainerState.RUNNING, runtime.pause(created.id()).state());
        assertEquals(ContainerState.RUNNING, runtime.resume(created.id()).state());
        ContainerInfo done = runtime.await(created.id(), Duration.ofSeconds(5));
        assertEquals(ContainerState.STOPPED, done.state(), "the withdrawn pause must not hold it at its first call");
        assertEquals(0, done.exitCode());
    }

    @Test
    void pauseHoldsTheGuestAtAHostCallAndResumeLetsItFinish() throws Exception {
        ContainerInfo created = runtime.create(module("count:100"), ContainerIO.DETACHED);
        runtime.start(created.id());
        Thread.sleep(20);
        ContainerInfo paused = runtime.pause(created.id());
        assertEquals(ContainerState.PAUSED, paused.state());
        long calls = runtime.state(created.id()).hostCalls();
        Thread.sleep(150);
        assertEquals(calls, runtime.state(created.id()).hostCalls(), "a paused guest makes no call");
        assertThrows(ContainerStateException.class, () -> runtime.pause(created.id()));
        ContainerInfo resumed = runtime.resume(created.id());
        assertTrue(resumed.state() == ContainerState.RUNNING || resumed.state() == ContainerState.STOPPED);
        ContainerInfo done = runtime.await(created.id(), Duration.ofSeconds(5));
        assertEquals(0, done.exitCode());
        assertEquals(100, done.hostCalls());
    }

    @Test
    void anOperatorCanQuarantineARunningOrPausedContainerAndReleaseIt() throws Exception {
        ContainerInfo created = runtime.create(module("count:100"), ContainerIO.DETACHED);
        runtime.start(created.id());
        runtime.pause(created.id());
        ContainerInfo q = runtime.quarantine(created.id(), "suspicious traffic");
        assertEquals(ContainerState.QUARANTINED, q.state());
        assertEquals("suspicious traffic", q.suspendReason());
        runtime.release(created.id());
        ContainerInfo done = runtime.await(created.id(), Duration.ofSeconds(5));
        assertEquals(0, done.exitCode(), "a manual quarantine denies nothing: " + done);
        assertEquals(100, done.hostCalls());
    }

    @Test
    void theWallClockLimitDoesNotRunWhilePaused() throws Exception {
        // 30 calls 2 ms apart need well under the 800 ms limit; held for 1.2 s, the limit must not fire meanwhile
        ContainerSpec spec = module("count:30").withLimits(ContainerLimits.DEFAULT.withWallTimeout(Duration.ofMillis(800)));
        ContainerInfo created = runtime.create(spec, ContainerIO.DETACHED);
        runtime.start(created.id());
        runtime.pause(created.id());
        Thread.sleep(1200);
        assertEquals(ContainerState.PAUSED, runtime.state(created.id()).state());
        runtime.resume(created.id());
        ContainerInfo done = runtime.await(created.id(), Duration.ofSeconds(5));
        assertEquals(StopReason.EXITED, done.stopReason(), done.toString());
    }

    @Test
    void theCpuTimeLimitStopsASpinningGuest() throws Exception {
        ContainerSpec spec = module("loop").withLimits(ContainerLimits.DEFAULT.withCpuTime(Duration.ofMillis(300)));
        ContainerInfo done = runToEnd(spec);
        assertEquals(StopReason.CPU_LIMIT, done.stopReason());
        assertEquals(152, done.exitCode());
        assertEquals("used its CPU time limit of 300ms", done.message());
    }

    @Test
    void theGateCanTightenLimitsAndDropVariablesButNeverWidenOrAdd() throws Exception {
        PermissiveGate permissive = new PermissiveGate();
        runtime.setGate(new HostCallGate() {
            @Override
            public GateSession open(GateContext context, List<HostFunction> functions) {
                return permissive.open(context, functions);
            }

            @Override
            public ContainerLimits limits(GateContext context, ContainerLimits requested) {
                return new ContainerLimits(2, Duration.ofHours(9), 1 << 30, Duration.ofSeconds(5));
            }

            @Override
            public Map<String, String> environment(GateContext context, Map<String, String> requested) {
                return Map.of("KEEP", "1", "ADDED", "x", "CHANGED", "evil");
            }
        });
        ContainerSpec spec = module("exit:0").withEnv(Map.of("KEEP", "1", "DROP", "2", "CHANGED", "3"));
        ContainerInfo created = runtime.create(spec, ContainerIO.DETACHED);
        assertEquals(Map.of("KEEP", "1"), wasi.lastConfig.env());
        assertEquals(2, created.limits().maxMemoryPages());
        assertEquals(ContainerLimits.DEFAULT.wallTimeout(), created.limits().wallTimeout());
        assertEquals(ContainerLimits.DEFAULT.logBufferBytes(), created.limits().logBufferBytes());
        assertEquals(Duration.ofSeconds(5), created.limits().cpuTime());
        ContainerSpecException tooBig = assertThrows(ContainerSpecException.class,
                () -> runtime.create(module("memory:3"), ContainerIO.DETACHED));
        assertTrue(tooBig.getMessage().contains("limit of 2"), tooBig.getMessage());
    }
    @Test
    void statsCountEveryHostCallByFunctionAndDecisionAndSampleTheGate() throws Exception {
        ContainerInfo done = runToEnd(module("count:130"));
        assertEquals(0, done.exitCode());
        io.forgeone.api.container.ContainerStats stats = runtime.stats(done.id());
        assertEquals(List.of(new io.forgeone.api.container.HostCallCount("test.print", Decision.ALLOW, 130)),
                stats.hostCalls());
        assertEquals(0, stats.deniedHostCalls());
        assertEquals(ContainerState.STOPPED, stats.state());
        assertEquals("fake", stats.engine());
        assertEquals("", stats.packageName(), "a bare module has no package");
        assertTrue(stats.uptimeNanos() >= 130 * 2_000_000L, "ran at least 130 sleeps of 2 ms: " + stats.uptimeNanos());
        assertTrue(stats.cpuNanos() == -1 || stats.cpuNanos() > 0, "cpu " + stats.cpuNanos());
        // one call in 64 is timed: 130 calls give 2 samples
        assertEquals(2, runtime.gateLatency().count());
        assertEquals(List.of(stats.id()), runtime.stats().stream().map(io.forgeone.api.container.ContainerStats::id)
                .toList());
        runtime.delete(done.id());
        assertTrue(runtime.stats().isEmpty(), "a deleted container has no figures");
        assertThrows(ContainerNotFoundException.class, () -> runtime.stats(done.id()));
    }

    @Test
    void statsOfACreatedContainerAreZero() throws Exception {
        ContainerInfo created = runtime.create(module("exit:0"), ContainerIO.DETACHED);
        io.forgeone.api.container.ContainerStats stats = runtime.stats(created.name());
        assertEquals(ContainerState.CREATED, stats.state());
        assertEquals(0, stats.uptimeNanos());
        assertEquals(0, stats.memoryBytes());
        assertTrue(stats.hostCalls().isEmpty());
    }
}
