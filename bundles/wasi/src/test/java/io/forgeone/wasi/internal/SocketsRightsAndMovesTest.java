package io.forgeone.wasi.internal;

import static io.forgeone.wasi.internal.Preview1.LOOKUP_SYMLINK_FOLLOW;
import static io.forgeone.wasi.internal.Preview1.O_CREAT;
import static io.forgeone.wasi.internal.Preview1.O_DIRECTORY;
import static io.forgeone.wasi.internal.Preview1.O_EXCL;
import static io.forgeone.wasi.internal.Preview1.RIGHT_FD_READ;
import static io.forgeone.wasi.internal.Preview1.RIGHT_FD_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sockets on non-sockets, rights given up, renumbering, and descriptors that follow what they name. */
class SocketsRightsAndMovesTest {
    private static final long RW = RIGHT_FD_READ | RIGHT_FD_WRITE;

    @TempDir
    Path dir;

    @Test
    void socketCallsAnswerWhatWasmtimeAnswersForNonSockets() throws IOException {
        Files.writeString(dir.resolve("f"), "x");
        try (Guest g = Guest.withDir(dir)) {
            int file = g.openOk(3, "f", 0, RIGHT_FD_READ);
            long slot = g.alloc(16);
            assertEquals(Errno.BADF, g.call("sock_accept", 99, 0, slot));
            assertEquals(Errno.NOTSOCK, g.call("sock_accept", 3, 0, slot));
            assertEquals(Errno.INVAL, g.call("sock_accept", 3, 0x100, slot), "flags are checked first");
            assertEquals(Errno.NOTSOCK, g.call("sock_recv", 0, g.iovecs(slot, 4), 1, 0, slot, slot + 8));
            assertEquals(Errno.INVAL, g.call("sock_recv", 0, g.iovecs(slot, 4), 1, 4, slot, slot + 8));
            assertEquals(Errno.NOTSOCK, g.call("sock_send", file, g.iovecs(slot, 4), 1, 0, slot));
            assertEquals(Errno.BADF, g.call("sock_send", 99, 0, 0, 0, slot));
            assertEquals(Errno.NOTSOCK, g.call("sock_shutdown", 1, 3));
            assertEquals(Errno.INVAL, g.call("sock_shutdown", 1, 4));
            assertEquals(Map.of("fd", 1, "how", List.of("rd", "wr")),
                    g.function("sock_shutdown").describe(g.memory, new long[] {1, 3}));
            assertEquals(4L, g.function("sock_send").describe(g.memory, new long[] {file, g.iovecs(slot, 4), 1, 0, slot})
                    .get("bytes"));
        }
    }

    @Test
    void rightsGivenUpAreReportedAndEnforced() throws IOException {
        try (Guest g = Guest.withDir(dir)) {
            int fd = g.openOk(3, "f", O_CREAT, RW);
            long stat = g.alloc(24);
            assertEquals(0, g.call("fd_fdstat_get", fd, stat));
            long all = g.i64(stat + 8);
            assertEquals(0, g.call("fd_fdstat_set_rights", fd, all & ~RIGHT_FD_READ, all));
            assertEquals(0, g.call("fd_fdstat_get", fd, stat));
            assertEquals(all & ~RIGHT_FD_READ, g.i64(stat + 8));
            assertEquals("errno:NOTCAPABLE", g.read(fd, 1));
            assertEquals(1, g.write(fd, "y"));
            assertEquals(Errno.NOTCAPABLE, g.call("fd_fdstat_set_rights", fd, all, all), "rights never grow back");
            assertEquals(Errno.INVAL, g.call("fd_fdstat_set_rights", fd, 1L << 40, 0));
            assertEquals(Errno.BADF, g.call("fd_fdstat_set_rights", 1, 0, 0), "stdio, as wasmtime");

            assertEquals(0, g.call("fd_fdstat_get", 3, stat));
            assertEquals(0, g.call("fd_fdstat_set_rights", 3, g.i64(stat + 8), g.i64(stat + 16) & ~RIGHT_FD_WRITE));
            int ro = g.openOk(3, "f", 0, RW);
            assertEquals(-Errno.NOTCAPABLE, g.write(ro, "z"), "not inherited from the directory");
            assertEquals(0, g.call("fd_fdstat_get", 3, stat));
            assertEquals(0, g.call("fd_fdstat_set_rights", 3, g.i64(stat + 8) & ~Preview1.RIGHT_PATH_OPEN, 0));
            assertEquals(Errno.NOTCAPABLE, g.openErrno(3, 0, "f", 0));
        }
    }

