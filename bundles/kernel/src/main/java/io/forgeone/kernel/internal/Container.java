package io.forgeone.kernel.internal;

import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerLogs;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.container.StopReason;
import io.forgeone.api.engine.CompiledModule;
import io.forgeone.api.engine.ExecutionInterruptedException;
import io.forgeone.api.engine.WasmEngine;
import io.forgeone.api.gate.GateSession;
import io.forgeone.api.wasi.WasiEnvironment;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** One container's record. Mutable state is guarded by the instance's monitor. */
final class Container implements CallBoundary {
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
    /** Its sessions with capability providers, one per provider module it imports. */
    final List<ProviderUse> providers;
    /** What the guest can import: WASI's functions, then every provider's. */
    final List<io.forgeone.api.engine.HostFunction> hostFunctions;
    private boolean released;
    /** The module's bytes, for images (snapshots carry their module). */
    final byte[] wasm;
    /** For a container restored from an image: the journal it re-executes first; else null. */
    final Resumption resumption;
    /** Memory and globals written into the instance before the entry point runs (a pre-initialised start), or null. */
    final io.forgeone.api.engine.InstanceImage initialImage;
    private final CountDownLatch stoppedLatch = new CountDownLatch(1);
    /** Host calls completed; written on the guest's thread, read under the monitor while the guest is held. */
    private long hostCalls;

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
    private int trustScore = -1;

    /** Read at every host call: an operator asked for a pause or a quarantine that the guest has not reached yet. */
    private volatile boolean suspendRequested;
    private ContainerState requestedSuspension;
    private String requestedSuspendReason;
    private Instant suspendedAt;
    private String suspendReason = "";
    /** Wall time spent running before the current stretch (suspensions do not count against the wall limit). */
    private long ranNanos;
    private long runningSinceNanos;
    /** The worker's CPU time when it picked this container up (the pool's threads are reused). */
    private long cpuAtAttachNanos = -1;
    /** CPU time the guest thread used, fixed when it let go of the container; -1 while running or unknown. */
    private long cpuUsedNanos = -1;
    /** Host-call figures of the run; null before it starts. Written by the guest thread, read by anyone. */
    private volatile CallCounters counters;
    /** The running instance, for its memory size; null when none runs. */
    private volatile io.forgeone.api.engine.WasmInstance instance;
    /** The guest's memory size when its instance was closed. */
    private volatile long lastMemoryBytes;

    Container(String id, String name, ContainerSpec spec, List<String> argv, WasmEngine engine, CompiledModule module,
            WasiEnvironment wasi, ContainerIO io, Instant createdAt, java.util.Map<String, String> labels,
            List<ProviderUse> providers, byte[] wasm, Resumption resumption,
            io.forgeone.api.engine.InstanceImage initialImage) {
        this.wasm = wasm;
        this.resumption = resumption;
        this.initialImage = initialImage;
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
        this.providers = List.copyOf(providers);
        java.util.List<io.forgeone.api.engine.HostFunction> all = new java.util.ArrayList<>(wasi.hostFunctions());
        for (ProviderUse use : this.providers) {
            all.addAll(use.functions);
        }
        this.hostFunctions = List.copyOf(all);
        this.stdout = new BoundedLog(spec.limits().logBufferBytes());
        this.stderr = new BoundedLog(spec.limits().logBufferBytes());
    }

    /** Closes its WASI environment and provider sessions, once: when its guest is done or it never ran. */
    void release() {
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        wasi.close();
        for (ProviderUse use : providers) {
            use.close();
        }
    }

    /** Whether it holds a session of this provider. */
    boolean uses(ProviderEntry entry) {
        for (ProviderUse use : providers) {
            if (use.entry == entry) {
                return true;
            }
        }
        return false;
    }

    /** The running instance, while there is one: images are taken of it while the guest is held at a call. */
    io.forgeone.api.engine.WasmInstance instance() {
        return instance;
    }

    @Override
    public void called() {
        hostCalls++;
    }

    synchronized long hostCalls() {
        return hostCalls;
    }

    synchronized ContainerState state() {
        return state;
    }

    synchronized void markRunning(Instant now, Future<?> timeoutTask) {
        state = ContainerState.RUNNING;
        startedAt = now;
        timeout = timeoutTask;
        runningSinceNanos = System.nanoTime();
    }

