package io.forgeone.kernel.internal;

import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerLogs;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.container.StopReason;
import io.forgeone.api.engine.CompiledModule;
import io.forgeone.api.engine.WasmEngine;
import io.forgeone.api.gate.GateSession;
import io.forgeone.api.wasi.WasiEnvironment;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** One container's record. Mutable state is guarded by the instance's monitor. */
final class Container {
    final String id;
    final String name;
    final ContainerSpec spec;
    final List<String> argv;
    final WasmEngine engine;
    final CompiledModule module;
    final WasiEnvironment wasi;
    final BoundedLog stdout;
    final BoundedLog stderr;
    final ContainerIO io;
    final Instant createdAt;
    /** Identity for the gate: for a verified package its publisher, name, version and SPIFFE id. */
    final java.util.Map<String, String> labels;
    private final CountDownLatch stoppedLatch = new CountDownLatch(1);

    private ContainerState state = ContainerState.CREATED;
    private Instant startedAt;
    private Instant finishedAt;
    private Integer exitCode;
    private StopReason stopReason;
    private String message = "";
    private GateSession session;
    private long allowedCalls;
    private long deniedCalls;
    private Thread worker;
    private Future<?> timeout;
    /** Set by kill, timeout or engine removal before the worker is interrupted: what the stop will be called. */
    private StopReason requestedStop;
    private String requestedMessage;

    Container(String id, String name, ContainerSpec spec, List<String> argv, WasmEngine engine, CompiledModule module,
            WasiEnvironment wasi, ContainerIO io, Instant createdAt, java.util.Map<String, String> labels) {
        this.id = id;
        this.name = name;
        this.spec = spec;
        this.argv = List.copyOf(argv);
        this.engine = engine;
        this.module = module;
        this.wasi = wasi;
        this.io = io;
        this.createdAt = createdAt;
        this.labels = java.util.Map.copyOf(labels);
        this.stdout = new BoundedLog(spec.limits().logBufferBytes());
        this.stderr = new BoundedLog(spec.limits().logBufferBytes());
    }

    synchronized ContainerState state() {
        return state;
    }

    synchronized void markRunning(Instant now, Future<?> timeoutTask) {
        state = ContainerState.RUNNING;
        startedAt = now;
        timeout = timeoutTask;
    }

    synchronized void markDeleted() {
        state = ContainerState.DELETED;
    }

    /** Called on the worker thread before the guest runs; false if a stop was requested meanwhile. */
    synchronized boolean attach(Thread thread, GateSession gateSession) {
        if (requestedStop != null || state != ContainerState.RUNNING) {
            return false;
        }
        worker = thread;
        session = gateSession;
        return true;
    }

    /** Called on the worker thread when the guest is done, before the thread goes back to the pool. */
    synchronized void detach() {
        worker = null;
        if (session != null) {
            allowedCalls = session.allowed();
            deniedCalls = session.denied();
            session = null;
        }
        // A stop requested just as the guest finished may have left the flag set; the pool thread must not keep it.
        Thread.interrupted();
    }

    /**
     * Asks the guest to stop: records why, then interrupts its thread. Returns false if it was not running.
     */
    synchronized boolean requestStop(StopReason reason, String why) {
        if (state != ContainerState.RUNNING || requestedStop != null) {
            return state == ContainerState.RUNNING;
        }
        requestedStop = reason;
        requestedMessage = why;
        if (worker != null) {
            worker.interrupt();
        }
        return true;
    }

    synchronized StopReason requestedStop() {
        return requestedStop;
    }

    synchronized String requestedMessage() {
        return requestedMessage;
    }

    /** Moves to stopped, once; later calls (a worker finishing after a forced stop) change nothing. */
    synchronized boolean finish(StopReason reason, int code, String why, Instant now) {
        if (state == ContainerState.STOPPED || state == ContainerState.DELETED) {
            return false;
        }
        state = ContainerState.STOPPED;
        stopReason = reason;
        exitCode = code;
        message = why == null ? "" : why;
        finishedAt = now;
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (session != null) {
            allowedCalls = session.allowed();
            deniedCalls = session.denied();
        }
        stoppedLatch.countDown();
        return true;
    }

    boolean awaitStopped(long nanos) throws InterruptedException {
        return stoppedLatch.await(nanos, TimeUnit.NANOSECONDS);
    }

    synchronized ContainerInfo info() {
        long allowed = session != null ? session.allowed() : allowedCalls;
        long denied = session != null ? session.denied() : deniedCalls;
        return new ContainerInfo(id, name, state, spec.module().toString(), module.sha256(), argv, engine.name(),
                module.mode().name().toLowerCase(java.util.Locale.ROOT), module.modeNote(), spec.limits(), createdAt,
                startedAt, finishedAt, exitCode, stopReason, message, allowed, denied);
    }

    ContainerLogs logs() {
        return new ContainerLogs(stdout.text(), stderr.text(), stdout.dropped(), stderr.dropped());
    }
}
