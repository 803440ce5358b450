package io.forgeone.wasi.internal;

import static io.forgeone.wasi.internal.Preview1.O_CREAT;
import static io.forgeone.wasi.internal.Preview1.RIGHT_FD_READ;
import static io.forgeone.wasi.internal.Preview1.RIGHT_FD_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.wasi.WasiState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A descriptor table exported from one environment and restored into a fresh one with the same configuration. */
class DescriptorStatesTest {
    private static final long RW = RIGHT_FD_READ | RIGHT_FD_WRITE;

    @TempDir
    Path dir;

    @Test
    void filesComeBackAtTheirNumbersAndOffsetsAndTheClockDoesNotGoBack() throws Exception {
        Files.createDirectories(dir.resolve("sub"));
        WasiState state;
        long clockBefore;
        try (Guest g = Guest.withDir(dir)) {
            int a = g.openOk(3, "a.txt", O_CREAT, RW);
            int b = g.openOk(3, "sub/b.txt", O_CREAT, RW);
            int c = g.openOk(3, "c.txt", O_CREAT, RW);
            assertEquals(List.of(4, 5, 6), List.of(a, b, c));
            g.write(a, "hello world");
            g.write(b, "0123");
            assertEquals(0, g.call("fd_close", c));
            Thread.sleep(30);
            long t = g.alloc(8);
            assertEquals(0, g.call("clock_time_get", Preview1.CLOCK_MONOTONIC, 1, t));
            clockBefore = g.i64(t);
            state = g.env.exportState();
        }
        assertEquals(List.of(6), state.freeNumbers());
        assertTrue(state.monotonicNanos() >= clockBefore);
        WasiState.Descriptor fileA = state.descriptors().get(4);
        assertEquals(WasiState.Kind.FILE, fileA.kind());
        assertEquals("a.txt", fileA.path());
        assertEquals(11, fileA.offset());
        assertEquals("sub/b.txt", state.descriptors().get(5).path());

        try (Guest fresh = Guest.withDir(dir)) {
            fresh.env.restoreState(state);
            fresh.write(4, "!");
            fresh.write(5, "4");
            assertEquals("hello world!", Files.readString(dir.resolve("a.txt")));
            assertEquals("01234", Files.readString(dir.resolve("sub/b.txt")));
            long t = fresh.alloc(8);
            assertEquals(0, fresh.call("clock_time_get", Preview1.CLOCK_MONOTONIC, 1, t));
            assertTrue(fresh.i64(t) >= state.monotonicNanos(), "the monotonic clock continues");
            assertEquals(6, fresh.openOk(3, "d.txt", O_CREAT, RW), "the freed number is reused first");
        }
    }

    @Test
    void aStateThatLeavesThePreopenOrNamesAMissingFileIsRefusedNamingTheDescriptor() throws Exception {
        try (Guest g = Guest.withDir(dir)) {
            WasiState base = g.env.exportState();
            List<WasiState.Descriptor> escape = new java.util.ArrayList<>(base.descriptors());
            escape.add(new WasiState.Descriptor(4, WasiState.Kind.FILE, 0, "../../etc/passwd", true, false, 0, 0, 0,
                    0));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> g.env.restoreState(new WasiState(escape, List.of(), 0)));
            assertTrue(e.getMessage().startsWith("descriptor 4: "), e.getMessage());
            List<WasiState.Descriptor> missing = new java.util.ArrayList<>(base.descriptors());
            missing.add(new WasiState.Descriptor(4, WasiState.Kind.FILE, 0, "nope.txt", true, false, 0, 0, 0, 0));
            IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
                    () -> g.env.restoreState(new WasiState(missing, List.of(), 0)));
            assertTrue(m.getMessage().contains("no longer exists"), m.getMessage());
            List<WasiState.Descriptor> noPreopen = new java.util.ArrayList<>(base.descriptors());
            noPreopen.add(new WasiState.Descriptor(4, WasiState.Kind.PREOPEN, 7, "", false, false, 0, 0, 0, 0));
            assertThrows(IllegalArgumentException.class,
                    () -> g.env.restoreState(new WasiState(noPreopen, List.of(), 0)));
        }
    }
}
