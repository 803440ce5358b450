package io.forgeone.observer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.engine.GuestExitException;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.gate.Decision;
import io.forgeone.api.gate.HostCallDeniedException;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class CallRingTest {
    private final GuestMemory memory = CapturingMemory.bytes(1 << 16);

    @Test
    void keepsCallsWithTheirMemory() {
        CallRing ring = new CallRing(8, 4096, 4, 1, false, null);
        CapturingMemory m = new CapturingMemory().begin(memory);
        m.readI32(100);
        m.write(200, new byte[] {1, 2, 3}, 0, 3);
        long before = System.nanoTime();
        ring.record(2, new long[] {7, -1, 200}, Decision.ALLOW, new long[] {0}, null, m);
        RawCall c = ring.read(0, before);
        assertEquals(0, c.sequence());
        assertTrue(c.time() >= 0 && c.time() <= System.nanoTime() - before, "time " + c.time());
        assertEquals(2, c.function());
        assertArrayEquals(new long[] {7, -1, 200}, c.args());
        assertArrayEquals(new long[] {0}, c.results());
        assertEquals(Decision.ALLOW, c.decision());
        assertEquals(2, c.accesses().size());
        assertFalse(c.accesses().get(0).write());
        assertEquals(100, c.accesses().get(0).address());
        assertTrue(c.accesses().get(1).write());
        assertArrayEquals(new byte[] {1, 2, 3}, c.accesses().get(1).bytes());
        assertEquals(3, c.bytesWritten());
        assertNull(ring.read(1, 0), "not recorded yet");
    }

    @Test
    void aTickClockStampsCallsInOrder() {
        try (TickClock clock = new TickClock(100)) {
            CallRing ring = new CallRing(64, 4096, 1, 1, false, clock);
            CapturingMemory m = new CapturingMemory().begin(memory);
            long base = clock.now();
            for (int i = 0; i < 50; i++) {
                ring.record(0, new long[] {i}, Decision.ALLOW, new long[] {0}, null, m);
                if (i % 10 == 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(300_000);
                }
            }
            long last = -1;
            for (int i = 0; i < 50; i++) {
                long t = ring.read(i, base).time();
                assertTrue(t >= last, "call " + i + " at " + t + " after " + last);
                last = t;
            }
            assertTrue(last > 0, "the clock moved while calls were made");
        }
    }

    @Test
    void failuresExitsAndDenials() {
        CallRing ring = new CallRing(8, 4096, 1, 1, false, null);
        CapturingMemory m = new CapturingMemory().begin(memory);
        ring.record(0, new long[] {3}, Decision.ALLOW, null, new GuestExitException(3), m);
        ring.record(0, new long[] {3}, Decision.DENY, null, new HostCallDeniedException("host call x.y denied"), m);
        ring.record(0, new long[] {3}, Decision.ALLOW, null, new IllegalStateException("boom"), m);
        ring.record(0, new long[] {3}, Decision.QUARANTINE, new long[] {76}, null, m);
        assertEquals(RawCall.EXIT, ring.read(0, 0).failureKind());
        assertEquals(3, ring.read(0, 0).exitCode());
        assertNull(ring.read(0, 0).results());
        assertEquals("host call x.y denied", ring.read(1, 0).failure());
        assertEquals(RawCall.DENIED, ring.read(1, 0).failureKind());
        assertEquals("IllegalStateException: boom", ring.read(2, 0).failure());
        assertEquals(Decision.QUARANTINE, ring.read(3, 0).decision());
        assertArrayEquals(new long[] {76}, ring.read(3, 0).results());
    }

    @Test
    void overwritesTheOldestWhenFull() {
        CallRing ring = new CallRing(5, 4096, 1, 1, false, null);
        assertEquals(8, ring.capacity());
        CapturingMemory m = new CapturingMemory().begin(memory);
        for (int i = 0; i < 20; i++) {
            ring.record(0, new long[] {i}, Decision.ALLOW, new long[] {0}, null, m);
        }
        assertEquals(20, ring.published());
        assertEquals(12, ring.oldest());
        assertNull(ring.read(11, 0), "overwritten");
        for (int i = 12; i < 20; i++) {
            assertEquals(i, ring.read(i, 0).args()[0]);
        }
    }

    @Test
    void aCallTooLargeForTheBytesIsKeptWithoutThem() {
        CallRing ring = new CallRing(8, 4096, 1, 1, false, null);
        CapturingMemory m = new CapturingMemory().begin(memory);
        m.write(0, new byte[3000], 0, 3000);
        ring.record(0, new long[] {1}, Decision.ALLOW, new long[] {0}, null, m);
        RawCall c = ring.read(0, 0);
        assertTrue(c.accessesDropped());
        assertTrue(c.accesses().isEmpty());
        assertEquals(3000, c.bytesWritten());
    }

    @Test
    void bytesOverwrittenByLaterCallsAreReportedGone() {
        CallRing ring = new CallRing(64, 4096, 1, 1, false, null);
        CapturingMemory m = new CapturingMemory().begin(memory);
        for (int i = 0; i < 10; i++) {
            m.begin(memory);
            m.write(0, new byte[1000], 0, 1000);
            ring.record(0, new long[] {i}, Decision.ALLOW, new long[] {0}, null, m);
        }
        assertTrue(ring.read(0, 0).accessesDropped(), "its bytes were reused");
        RawCall last = ring.read(9, 0);
        assertFalse(last.accessesDropped());
        assertEquals(1000, last.accesses().get(0).bytes().length);
    }

    @Test
    void recordingAllocatesNothing() {
        CallRing ring = new CallRing(1024, 1 << 16, 4, 1, false, null);
        CapturingMemory m = new CapturingMemory().begin(memory);
        m.writeI32(64, 42);
        long[] args = {1, 2, 3, 4};
        long[] results = {0};
        CapturingMemory none = new CapturingMemory().begin(memory);
        for (int i = 0; i < 200_000; i++) {
            ring.record(1, args, Decision.ALLOW, results, null, none);
            ring.record(1, args, Decision.ALLOW, results, null, m);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            ring.record(1, args, Decision.ALLOW, results, null, m);
            ring.record(1, args, Decision.ALLOW, results, null, none);
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 4096, "100,000 recorded calls allocated " + allocated + " bytes");
    }

    @Test
    void aDurableRingWaitsForItsWriterInsteadOfOverwriting() throws InterruptedException {
        CallRing ring = new CallRing(4, 4096, 1, 1, true, null);
        CapturingMemory m = new CapturingMemory().begin(memory);
        Thread guest = new Thread(() -> {
            for (int i = 0; i < 10; i++) {
                ring.record(0, new long[] {i}, Decision.ALLOW, new long[] {0}, null, m);
            }
        });
        guest.start();
        Thread.sleep(200);
        assertEquals(4, ring.published(), "the guest waits for the writer once the ring is full");
        for (long s = 0; s < 10; s++) {
            while (ring.published() <= s) {
                Thread.sleep(1);
            }
            RawCall c = ring.read(s, 0);
            assertEquals(s, c.args()[0], "nothing overwritten before it was taken");
            ring.drained(c, ring.bytesEnd(s));
        }
        guest.join(5000);
        assertFalse(guest.isAlive());
        assertEquals(0, ring.lost());
    }
}