    @Test
    void renumberNeedsBothDescriptorsOpen() throws IOException {
        try (Guest g = Guest.withDir(dir)) {
            int a = g.openOk(3, "a", O_CREAT, RW);
            assertEquals(Errno.BADF, g.call("fd_renumber", a, 127), "as wasmtime: the target must be open");
            assertEquals(Errno.BADF, g.call("fd_renumber", 127, a));
            int b = g.openOk(3, "b", O_CREAT, RW);
            assertEquals(0, g.call("fd_renumber", a, b));
            assertEquals(Errno.BADF, g.call("fd_close", a));
            assertEquals(0, g.call("fd_renumber", 0, 0));
        }
    }

    @Test
    void linkSymlinkAndExclusiveCreateEdges() throws IOException {
        Files.writeString(dir.resolve("file"), "x");
        Files.createSymbolicLink(dir.resolve("dangling"), Path.of("target"));
        try (Guest g = Guest.withDir(dir)) {
            assertEquals(Errno.INVAL, g.call("path_link", 3, LOOKUP_SYMLINK_FOLLOW, g.string("file"), 4, 3,
                    g.string("l"), 1));
            assertEquals(Errno.NOENT, g.call("path_link", 3, 0, g.string("file"), 4, 3, g.string("l/"), 2));
            assertEquals(Errno.NOTDIR, g.call("path_symlink", g.string("s"), 1, 3, g.string("file/"), 5));
            assertEquals(Errno.NOENT, g.call("path_symlink", g.string("s"), 1, 3, g.string("new/"), 4));
            assertEquals(Errno.EXIST, g.open(3, LOOKUP_SYMLINK_FOLLOW, "dangling", O_CREAT | O_EXCL, RW, 0, g.alloc(4)),
                    "O_EXCL never follows a final symlink");
            assertFalse(Files.exists(dir.resolve("target"), LinkOption.NOFOLLOW_LINKS));
            assertEquals(Errno.NOTDIR, g.openErrno(3, 0, "dangling", O_DIRECTORY), "Linux checks O_DIRECTORY first");
            assertEquals(Errno.LOOP, g.openErrno(3, 0, "dangling", 0));
            assertEquals(Errno.PERM, g.openErrno(3, 0, "/file", 0), "escapes are EPERM, as wasmtime");
        }
    }

    @Test
    void descriptorsFollowWhatTheyNameWhenItIsRenamed() throws IOException {
        Files.createDirectories(dir.resolve("a/b"));
        try (Guest g = Guest.withDir(dir)) {
            int file = g.openOk(3, "a/f", O_CREAT, RW);
            assertEquals(3, g.write(file, "abc"));
            int sub = g.openOk(3, "a/b", O_DIRECTORY, RIGHT_FD_READ);
            Files.move(dir.resolve("a"), dir.resolve("c"));
            long stat = g.alloc(64);
            assertEquals(0, g.call("fd_filestat_get", file, stat));
            assertEquals(3, g.i64(stat + Preview1.FILESTAT_SIZE_FIELD));
            assertEquals(1, g.i64(stat + Preview1.FILESTAT_NLINK));
            assertEquals(0, g.call("fd_filestat_set_times", file, 0, 1_234_567_891_123_456_789L, Preview1.FST_MTIM));
            assertEquals(1_234_567_891_123_456_789L,
                    FileStats.nanos(Files.getLastModifiedTime(dir.resolve("c/f"))), "nanoseconds kept exactly");
            int created = g.openOk(sub, "new", O_CREAT, RW);
            assertTrue(Files.exists(dir.resolve("c/b/new")), "created where the directory is now");
            assertEquals(0, g.call("fd_close", created));
            Files.delete(dir.resolve("c/f"));
            assertEquals(0, g.call("fd_filestat_get", file, stat), "a deleted file is still described");
            assertEquals(0, g.i64(stat + Preview1.FILESTAT_NLINK));
            assertEquals(Errno.NOTSUP, g.call("fd_filestat_set_times", file, 0, 1, Preview1.FST_MTIM));
        }
    }
}
