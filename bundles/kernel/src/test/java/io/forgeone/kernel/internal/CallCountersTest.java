package io.forgeone.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.forgeone.api.container.ContainerState;
import io.forgeone.api.container.HostCallCount;
import io.forgeone.api.container.LatencyHistogram;
import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.ValueType;
import io.forgeone.api.gate.Decision;
import io.forgeone.api.gate.GateSession;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The figures the gated call path keeps: calls by function and decision, bytes moved, sampled gate times. */
class CallCountersTest {

    /** A WASI-named function that reports {@code moved} bytes at the pointer its count argument gives. */
    private static HostFunction io(String name, int countArg, int moved) {
        return new HostFunction() {
            @Override
            public String module() {
                return "wasi_snapshot_preview1";
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public FunctionSignature signature() {
                return FunctionSignature.of(List.of(ValueType.I32), List.of(ValueType.I32));
            }

            @Override
            public long[] call(GuestMemory memory, long[] args) {
                memory.writeI32(args[countArg], moved);
                return new long[] {0};
            }

            @Override
            public OptionalInt deniedErrno() {
                return OptionalInt.of(76);
            }
        };
    }

    private static GateSession deciding(Decision... decisions) {
        return new GateSession() {
            int next;

            @Override
            public Decision decide(int function, GuestMemory memory, long[] args) {
                return decisions[next++ % decisions.length];
            }

            @Override
            public void record(int function, long[] args, Decision decision, long[] results, Throwable failure) {
            }

            @Override
            public long allowed() {
                return 0;
            }

            @Override
            public long denied() {
                return 0;
            }

            @Override
            public void close() {
            }
        };
    }

    private static final CallBoundary NEVER_SUSPENDED = new CallBoundary() {
        @Override
        public boolean suspendRequested() {
            return false;
        }

        @Override
        public void suspendAsRequested() {
        }

        @Override
        public void suspendHere(ContainerState kind, String reason) {
            throw new AssertionError("not expected: " + kind);
        }
    };

    @Test
    void countsCallsByFunctionAndDecisionAndTheBytesThatAllowedCallsMoved() {
        List<HostFunction> functions = List.of(io("fd_write", 3, 7), io("fd_read", 3, 5), io("fd_pwrite", 4, 11));
        CallCounters counters = new CallCounters(functions);
        GateTimer timer = new GateTimer();
        GateSession session = deciding(Decision.ALLOW, Decision.ALLOW, Decision.DENY);
        RecordingMemoryTest.ArrayMemory memory = new RecordingMemoryTest.ArrayMemory();
        GatedHostFunction write = new GatedHostFunction(functions.get(0), 0, session, NEVER_SUSPENDED, null, counters, timer);
        GatedHostFunction read = new GatedHostFunction(functions.get(1), 1, session, NEVER_SUSPENDED, null, counters, timer);
        GatedHostFunction pwrite = new GatedHostFunction(functions.get(2), 2, session, NEVER_SUSPENDED, null, counters, timer);
        // decisions cycle allow, allow, deny over the calls in this order
        write.call(memory, new long[] {1, 0, 0, 100});          // allow: 7 out
        write.call(memory, new long[] {1, 0, 0, 100});          // allow: 7 out
        assertEquals(76, write.call(memory, new long[] {1, 0, 0, 100})[0]); // deny: nothing moves
        read.call(memory, new long[] {0, 0, 0, 200});           // allow: 5 in
        pwrite.call(memory, new long[] {3, 0, 0, 0, 300});      // allow: 11 out, count at argument 4
        assertEquals(List.of(new HostCallCount("wasi_snapshot_preview1.fd_write", Decision.ALLOW, 2),
                new HostCallCount("wasi_snapshot_preview1.fd_write", Decision.DENY, 1),
                new HostCallCount("wasi_snapshot_preview1.fd_read", Decision.ALLOW, 1),
                new HostCallCount("wasi_snapshot_preview1.fd_pwrite", Decision.ALLOW, 1)), counters.snapshot());
        assertEquals(5, counters.bytesIn());
        assertEquals(7 + 7 + 11, counters.bytesOut());
    }

    @Test
    void bytesAreCountedAsUnsigned32BitFigures() {
        List<HostFunction> functions = List.of(io("fd_read", 3, -1));
        CallCounters counters = new CallCounters(functions);
        new GatedHostFunction(functions.get(0), 0, deciding(Decision.ALLOW), NEVER_SUSPENDED, null, counters, null)
                .call(new RecordingMemoryTest.ArrayMemory(), new long[] {0, 0, 0, 8});
        assertEquals(0xffffffffL, counters.bytesIn());
    }

    @Test
    void oneCallInSixtyFourIsTimed() {
        List<HostFunction> functions = List.of(io("fd_write", 3, 1));
        CallCounters counters = new CallCounters(functions);
        GateTimer timer = new GateTimer();
        GatedHostFunction write = new GatedHostFunction(functions.get(0), 0, deciding(Decision.ALLOW), NEVER_SUSPENDED,
                null, counters, timer);
        RecordingMemoryTest.ArrayMemory memory = new RecordingMemoryTest.ArrayMemory();
        for (int i = 0; i < 64 * 3 + 10; i++) {
            write.call(memory, new long[] {1, 0, 0, 16});
        }
        LatencyHistogram h = timer.snapshot();
        assertEquals(3, h.count());
        assertEquals(h.upperBoundsSeconds().size() + 1, h.counts().size());
    }

    @Test
    void theTimerPutsEachObservationInTheFirstBucketThatHoldsIt() {
        GateTimer timer = new GateTimer();
        timer.observe(10);            // <= 25 ns
        timer.observe(25);            // <= 25 ns (bounds are inclusive)
        timer.observe(26);            // <= 50 ns
        timer.observe(5_000_000_000L); // above every bound
        LatencyHistogram h = timer.snapshot();
        assertEquals(2, h.counts().get(0));
        assertEquals(1, h.counts().get(1));
        assertEquals(1, h.counts().get(h.counts().size() - 1));
        assertEquals(25e-9, h.upperBoundsSeconds().get(0), 1e-15);
        assertEquals((10 + 25 + 26 + 5_000_000_000L) / 1e9, h.sumSeconds(), 1e-9);
    }
}
