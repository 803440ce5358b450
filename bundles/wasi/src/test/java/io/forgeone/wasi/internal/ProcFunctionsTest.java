package io.forgeone.wasi.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.engine.GuestExitException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ProcFunctionsTest {

    private static Guest guest() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", "/home/guest");
        env.put("EMPTY", "");
        env.put("UNICODE", "é");
        return new Guest(List.of("prog", "-v", "ünï"), env, List.of(), null);
    }

    @Test
    void argsSizesAndLayout() {
        try (Guest g = guest()) {
            long count = g.alloc(4);
            long size = g.alloc(4);
            assertEquals(0, g.call("args_sizes_get", count, size));
            assertEquals(3, g.i32(count));
            int expectedSize = "prog".length() + 1 + "-v".length() + 1 + "ünï".getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
            assertEquals(expectedSize, g.i32(size));

            long argv = g.alloc(12);
            long buf = g.alloc(expectedSize);
            assertEquals(0, g.call("args_get", argv, buf));
            assertEquals(buf, g.i32(argv));
            assertEquals("prog", g.readString(g.i32(argv), 4));
            assertEquals(0, g.memory.readByte(g.i32(argv) + 4));
            assertEquals(buf + 5, g.i32(argv + 4));
            assertEquals("-v", g.readString(g.i32(argv + 4), 2));
            assertEquals("ünï", g.readString(g.i32(argv + 8), 5));
            assertEquals(0, g.memory.readByte(buf + expectedSize - 1));
        }
    }

    @Test
    void environmentIsOnlyWhatWasConfigured() {
        try (Guest g = guest()) {
            long count = g.alloc(4);
            long size = g.alloc(4);
            assertEquals(0, g.call("environ_sizes_get", count, size));
            assertEquals(3, g.i32(count));
            String joined = "HOME=/home/guest\0EMPTY=\0UNICODE=é\0";
            int bytes = Guest.len(joined);
            assertEquals(bytes, g.i32(size));
            long environ = g.alloc(12);
            long buf = g.alloc(bytes);
            assertEquals(0, g.call("environ_get", environ, buf));
            assertEquals(joined, g.readString(buf, bytes));
            assertEquals(buf + Guest.len("HOME=/home/guest\0"), g.i32(environ + 4));
            assertEquals(buf + Guest.len("HOME=/home/guest\0EMPTY=\0"), g.i32(environ + 8));
        }
        try (Guest none = new Guest(List.of(), Map.of(), List.of(), null)) {
            long count = none.alloc(4);
            long size = none.alloc(4);
            assertEquals(0, none.call("environ_sizes_get", count, size));
            assertEquals(0, none.i32(count));
            assertEquals(0, none.i32(size));
            assertEquals(0, none.call("args_sizes_get", count, size));
            assertEquals(0, none.i32(count));
        }
    }

    @Test
    void argsGetIntoBadPointerTraps() {
        try (Guest g = guest()) {
            assertEquals(Guest.TRAP, g.call("args_get", Guest.MEMORY - 4, 100));
            assertEquals(Guest.TRAP, g.call("environ_sizes_get", -1, 100));
        }
    }

    @Test
    void clocks() throws InterruptedException {
        try (Guest g = guest()) {
            long out = g.alloc(8);
            for (int id = 0; id <= 3; id++) {
                assertEquals(0, g.call("clock_res_get", id, out), "res " + id);
                assertEquals(1, g.i64(out));
            }
            long before = Instant.now().toEpochMilli() * 1_000_000L;
            assertEquals(0, g.call("clock_time_get", Preview1.CLOCK_REALTIME, 1, out));
            long realtime = g.i64(out);
            assertTrue(Math.abs(realtime - before) < 5_000_000_000L, "realtime near now: " + realtime);

            assertEquals(0, g.call("clock_time_get", Preview1.CLOCK_MONOTONIC, 0, out));
            long first = g.i64(out);
            Thread.sleep(5);
            assertEquals(0, g.call("clock_time_get", Preview1.CLOCK_MONOTONIC, 0, out));
            assertTrue(g.i64(out) - first >= 5_000_000L, "monotonic advances");

            assertEquals(0, g.call("clock_time_get", Preview1.CLOCK_THREAD_CPUTIME, 0, out));
            assertTrue(g.i64(out) > 0);
            assertEquals(0, g.call("clock_time_get", Preview1.CLOCK_PROCESS_CPUTIME, 0, out));
            assertTrue(g.i64(out) > 0);

            assertEquals(Errno.INVAL, g.call("clock_time_get", 4, 0, out));
            assertEquals(Errno.INVAL, g.call("clock_res_get", -1, out));
            assertEquals(Guest.TRAP, g.call("clock_time_get", 0, 0, Guest.MEMORY - 4));
        }
    }

    @Test
    void randomFillsTheBuffer() {
        try (Guest g = guest()) {
            int size = 200_000;
            long buf = g.alloc(size);
            assertEquals(0, g.call("random_get", buf, size));
            int zeros = 0;
            for (int i = 0; i < size; i++) {
                if (g.memory.bytes[(int) buf + i] == 0) {
                    zeros++;
                }
            }
            assertTrue(zeros < size / 100, "random bytes, " + zeros + " zeros");
            byte[] untouched = new byte[8];
            System.arraycopy(g.memory.bytes, (int) buf + size, untouched, 0, 8);
            assertArrayEquals(new byte[8], untouched);
            assertEquals(0, g.call("random_get", buf, 0));
            assertEquals(Guest.TRAP, g.call("random_get", Guest.MEMORY - 10, 11));
        }
    }

    @Test
    void procExitThrowsGuestExit() {
        try (Guest g = guest()) {
            GuestExitException exit = assertThrows(GuestExitException.class,
                    () -> g.function("proc_exit").call(g.memory, new long[] {3}));
            assertEquals(3, exit.exitCode());
            assertEquals(0, assertThrows(GuestExitException.class,
                    () -> g.function("proc_exit").call(g.memory, new long[] {0})).exitCode());
            // wasmtime traps on statuses outside [0, 126)
            assertThrows(IllegalArgumentException.class,
                    () -> g.function("proc_exit").call(g.memory, new long[] {126}));
            assertThrows(IllegalArgumentException.class,
                    () -> g.function("proc_exit").call(g.memory, new long[] {-1}));
            assertTrue(g.function("proc_exit").signature().results().isEmpty());
            assertTrue(g.function("proc_exit").deniedErrno().isEmpty());
        }
    }

    @Test
    void schedYield() {
        try (Guest g = guest()) {
            assertEquals(0, g.call("sched_yield"));
        }
    }

    private static void clockSubscription(Guest g, long at, long userdata, int clock, long timeout, int flags) {
        g.memory.writeI64(at, userdata);
        g.memory.writeByte(at + 8, (byte) Preview1.EVENTTYPE_CLOCK);
        g.memory.writeI32(at + 16, clock);
        g.memory.writeI64(at + 24, timeout);
        g.memory.writeI64(at + 32, 0);
        g.memory.writeByte(at + 40, (byte) flags);
    }

    @Test
    void pollOneoffSleepsOnARelativeClock() {
        try (Guest g = guest()) {
            long subs = g.alloc(2 * 48);
            long events = g.alloc(2 * 32);
            long count = g.alloc(4);
            clockSubscription(g, subs, 42, Preview1.CLOCK_MONOTONIC, 20_000_000L, 0);
            clockSubscription(g, subs + 48, 43, Preview1.CLOCK_MONOTONIC, 60_000_000_000L, 0);
            long start = System.nanoTime();
            assertEquals(0, g.call("poll_oneoff", subs, events, 2, count));
            long slept = System.nanoTime() - start;
            assertTrue(slept >= 20_000_000L, "slept " + slept);
            assertTrue(slept < 5_000_000_000L, "slept " + slept);
            assertEquals(1, g.i32(count));
            assertEquals(42, g.i64(events));
            assertEquals(0, g.memory.readByte(events + 8));
            assertEquals(Preview1.EVENTTYPE_CLOCK, g.memory.readByte(events + 10));
        }
    }

    @Test
    void pollOneoffAbsoluteClocksAndFds() {
        try (Guest g = guest()) {
            long subs = g.alloc(3 * 48);
            long events = g.alloc(3 * 32);
            long count = g.alloc(4);
            long now = Instant.now().toEpochMilli() * 1_000_000L;
            clockSubscription(g, subs, 1, Preview1.CLOCK_REALTIME, now - 1, Preview1.SUBCLOCK_ABSTIME);
            g.memory.writeI64(subs + 48, 2);
            g.memory.writeByte(subs + 48 + 8, (byte) Preview1.EVENTTYPE_FD_WRITE);
            g.memory.writeI32(subs + 48 + 16, 1);
            clockSubscription(g, subs + 96, 3, Preview1.CLOCK_MONOTONIC, Long.MAX_VALUE, Preview1.SUBCLOCK_ABSTIME);
            assertEquals(0, g.call("poll_oneoff", subs, events, 3, count));
            assertEquals(2, g.i32(count));
            assertEquals(1, g.i64(events));
            assertEquals(2, g.i64(events + 32));
            assertEquals(Preview1.EVENTTYPE_FD_WRITE, g.memory.readByte(events + 32 + 10));

            assertEquals(Errno.INVAL, g.call("poll_oneoff", subs, events, 0, count));
            g.memory.writeI32(subs + 48 + 16, 99);
            assertEquals(Errno.BADF, g.call("poll_oneoff", subs, events, 3, count));
            clockSubscription(g, subs, 1, Preview1.CLOCK_PROCESS_CPUTIME, 0, 0);
            assertEquals(Errno.INVAL, g.call("poll_oneoff", subs, events, 1, count));
            assertEquals(Guest.TRAP, g.call("poll_oneoff", Guest.MEMORY - 47, events, 1, count));
        }
    }

    @Test
    void pollOneoffReturnsEintrWhenInterrupted() {
        try (Guest g = guest()) {
            long subs = g.alloc(48);
            long events = g.alloc(32);
            long count = g.alloc(4);
            clockSubscription(g, subs, 1, Preview1.CLOCK_MONOTONIC, 60_000_000_000L, 0);
            Thread.currentThread().interrupt();
            try {
                assertEquals(Errno.INTR, g.call("poll_oneoff", subs, events, 1, count));
            } finally {
                assertTrue(Thread.interrupted(), "interrupt left set for the engine");
            }
        }
    }
}
