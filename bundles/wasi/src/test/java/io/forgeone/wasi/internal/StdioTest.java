package io.forgeone.wasi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StdioTest {

    private static Guest guest(String stdin) {
        return new Guest(List.of("prog"), Map.of(), List.of(),
                stdin == null ? null : new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void writesReachTheSinksAsTheyHappen() {
        try (Guest g = guest(null)) {
            assertEquals(6, g.write(1, "hello "));
            assertEquals("hello ", g.stdout.toString(StandardCharsets.UTF_8));
            assertEquals(6, g.write(1, "world\n"));
            assertEquals("hello world\n", g.stdout.toString(StandardCharsets.UTF_8));
            assertEquals(List.of(6, 6), g.stdoutWrites);
            assertEquals(4, g.write(2, "oops"));
            assertEquals("oops", g.stderr.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aClosedPipeIsEpipeAndAnyOtherSinkFailureIsEio() {
        try (Guest g = guest(null)) {
            long text = g.string("abc");
            long out = g.alloc(4);
            g.stdoutFailure = new java.io.UncheckedIOException(new java.io.IOException("Broken pipe"));
            assertEquals(Errno.PIPE, g.call("fd_write", 1, g.iovecs(text, 3), 1, out));
            g.stdoutFailure = new IllegalStateException("terminal gone");
            assertEquals(Errno.IO, g.call("fd_write", 1, g.iovecs(text, 3), 1, out));
        }
    }

    @Test
    void gatherWriteSendsAllIovecsInOneSinkCall() {
        try (Guest g = guest(null)) {
            long a = g.string("abc");
            long b = g.string("defg");
            long out = g.alloc(4);
            assertEquals(0, g.call("fd_write", 1, g.iovecs(a, 3, 0, 0, b, 4), 3, out));
            assertEquals(7, g.i32(out));
            assertEquals("abcdefg", g.stdout.toString(StandardCharsets.UTF_8));
            assertEquals(List.of(7), g.stdoutWrites);
            assertEquals(0, g.call("fd_write", 1, g.iovecs(), 0, out));
            assertEquals(0, g.i32(out));
            assertEquals(List.of(7), g.stdoutWrites, "an empty write does not call the sink");
        }
    }

    @Test
    void readFromStdin() {
        try (Guest g = guest("line one\nrest")) {
            assertEquals("line", g.read(0, 4));
            assertEquals(" one\nrest", g.read(0, 100));
            assertEquals("", g.read(0, 100));
        }
        try (Guest g = guest(null)) {
            assertEquals("", g.read(0, 10), "no stdin configured reads as empty");
        }
    }

    @Test
    void stdinFillsTheFirstNonEmptyIovec() {
        try (Guest g = guest("abcdef")) {
            long a = g.alloc(2);
            long b = g.alloc(10);
            long out = g.alloc(4);
            assertEquals(0, g.call("fd_read", 0, g.iovecs(a, 0, b, 10, a, 2), 3, out));
            assertEquals(6, g.i32(out));
            assertEquals("abcdef", g.readString(b, 6));
        }
    }

    @Test
    void wrongDirectionIsEbadf() {
        try (Guest g = guest("x")) {
            assertEquals(-Errno.BADF, g.write(0, "to stdin"));
            assertEquals("errno:BADF", g.read(1, 4));
            assertEquals("errno:BADF", g.read(2, 4));
            assertEquals("x", g.read(0, 4), "stdin untouched by the failed calls");
        }
    }

    @Test
    void stdioIsNotSeekable() {
        try (Guest g = guest(null)) {
            long out = g.alloc(8);
            for (int fd = 0; fd < 3; fd++) {
                assertEquals(Errno.SPIPE, g.call("fd_seek", fd, 0, 0, out));
                assertEquals(Errno.SPIPE, g.call("fd_tell", fd, out));
            }
            long buf = g.string("x");
            assertEquals(Errno.SPIPE, g.call("fd_pwrite", 1, g.iovecs(buf, 1), 1, 0, out));
            assertEquals(Errno.SPIPE, g.call("fd_pread", 0, g.iovecs(buf, 1), 1, 0, out));
            assertEquals(Errno.BADF, g.call("fd_pread", 1, g.iovecs(buf, 1), 1, 0, out));
            assertEquals(Errno.BADF, g.call("fd_sync", 1));
            assertEquals(Errno.BADF, g.call("fd_fdstat_set_flags", 1, Preview1.FDFLAG_APPEND));
        }
    }

    @Test
    void fdstatAndFilestatOfStdio() {
        try (Guest g = guest(null)) {
            long stat = g.alloc(24);
            assertEquals(0, g.call("fd_fdstat_get", 0, stat));
            assertEquals(Preview1.FILETYPE_UNKNOWN, g.memory.readByte(stat));
            assertEquals(Preview1.RIGHT_FD_READ, g.i64(stat + 8));
            assertEquals(Preview1.RIGHT_FD_READ, g.i64(stat + 16));
            assertEquals(0, g.call("fd_fdstat_get", 1, stat));
            assertEquals(Preview1.RIGHT_FD_WRITE, g.i64(stat + 8));
            assertEquals(0, g.memory.readI32(stat) >>> 16, "no fdflags");
            long filestat = g.alloc(64);
            g.memory.writeI64(filestat, -1);
            assertEquals(0, g.call("fd_filestat_get", 2, filestat));
            for (int i = 0; i < 64; i += 8) {
                assertEquals(0, g.i64(filestat + i));
            }
        }
    }

    @Test
    void badPointersTrapAndConsumeNothing() {
        try (Guest g = guest("keep")) {
            long out = g.alloc(4);
            assertEquals(Guest.TRAP, g.call("fd_write", 1, Guest.MEMORY - 4, 1, out));
            assertEquals(Guest.TRAP, g.call("fd_write", 1, g.iovecs(Guest.MEMORY - 2, 10), 1, out));
            assertEquals(Guest.TRAP, g.call("fd_read", 0, g.iovecs(Guest.MEMORY - 2, 10), 1, out));
            assertEquals(Guest.TRAP, g.call("fd_read", 0, g.iovecs(g.alloc(4), 4), 1, Guest.MEMORY));
            assertEquals("", g.stdout.toString(StandardCharsets.UTF_8));
            assertEquals(Errno.INVAL, g.call("fd_write", 1, g.iovecs(), 1025, out), "more than IOV_MAX iovecs");
        }
    }

    @Test
    void closingStdoutMakesItEbadf() {
        try (Guest g = guest(null)) {
            assertEquals(0, g.call("fd_close", 1));
            assertEquals(-Errno.BADF, g.write(1, "gone"));
            assertEquals(Errno.BADF, g.call("fd_close", 1));
        }
    }
}
