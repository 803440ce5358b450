package io.forgeone.kernel.internal;

import io.forgeone.api.container.LatencyHistogram;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's histogram of gate decision times, fed by a sample of the calls: one in {@link #SAMPLE_EVERY} per
 * container is timed. Timing every call would cost more than the decision itself ({@code System.nanoTime()} is
 * 20-30 ns here, a decision about 12 ns), and a sample of one in 64 shows the same distribution for any
 * container that makes enough calls to matter. Shared by every guest thread; atomics are fine at this rate.
 */
final class GateTimer {
    /** Time every this many calls of a container (a power of two). */
    static final int SAMPLE_EVERY = 64;
    /** Bucket bounds in nanoseconds: decisions take tens of ns; a throttled call (calls per second) can take seconds. */
    private static final long[] BOUNDS_NANOS = {25, 50, 100, 250, 500, 1_000, 2_500, 10_000, 100_000, 1_000_000,
            10_000_000, 100_000_000, 1_000_000_000};

    private final AtomicLongArray counts = new AtomicLongArray(BOUNDS_NANOS.length + 1);
    private final LongAdder sumNanos = new LongAdder();

    void observe(long nanos) {
        int i = 0;
        while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) {
            i++;
        }
        counts.incrementAndGet(i);
        sumNanos.add(nanos);
    }

    LatencyHistogram snapshot() {
        List<Double> bounds = new ArrayList<>(BOUNDS_NANOS.length);
        for (long b : BOUNDS_NANOS) {
            bounds.add(b / 1e9);
        }
        List<Long> c = new ArrayList<>(counts.length());
        for (int i = 0; i < counts.length(); i++) {
            c.add(counts.get(i));
        }
        return new LatencyHistogram(bounds, c, sumNanos.sum() / 1e9);
    }
}
