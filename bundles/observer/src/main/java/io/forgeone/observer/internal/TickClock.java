package io.forgeone.observer.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A monotonic clock read with one volatile load: a daemon thread stores {@link System#nanoTime()} every tick. On
 * machines where {@code System.nanoTime()} costs 30 ns or more (virtualised clocks), reading it on every host call
 * would cost more than the rest of the recording; calls get the time to within a tick instead, and their order from
 * their sequence numbers.
 */
final class TickClock implements AutoCloseable {
    private final long tickNanos;
    private final Thread ticker;
    private volatile long now = System.nanoTime();
    private volatile boolean stopped;

    TickClock(long tickMicros) {
        this.tickNanos = TimeUnit.MICROSECONDS.toNanos(Math.max(10, tickMicros));
        this.ticker = new Thread(this::tick, "forge-trace-clock");
        ticker.setDaemon(true);
        ticker.start();
    }

    private void tick() {
        while (!stopped) {
            now = System.nanoTime();
            LockSupport.parkNanos(this, tickNanos);
        }
    }

    /** {@link System#nanoTime()} as of the last tick. */
    long now() {
        return now;
    }

    long tickNanos() {
        return tickNanos;
    }

    @Override
    public void close() {
        stopped = true;
        LockSupport.unpark(ticker);
    }
}
