package io.forgeone.engine.wasmtime.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@link Thread#interrupt()} into wasmtime epoch interruption. The kernel stops a container by interrupting the
 * thread that runs it; compiled wasm code never looks at that flag, so one daemon thread looks at the threads of the
 * calls in progress every {@code periodMillis} and advances the epoch of the engine of any whose thread is
 * interrupted. The guest then traps at its next epoch check (every loop back-edge and function entry). With no call
 * in progress the thread sleeps until one begins.
 */
final class InterruptWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InterruptWatcher.class);

    /** A call in progress: the thread running it and how to stop it. */
    static final class Watch {
        private final Thread thread;
        private final EnginePool.PooledEngine engine;
        private volatile boolean fired;

        private Watch(Thread thread, EnginePool.PooledEngine engine) {
            this.thread = thread;
            this.engine = engine;
        }

        /** Whether this watcher interrupted the call. */
        boolean fired() {
            return fired;
        }
    }

    private final long periodNanos;
    private final Set<Watch> calls = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition callStarted = lock.newCondition();
    private final Thread thread;
    private volatile boolean closed;

    InterruptWatcher(long periodMillis, String name) {
        if (periodMillis < 1) {
            throw new IllegalArgumentException("periodMillis must be at least 1, was " + periodMillis);
        }
        this.periodNanos = TimeUnit.MILLISECONDS.toNanos(periodMillis);
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts watching the current thread's call on {@code engine}; {@link #end} it in a finally block. */
    Watch begin(EnginePool.PooledEngine engine) {
        Watch watch = new Watch(Thread.currentThread(), engine);
        boolean wasIdle = calls.isEmpty();
        calls.add(watch);
        if (wasIdle) {
            lock.lock();
            try {
                callStarted.signalAll();
            } finally {
                lock.unlock();
            }
        }
        return watch;
    }

    void end(Watch watch) {
        // the engine is not advanced after this returns, so it can go back to the pool
        lock.lock();
        try {
            calls.remove(watch);
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (!closed) {
            lock.lock();
            try {
                if (calls.isEmpty()) {
                    callStarted.await();
                    continue;
                }
                for (Watch watch : calls) {
                    if (!watch.fired && watch.thread.isInterrupted()) {
                        watch.fired = true;
                        watch.engine.interrupt();
                    }
                }
                callStarted.awaitNanos(periodNanos);
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
                LOG.debug("interrupt watcher woken by an interrupt while open; going on");
            } catch (RuntimeException e) {
                LOG.error("interrupt watcher failed to advance an engine's epoch; going on", e);
            } finally {
                lock.unlock();
            }
        }
    }

    /** Number of calls being watched (for tests). */
    int watching() {
        return calls.size();
    }

    /**
     * Stops watching. Calls still in progress are stopped now: without the watcher nothing could stop them later, and
     * the engine closes the watcher only when it goes away (bundle stopped, updated or uninstalled).
     */
    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            for (Watch watch : calls) {
                if (!watch.fired) {
                    watch.fired = true;
                    watch.engine.interrupt();
                }
            }
        } catch (RuntimeException e) {
            LOG.error("could not stop a guest still running as the engine goes away", e);
        } finally {
            lock.unlock();
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
