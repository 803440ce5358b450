package io.forgeone.benchmarks.gate;

import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.gate.Decision;
import io.forgeone.api.gate.GateContext;
import io.forgeone.api.gate.GateSession;
import io.forgeone.api.gate.HostCallGate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A model of the recorder the observer bundle will need, for comparison with the policy gate's decision log:
 * every call allowed, and written into a preallocated ring (timestamp, function, decision, first argument, first
 * result) without allocating, locking or doing I/O on the guest's thread.
 */
public final class TraceRingGate implements HostCallGate {

    /** Trace entries kept per session (a power of two); older ones are overwritten. */
    static final int ENTRIES = 4096;
    private static final int FIELDS = 5;

    @Override
    public GateSession open(GateContext context, List<HostFunction> functions) {
        return new Session();
    }

    /**
     * Written on the guest's thread only. The counter is published with release stores (a plain store on x86,
     * where a volatile store would add a fence to every call) and read by others as a gauge.
     */
    static final class Session implements GateSession {
        private final long[] ring = new long[ENTRIES * FIELDS];
        private final AtomicLong allowed = new AtomicLong();
        private long next;

        @Override
        public Decision decide(int function, GuestMemory memory, long[] args) {
            return Decision.ALLOW;
        }

        @Override
        public void record(int function, long[] args, Decision decision, long[] results, Throwable failure) {
            allowed.lazySet(allowed.get() + 1);
            int at = (int) (next++ & (ENTRIES - 1)) * FIELDS;
            ring[at] = System.nanoTime();
            ring[at + 1] = function;
            ring[at + 2] = decision.ordinal();
            ring[at + 3] = args.length > 0 ? args[0] : 0;
            ring[at + 4] = results != null && results.length > 0 ? results[0] : failure != null ? -1 : 0;
        }

        @Override
        public long allowed() {
            return allowed.get();
        }

        @Override
        public long denied() {
            return 0;
        }

        @Override
        public void close() {
            // the ring is garbage with the session
        }
    }
}