    /** Running, paused or quarantined: its guest thread exists and holds an instance. */
    static boolean active(ContainerState state) {
        return state == ContainerState.RUNNING || state == ContainerState.PAUSED
                || state == ContainerState.QUARANTINED;
    }

    synchronized boolean active() {
        return active(state);
    }

    // ---- suspension (pause and quarantine) -------------------------------------------------------------------

    /** True when an operator's pause or quarantine waits for the guest's next host call. */
    @Override
    public boolean suspendRequested() {
        return suspendRequested;
    }

    /**
     * Asks for the guest to be suspended at its next host call. Returns false when it is not running (already
     * suspended, stopping or stopped).
     */
    synchronized boolean requestSuspension(ContainerState kind, String reason) {
        if (state != ContainerState.RUNNING || requestedStop != null) {
            return false;
        }
        requestedSuspension = kind;
        requestedSuspendReason = reason;
        suspendRequested = true;
        return true;
    }

    /** Called on the guest thread at a host call when {@link #suspendRequested()}: suspends it as asked. */
    @Override
    public void suspendAsRequested() {
        ContainerState kind;
        String reason;
        synchronized (this) {
            kind = requestedSuspension;
            reason = requestedSuspendReason;
            suspendRequested = false;
            requestedSuspension = null;
            requestedSuspendReason = null;
        }
        if (kind != null) {
            suspendHere(kind, reason);
        }
    }

