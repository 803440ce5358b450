package io.forgeone.observer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.engine.GuestExitException;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.gate.HostCallDeniedException;
import io.forgeone.api.observe.SnapshotException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryLogTest {
    private final GuestMemory memory = CapturingMemory.bytes(1 << 20);
    @TempDir
    Path tmp;

    @Test
    void keepsEveryCallWithWhatItWroteAcrossTheFileAndTheBuffer() {
        Path file = tmp.resolve("h/run.history");
        HistoryLog log = new HistoryLog(file, 64L << 20);
        Random random = new Random(42);
        int calls = 50_000;
        long[][] args = new long[calls][];
        byte[][] written = new byte[calls][];
        for (int i = 0; i < calls; i++) {
            args[i] = new long[] {i, -i, Long.MIN_VALUE + i, Long.MAX_VALUE - i};
            written[i] = new byte[random.nextInt(i % 1000 == 0 ? 200_000 : 40)];
            random.nextBytes(written[i]);
            CapturingMemory m = new CapturingMemory().begin(memory);
            m.readI32(8);
            m.write(1000 + i, written[i], 0, written[i].length);
            log.append(i % 7, args[i], new long[] {i % 3}, null, m);
        }
        assertTrue(Files.exists(file), "the history passed its buffer and went to its file");
        assertEquals(calls, log.calls());
        List<RawCall> back = log.read(calls, "c");
        assertEquals(calls, back.size());
        for (int i = 0; i < calls; i++) {
            RawCall c = back.get(i);
            assertEquals(i, c.sequence());
            assertEquals(i % 7, c.function());
            assertArrayEquals(args[i], c.args(), "call " + i);
            assertArrayEquals(new long[] {i % 3}, c.results());
            if (written[i].length == 0) {
                continue;
            }
            assertEquals(1, c.accesses().size(), "only the write is kept, call " + i);
            assertTrue(c.accesses().get(0).write());
            assertEquals(1000 + i, c.accesses().get(0).address());
            assertArrayEquals(written[i], c.accesses().get(0).bytes(), "call " + i);
            assertEquals(written[i].length, c.bytesWritten());
        }
        assertEquals(100, log.read(100, "c").size(), "a prefix can be read");
        log.close();
        assertFalse(Files.exists(file), "the file goes with the run");
        SnapshotException e = assertThrows(SnapshotException.class, () -> log.read(1, "c"));
        assertTrue(e.getMessage().contains("ended"), e.getMessage());
    }

    @Test
    void smallCallsAndLargeOnesInterleavedComeBackInOrder() {
        HistoryLog log = new HistoryLog(tmp.resolve("mixed.history"), 64L << 20);
        int calls = 30_000;
        for (int i = 0; i < calls; i++) {
            CapturingMemory m = new CapturingMemory().begin(memory);
            long[] args = i % 3 == 0 ? new long[] {i, -1, Long.MIN_VALUE, Long.MAX_VALUE}
                    : i % 3 == 1 ? new long[] {1, 2, 3, 4, 5, -i} : new long[] {};
            if (i % 5 == 0) {
                m.writeI32(64, i);
            }
            log.append(i % 4, args, i % 7 == 0 ? new long[] {1, 2, 3} : new long[] {-i}, null, m);
        }
        List<RawCall> back = log.read(calls, "mixed");
        for (int i = 0; i < calls; i++) {
            RawCall c = back.get(i);
            long[] args = i % 3 == 0 ? new long[] {i, -1, Long.MIN_VALUE, Long.MAX_VALUE}
                    : i % 3 == 1 ? new long[] {1, 2, 3, 4, 5, -i} : new long[] {};
            assertEquals(i % 4, c.function(), "call " + i);
            assertArrayEquals(args, c.args(), "call " + i);
            assertArrayEquals(i % 7 == 0 ? new long[] {1, 2, 3} : new long[] {-i}, c.results(), "call " + i);
            assertEquals(i % 5 == 0 ? 1 : 0, c.accesses().size(), "call " + i);
            if (i % 5 == 0) {
                assertEquals(64, c.accesses().get(0).address());
                assertEquals(4, c.bytesWritten());
            }
        }
        log.close();
    }

    @Test
    void failuresExitsAndDenialsComeBack() {
        HistoryLog log = new HistoryLog(tmp.resolve("f.history"), 1 << 20);
        CapturingMemory m = new CapturingMemory().begin(memory);
        log.append(1, new long[] {3}, null, new GuestExitException(-2), m);
        log.append(2, new long[] {}, null, new HostCallDeniedException("host call x.y denied"), m);
        log.append(3, new long[] {5}, null, new IllegalStateException("boom"), m);
        log.append(4, new long[] {}, new long[] {}, null, m);
        List<RawCall> back = log.read(4, "c");
        assertEquals(RawCall.EXIT, back.get(0).failureKind());
        assertEquals(-2, back.get(0).exitCode());
        assertNull(back.get(0).results());
        assertEquals(RawCall.DENIED, back.get(1).failureKind());
        assertEquals("host call x.y denied", back.get(1).failure());
        assertEquals(RawCall.TRAP, back.get(2).failureKind());
        assertEquals("IllegalStateException: boom", back.get(2).failure());
        assertArrayEquals(new long[] {}, back.get(3).results());
        SnapshotException e = assertThrows(SnapshotException.class, () -> log.read(5, "c"));
        assertTrue(e.getMessage().contains("holds 4 host calls"), e.getMessage());
    }

    @Test
    void aHistoryPastItsLimitStopsSaysWhyAndLeavesNoFile() {
        Path file = tmp.resolve("big.history");
        HistoryLog log = new HistoryLog(file, 1L << 20);
        byte[] chunk = new byte[1000];
        int calls = 0;
        while (log.stopped() == null && calls < 10_000) {
            CapturingMemory m = new CapturingMemory().begin(memory);
            m.write(0, chunk, 0, chunk.length);
            log.append(0, new long[] {1, 2}, new long[] {0}, null, m);
            calls++;
        }
        assertTrue(calls > 1000 && calls < 1100, "stopped after " + calls + " calls of 1000 bytes within 1 MiB");
        assertFalse(Files.exists(file), "a stopped history deletes its file");
        SnapshotException e = assertThrows(SnapshotException.class, () -> log.read(10, "big"));
        assertTrue(e.getMessage().contains("history_max_mib (1 MiB)") && e.getMessage().contains("container big"),
                e.getMessage());
    }

    @Test
    void anUnwritableFolderStopsTheHistoryOnly() throws Exception {
        Path blocker = Files.writeString(tmp.resolve("not-a-folder"), "x");
        HistoryLog log = new HistoryLog(blocker.resolve("run.history"), 64L << 20);
        byte[] chunk = new byte[10_000];
        for (int i = 0; i < 20; i++) {
            CapturingMemory m = new CapturingMemory().begin(memory);
            m.write(0, chunk, 0, chunk.length);
            log.append(0, new long[] {}, new long[] {0}, null, m);
        }
        assertTrue(log.stopped() != null && log.stopped().contains("cannot be written"), log.stopped());
    }
}
