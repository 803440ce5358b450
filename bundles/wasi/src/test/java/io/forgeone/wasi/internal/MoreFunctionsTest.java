package io.forgeone.wasi.internal;

import static io.forgeone.wasi.internal.Preview1.LOOKUP_SYMLINK_FOLLOW;
import static io.forgeone.wasi.internal.Preview1.O_CREAT;
import static io.forgeone.wasi.internal.Preview1.RIGHT_FD_READ;
import static io.forgeone.wasi.internal.Preview1.RIGHT_FD_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preview1 functions beyond the first set: renumber, times, links, advice, rights, signals. */
class MoreFunctionsTest {
    @TempDir
    Path dir;

    @Test
    void renumberMovesADescriptorAndClosesTheOneItReplaces() throws IOException {
        Files.writeString(dir.resolve("a"), "A");
        Files.writeString(dir.resolve("b"), "B");
        try (Guest g = Guest.withDir(dir)) {
            int a = g.openOk(3, "a", 0, RIGHT_FD_READ);
            int b = g.openOk(3, "b", 0, RIGHT_FD_READ);
            assertEquals(0, g.call("fd_renumber", a, b));
            assertEquals("A", g.read(b, 10));
            assertEquals("errno:BADF", g.read(a, 10));
            assertEquals(0, g.call("fd_renumber", b, b));
            assertEquals(Errno.BADF, g.call("fd_renumber", 77, b));
            assertEquals(0, g.call("fd_renumber", b, 1), "stdout may be replaced, as with dup2");
            assertEquals(-Errno.BADF, g.write(1, "x"), "fd 1 is now the read-only file");
            assertEquals(4, g.env.openDescriptors(), "stdio, preopen, and the file on fd 1");
        }
    }

    @Test
    void setTimesOnPathsAndDescriptors() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Files.createSymbolicLink(dir.resolve("link"), Path.of("f"));
        long t1 = 1_600_000_000_123_456_789L;
        long t2 = 1_500_000_000_000_000_000L;
        try (Guest g = Guest.withDir(dir)) {
            long path = g.string("f");
            assertEquals(0, g.call("path_filestat_set_times", 3, 0, path, 1, t1, t2,
                    Preview1.FST_ATIM | Preview1.FST_MTIM));
            assertEquals(Instant.ofEpochSecond(1_500_000_000L), Files.getLastModifiedTime(file).toInstant());
            FileTime atime = (FileTime) Files.getAttribute(file, "lastAccessTime");
            assertEquals(1_600_000_000L, atime.toInstant().getEpochSecond());

            assertEquals(Errno.INVAL, g.call("path_filestat_set_times", 3, 0, path, 1, 0, 0,
                    Preview1.FST_MTIM | Preview1.FST_MTIM_NOW));
            assertEquals(Errno.INVAL, g.call("path_filestat_set_times", 3, 0, path, 1, 0, 0, 0x10));

            assertEquals(0, g.call("path_filestat_set_times", 3, LOOKUP_SYMLINK_FOLLOW, g.string("link"), 4, 0, t1,
                    Preview1.FST_MTIM));
            assertEquals(1_600_000_000L, Files.getLastModifiedTime(file).toInstant().getEpochSecond(), "followed");

            int fd = g.openOk(3, "f", 0, RIGHT_FD_READ);
            long before = System.currentTimeMillis() - 5_000;
            assertEquals(0, g.call("fd_filestat_set_times", fd, 0, 0, Preview1.FST_MTIM_NOW));
            assertTrue(Files.getLastModifiedTime(file).toMillis() >= before);
            assertEquals(0, g.call("fd_filestat_set_times", 3, 0, t2, Preview1.FST_MTIM));
            assertEquals(1_500_000_000L, Files.getLastModifiedTime(dir).toInstant().getEpochSecond());
            assertEquals(Errno.BADF, g.call("fd_filestat_set_times", 1, 0, 0, Preview1.FST_MTIM_NOW));
            assertEquals(Errno.NOENT, g.call("path_filestat_set_times", 3, 0, g.string("nope"), 4, 0, 0, 0));
        }
    }

    @Test
    void hardLinksStayInside() throws IOException {
        Files.writeString(dir.resolve("f"), "content");
        Files.createDirectory(dir.resolve("d"));
        Files.createSymbolicLink(dir.resolve("sym"), Path.of("f"));
        try (Guest g = Guest.withDir(dir)) {
            assertEquals(0, g.call("path_link", 3, 0, g.string("f"), 1, 3, g.string("d/g"), 3));
            assertEquals("content", Files.readString(dir.resolve("d/g")));
            assertEquals(Errno.EXIST, g.call("path_link", 3, 0, g.string("f"), 1, 3, g.string("d/g"), 3));
            assertEquals(Errno.PERM, g.call("path_link", 3, 0, g.string("d"), 1, 3, g.string("e"), 1));
            assertEquals(Errno.NOENT, g.call("path_link", 3, 0, g.string("nope"), 4, 3, g.string("e"), 1));
            assertEquals(Errno.INVAL, g.call("path_link", 3, LOOKUP_SYMLINK_FOLLOW, g.string("sym"), 3, 3, g.string("h"), 1),
                    "as wasmtime: following a symlink is refused");
            assertFalse(Files.exists(dir.resolve("h"), LinkOption.NOFOLLOW_LINKS));
            assertEquals(Errno.NOENT, g.call("path_link", 3, 0, g.string("f"), 1, 3, g.string("h/"), 2), "linkat: trailing slash");
            assertEquals(0, g.call("path_link", 3, 0, g.string("sym"), 3, 3, g.string("s2"), 2));
            assertTrue(Files.isSymbolicLink(dir.resolve("s2")), "without follow the symlink itself is linked");
            assertEquals(Errno.PERM, g.call("path_link", 3, 0, g.string("../x"), 4, 3, g.string("i"), 1));
            assertEquals(Errno.PERM, g.call("path_link", 3, 0, g.string("f"), 1, 3, g.string("../i"), 4));
        }
    }

    @Test
    void adviceAllocateRightsAndSignals() throws IOException {
        Files.writeString(dir.resolve("f"), "x");
        try (Guest g = Guest.withDir(dir)) {
            int fd = g.openOk(3, "f", O_CREAT, RIGHT_FD_READ | RIGHT_FD_WRITE);
            assertEquals(0, g.call("fd_advise", fd, 0, 10, 1));
            assertEquals(Errno.INVAL, g.call("fd_advise", fd, 0, 10, 6));
            assertEquals(Errno.BADF, g.call("fd_advise", 3, 0, 10, 0));
            assertEquals(Errno.NOTSUP, g.call("fd_allocate", fd, 0, 10));
            assertEquals(Errno.BADF, g.call("fd_allocate", 1, 0, 10));
            assertEquals(0, g.call("fd_fdstat_set_rights", fd, 0, 0));
            assertEquals(0, g.call("fd_fdstat_set_rights", 3, 0, 0));
            assertEquals(Errno.BADF, g.call("fd_fdstat_set_rights", 1, 0, 0));
            assertEquals(Errno.INVAL, g.call("fd_fdstat_set_rights", fd, 1L << 40, 0));
            assertEquals(Errno.NOTSUP, g.call("proc_raise", 9));
            assertEquals(Errno.INVAL, g.call("proc_raise", 31));
        }
    }
}