    /**
     * Suspends the guest on its own thread, at a host call, until it is resumed (returns) or stopped (throws,
     * with the thread's interrupt flag set, so that the engine reports the stop as an interruption).
     */
    @Override
    public void suspendHere(ContainerState kind, String reason) {
        synchronized (this) {
            if (state != ContainerState.RUNNING || requestedStop != null) {
                throw stopped();
            }
            state = kind;
            suspendedAt = Instant.now();
            suspendReason = reason == null ? "" : reason;
            ranNanos += System.nanoTime() - runningSinceNanos;
            if (timeout != null) {
                timeout.cancel(false);
                timeout = null;
            }
            notifyAll();
            try {
                while ((state == ContainerState.PAUSED || state == ContainerState.QUARANTINED) && requestedStop == null) {
                    wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw stopped();
            }
            if (requestedStop != null) {
                Thread.currentThread().interrupt();
                throw stopped();
            }
        }
    }

    private static ExecutionInterruptedException stopped() {
        Thread.currentThread().interrupt();
        return new ExecutionInterruptedException("stopped while suspended");
    }

    /**
     * Resumes a suspended guest (an operator's call). {@code timeoutScheduler} gets the wall time left and
     * returns the new timeout task, or null; it runs under this container's monitor.
     */
    synchronized boolean resume(ContainerState from, java.util.function.LongFunction<Future<?>> timeoutScheduler) {
        if (state == ContainerState.RUNNING && suspendRequested && requestedSuspension == from) {
            // asked to be held but not there yet (no host call since): the request is withdrawn
            suspendRequested = false;
            requestedSuspension = null;
            requestedSuspendReason = null;
            return true;
        }
        if (state != from) {
            return false;
        }
        state = ContainerState.RUNNING;
        suspendedAt = null;
        suspendReason = "";
        runningSinceNanos = System.nanoTime();
        timeout = timeoutScheduler.apply(ranNanos);
        notifyAll();
        return true;
    }

    /** Turns a paused guest into a quarantined one where it stands; false if it is not paused. */
    synchronized boolean quarantinePaused(String reason) {
        if (state != ContainerState.PAUSED) {
            return false;
        }
        state = ContainerState.QUARANTINED;
        suspendReason = reason;
        suspendedAt = Instant.now();
        return true;
    }

    /** Waits (up to {@code millis}) until the guest is no longer running, for a requested suspension to take. */
    synchronized void awaitNotRunning(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (state == ContainerState.RUNNING && suspendRequested) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    synchronized Thread worker() {
        return worker;
    }

    /** CPU time its guest thread used so far, in nanoseconds, or -1 if unknown. */
    synchronized long cpuNanos(java.lang.management.ThreadMXBean threads) {
        if (worker == null || cpuAtAttachNanos < 0) {
            return -1;
        }
        long now = threads.getThreadCpuTime(worker.getId());
        return now < 0 ? -1 : now - cpuAtAttachNanos;
    }

    /** The gate session of the running guest, or null. */
    synchronized GateSession session() {
        return session;
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
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        cpuAtAttachNanos = threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
        return true;
    }

    /** Called on the worker thread once the run's counters exist, before any host call. */
    void counters(CallCounters runCounters) {
        counters = runCounters;
    }

    /** Called on the worker thread with the instance just made, and with null before it is closed. */
    void instance(io.forgeone.api.engine.WasmInstance running) {
        io.forgeone.api.engine.WasmInstance old = instance;
        if (running == null && old != null) {
            lastMemoryBytes = memoryBytes(old);
        }
        instance = running;
    }

    private static long memoryBytes(io.forgeone.api.engine.WasmInstance i) {
        try {
            return i.memoryPages() * 65536L;
        } catch (RuntimeException e) {
            // an engine that cannot say (instance closing under us) shows its last figure
            return -1;
        }
    }

    /** Called on the worker thread when the guest is done, before the thread goes back to the pool. */
    synchronized void detach() {
        if (worker != null && cpuAtAttachNanos >= 0) {
            long now = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            cpuUsedNanos = now < 0 ? -1 : now - cpuAtAttachNanos;
        }
        worker = null;
        if (session != null) {
            allowedCalls = session.allowed();
            deniedCalls = session.denied();
            trustScore = session.trustScore();
            session = null;
        }
        // A stop requested just as the guest finished may have left the flag set; the pool thread must not keep it.
        Thread.interrupted();
    }

    /**
     * Asks the guest to stop: records why, then interrupts its thread. Returns false if it was not running.
     */
    synchronized boolean requestStop(StopReason reason, String why) {
        if (!active(state) || requestedStop != null) {
            return active(state);
        }
        requestedStop = reason;
        requestedMessage = why;
        if (worker != null) {
            worker.interrupt();
        }
        notifyAll();
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
            trustScore = session.trustScore();
        }
        suspendRequested = false;
        suspendedAt = null;
        suspendReason = "";
        notifyAll();
        stoppedLatch.countDown();
        return true;
    }

    boolean awaitStopped(long nanos) throws InterruptedException {
        return stoppedLatch.await(nanos, TimeUnit.NANOSECONDS);
    }

    synchronized ContainerInfo info() {
        long allowed = session != null ? session.allowed() : allowedCalls;
        long denied = session != null ? session.denied() : deniedCalls;
        int score = session != null ? session.trustScore() : trustScore;
        return new ContainerInfo(id, name, state, spec.module().toString(), module.sha256(), argv, engine.name(),
                module.mode().name().toLowerCase(java.util.Locale.ROOT), module.modeNote(), spec.limits(), createdAt,
                startedAt, finishedAt, exitCode, stopReason, message, allowed, denied, score, suspendedAt,
                suspendReason);
    }

    /** The figures for statistics and metrics. */
    io.forgeone.api.container.ContainerStats stats(java.lang.management.ThreadMXBean threads) {
        ContainerState current;
        long uptime;
        long cpu;
        int score;
        synchronized (this) {
            current = state;
            uptime = startedAt == null ? 0 : java.time.Duration.between(startedAt,
                    finishedAt != null ? finishedAt : Instant.now()).toNanos();
            cpu = worker != null ? cpuNanos(threads) : cpuUsedNanos;
            score = session != null ? session.trustScore() : trustScore;
        }
        io.forgeone.api.engine.WasmInstance running = instance;
        long memory = running != null ? memoryBytes(running) : lastMemoryBytes;
        if (memory < 0) {
            memory = lastMemoryBytes;
        }
        CallCounters figures = counters;
        return new io.forgeone.api.container.ContainerStats(id, name, labels.getOrDefault("package", ""),
                engine.name(), current, Math.max(0, uptime), memory, cpu,
                figures == null ? 0 : figures.bytesIn(), figures == null ? 0 : figures.bytesOut(), score,
                figures == null ? List.of() : figures.snapshot());
    }

    ContainerLogs logs() {
        return new ContainerLogs(stdout.text(), stderr.text(), stdout.dropped(), stderr.dropped());
    }
}
