package io.forgeone.wasi.internal;

import static io.forgeone.wasi.internal.Preview1.O_CREAT;
import static io.forgeone.wasi.internal.Preview1.O_DIRECTORY;
import static io.forgeone.wasi.internal.Preview1.O_EXCL;
import static io.forgeone.wasi.internal.Preview1.O_TRUNC;
import static io.forgeone.wasi.internal.Preview1.RIGHT_FD_READ;
import static io.forgeone.wasi.internal.Preview1.RIGHT_FD_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.wasi.Preopen;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesTest {
    private static final long RW = RIGHT_FD_READ | RIGHT_FD_WRITE;

    @TempDir
    Path dir;

    @Test
    void createWriteSeekReadClose() throws IOException {
        try (Guest g = Guest.withDir(dir)) {
            int fd = g.openOk(3, "hello.txt", O_CREAT, RW);
            assertEquals(4, fd, "first free descriptor after the preopen");
            assertEquals(11, g.write(fd, "hello world"));
            assertEquals("hello world", Files.readString(dir.resolve("hello.txt")));
            long pos = g.alloc(8);
            assertEquals(0, g.call("fd_tell", fd, pos));
            assertEquals(11, g.i64(pos));
            assertEquals("", g.read(fd, 10), "at end of file");
            assertEquals(0, g.call("fd_seek", fd, 6, Preview1.WHENCE_SET, pos));
            assertEquals(6, g.i64(pos));
            assertEquals("world", g.read(fd, 10));
            assertEquals(0, g.call("fd_seek", fd, -5, Preview1.WHENCE_END, pos));
            assertEquals(6, g.i64(pos));
            assertEquals(0, g.call("fd_seek", fd, -6, Preview1.WHENCE_CUR, pos));
            assertEquals(0, g.i64(pos));
            assertEquals("hello", g.read(fd, 5));
            assertEquals(Errno.INVAL, g.call("fd_seek", fd, -100, Preview1.WHENCE_CUR, pos));
            assertEquals(Errno.INVAL, g.call("fd_seek", fd, -1, Preview1.WHENCE_SET, pos));
            assertEquals(Errno.INVAL, g.call("fd_seek", fd, 0, 3, pos));
            assertEquals(0, g.call("fd_seek", fd, 100, Preview1.WHENCE_SET, pos), "seeking past the end is allowed");
            assertEquals(0, g.call("fd_close", fd));
            assertEquals(Errno.BADF, g.call("fd_close", fd));
            assertEquals("errno:BADF", g.read(fd, 1));
        }
    }

    @Test
    void scatterReadAndGatherWriteOnFiles() throws IOException {
        Files.writeString(dir.resolve("data"), "0123456789");
        try (Guest g = Guest.withDir(dir)) {
            int fd = g.openOk(3, "data", 0, RW);
            long a = g.alloc(3);
            long b = g.alloc(4);
            long out = g.alloc(4);
            assertEquals(0, g.call("fd_read", fd, g.iovecs(a, 3, b, 4), 2, out));
            assertEquals(7, g.i32(out));
            assertEquals("012", g.readString(a, 3));
            assertEquals("3456", g.readString(b, 4));
            assertEquals(0, g.call("fd_write", fd, g.iovecs(g.string("AB"), 2, g.string("C"), 1), 2, out));
            assertEquals(3, g.i32(out));
            assertEquals("0123456ABC", Files.readString(dir.resolve("data")));
        }
    }

    @Test
    void preadAndPwriteLeaveTheOffsetAlone() throws IOException {
        Files.writeString(dir.resolve("data"), "abcdef");
        try (Guest g = Guest.withDir(dir)) {
            int fd = g.openOk(3, "data", 0, RW);
            long buf = g.alloc(3);
            long out = g.alloc(8);
            assertEquals(0, g.call("fd_pread", fd, g.iovecs(buf, 3), 1, 2, out));
            assertEquals(3, g.i32(out));
            assertEquals("cde", g.readString(buf, 3));
            assertEquals(0, g.call("fd_pwrite", fd, g.iovecs(g.string("XY"), 2), 1, 4, out));
            assertEquals(2, g.i32(out));
            assertEquals(0, g.call("fd_tell", fd, out));
            assertEquals(0, g.i64(out));
            assertEquals("abcdXY", Files.readString(dir.resolve("data")));
            assertEquals(Errno.INVAL, g.call("fd_pread", fd, g.iovecs(buf, 3), 1, -1, out));
        }
    }

    @Test
    void appendFlagIsTrackedAndReported() throws IOException {
        Files.writeString(dir.resolve("log"), "one\n");
        try (Guest g = Guest.withDir(dir)) {
            long fdOut = g.alloc(4);
            int flags = Preview1.FDFLAG_APPEND | Preview1.FDFLAG_NONBLOCK;
            assertEquals(0, g.open(3, 0, "log", 0, RW, flags, fdOut));
            int fd = g.i32(fdOut);
            assertEquals(4, g.write(fd, "two\n"));
            assertEquals("one\ntwo\n", Files.readString(dir.resolve("log")));
            long stat = g.alloc(24);
            assertEquals(0, g.call("fd_fdstat_get", fd, stat));
            assertEquals(Preview1.FILETYPE_REGULAR_FILE, g.memory.readByte(stat));
            assertEquals(flags, g.memory.readI32(stat) >>> 16);
            assertEquals(Preview1.RIGHTS_ALL, g.i64(stat + 8));
            assertEquals(Preview1.RIGHTS_ALL, g.i64(stat + 16));

            assertEquals(0, g.call("fd_fdstat_set_flags", fd, 0));
            assertEquals(0, g.call("fd_fdstat_get", fd, stat));
            assertEquals(0, g.memory.readI32(stat) >>> 16);
            long pos = g.alloc(8);
            assertEquals(0, g.call("fd_seek", fd, 0, Preview1.WHENCE_SET, pos));
            assertEquals(3, g.write(fd, "ONE"));
            assertEquals("ONE\ntwo\n", Files.readString(dir.resolve("log")));
            assertEquals(Errno.INVAL, g.call("fd_fdstat_set_flags", fd, Preview1.FDFLAG_SYNC));
            assertEquals(Errno.INVAL, g.call("fd_fdstat_set_flags", fd, 0x20));
        }
    }

    @Test
    void rightsFollowTheOpenMode() throws IOException {
        Files.writeString(dir.resolve("ro"), "x");
        try (Guest g = Guest.withDir(dir)) {
            int ro = g.openOk(3, "ro", 0, RIGHT_FD_READ);
            long stat = g.alloc(24);
            assertEquals(0, g.call("fd_fdstat_get", ro, stat));
            assertEquals(Preview1.RIGHTS_ALL & ~RIGHT_FD_WRITE, g.i64(stat + 8));
            assertEquals(-Errno.BADF, g.write(ro, "no"), "writing a read-only descriptor");

            int wo = g.openOk(3, "ro", 0, RIGHT_FD_WRITE);
            assertEquals(0, g.call("fd_fdstat_get", wo, stat));
            assertEquals(Preview1.RIGHTS_ALL & ~(RIGHT_FD_READ | Preview1.RIGHT_FD_READDIR), g.i64(stat + 8));
            assertEquals("errno:BADF", g.read(wo, 1));

            assertEquals(0, g.call("fd_fdstat_get", 3, stat));
            assertEquals(Preview1.FILETYPE_DIRECTORY, g.memory.readByte(stat));
            assertEquals(Preview1.RIGHTS_PREOPEN_BASE, g.i64(stat + 8));
            assertEquals(Preview1.RIGHTS_PREOPEN_INHERITING, g.i64(stat + 16));

            Files.createDirectory(dir.resolve("sub"));
            int sub = g.openOk(3, "sub", O_DIRECTORY, RIGHT_FD_READ | Preview1.RIGHT_FD_READDIR);
            assertEquals(0, g.call("fd_fdstat_get", sub, stat));
            assertEquals(Preview1.FILETYPE_DIRECTORY, g.memory.readByte(stat));
            long dirRights = Preview1.RIGHTS_ALL & ~(Preview1.RIGHT_FD_SEEK | Preview1.RIGHT_FD_FILESTAT_SET_SIZE
                    | Preview1.RIGHT_PATH_FILESTAT_SET_SIZE | RIGHT_FD_WRITE);
            assertEquals(dirRights, g.i64(stat + 8));
        }
    }

    @Test
    void openErrors() throws IOException {
        Files.writeString(dir.resolve("file"), "x");
        Files.createDirectory(dir.resolve("sub"));
        try (Guest g = Guest.withDir(dir)) {
            assertEquals(Errno.NOENT, g.openErrno(3, 0, "missing", 0));
            assertEquals(Errno.NOENT, g.openErrno(3, 0, "missing/file", O_CREAT));
            assertEquals(Errno.NOENT, g.openErrno(3, 0, "", 0), "empty path");
            assertEquals(Errno.EXIST, g.openErrno(3, 0, "file", O_CREAT | O_EXCL));
            assertEquals(Errno.EXIST, g.openErrno(3, 0, "sub", O_CREAT | O_EXCL));
            assertEquals(Errno.NOTDIR, g.openErrno(3, 0, "file", O_DIRECTORY));
            assertEquals(Errno.NOTDIR, g.openErrno(3, 0, "file/", 0), "trailing slash on a file");
            assertEquals(Errno.NOTDIR, g.openErrno(3, 0, "file///", 0));
            assertEquals(Errno.NOTDIR, g.openErrno(3, 0, "file/x", 0));
            assertEquals(Errno.ISDIR, g.open(3, 0, "sub", 0, RW, 0, g.alloc(4)), "directory for writing");
            assertEquals(Errno.ISDIR, g.openErrno(3, 0, "sub", O_CREAT));
            assertEquals(Errno.ISDIR, g.openErrno(3, 0, "sub", O_TRUNC));
            assertEquals(Errno.INVAL, g.openErrno(3, 0, "sub", O_DIRECTORY | O_CREAT));
            assertEquals(Errno.INVAL, g.openErrno(3, 0, "file", 0x10), "unknown oflag");
            assertEquals(Errno.INVAL, g.openErrno(3, 2, "file", 0), "unknown lookupflag");
            assertEquals(Errno.INVAL, g.openErrno(3, 0, "file\0", 0), "NUL in path");
            long bad = g.alloc(2);
            g.memory.writeByte(bad, (byte) 0xC3);
            g.memory.writeByte(bad + 1, (byte) 0x28);
            assertEquals(Errno.ILSEQ, g.call("path_open", 3, 0, bad, 2, 0, RIGHT_FD_READ, 0, 0, g.alloc(4)));
            assertEquals(Errno.NAMETOOLONG, g.openErrno(3, 0, "a".repeat(5000), 0));

            int file = g.openOk(3, "file", 0, RIGHT_FD_READ);
            assertEquals(Errno.NOTDIR, g.openErrno(file, 0, "x", O_CREAT), "base is a file");
            assertEquals(Errno.BADF, g.openErrno(1, 0, "x", 0), "base is stdout");
            assertEquals(Errno.BADF, g.openErrno(42, 0, "x", 0), "base never opened");

            int sub = g.openOk(3, "sub/", 0, RIGHT_FD_READ);
            assertTrue(sub > 4);
            int self = g.openOk(3, ".", O_DIRECTORY, RIGHT_FD_READ);
            assertTrue(self > sub);
        }
    }

    @Test
    void truncateAndCreateExclusive() throws IOException {
        Files.writeString(dir.resolve("t"), "long content");
        try (Guest g = Guest.withDir(dir)) {
            int fd = g.openOk(3, "t", O_TRUNC, RIGHT_FD_READ);
            assertEquals(0, Files.size(dir.resolve("t")));
            g.call("fd_close", fd);
            int created = g.openOk(3, "new", O_CREAT | O_EXCL, RW);
            assertTrue(Files.isRegularFile(dir.resolve("new")));
            assertEquals(0, g.call("fd_filestat_set_size", created, 10));
            assertEquals(10, Files.size(dir.resolve("new")));
            assertEquals(0, g.call("fd_filestat_set_size", created, 3));
            assertEquals(3, Files.size(dir.resolve("new")));
            assertEquals(Errno.INVAL, g.call("fd_filestat_set_size", created, -1));
            assertEquals(Errno.BADF, g.call("fd_filestat_set_size", 3, 0));
            assertEquals(0, g.call("fd_sync", created));
            assertEquals(0, g.call("fd_datasync", created));
            assertEquals(Errno.BADF, g.call("fd_datasync", 3));
        }
    }

    @Test
    void prestat() {
        try (Guest g = new Guest(List.of(), Map.of(),
                List.of(new Preopen(dir, "/sandbox"), new Preopen(dir, ".")), null)) {
            long out = g.alloc(8);
            g.memory.writeI64(out, -1);
            assertEquals(0, g.call("fd_prestat_get", 3, out));
            assertEquals(0, g.memory.readByte(out), "tag dir");
            assertEquals(0, g.memory.readByte(out + 1), "padding");
            assertEquals(8, g.i32(out + 4));
            long name = g.alloc(16);
            assertEquals(0, g.call("fd_prestat_dir_name", 3, name, 8));
            assertEquals("/sandbox", g.readString(name, 8));
            assertEquals(Errno.NAMETOOLONG, g.call("fd_prestat_dir_name", 3, name, 7));
            assertEquals(0, g.call("fd_prestat_get", 4, out));
            assertEquals(1, g.i32(out + 4));
            assertEquals(Errno.BADF, g.call("fd_prestat_get", 5, out));
            assertEquals(Errno.BADF, g.call("fd_prestat_get", 1, out));
            assertEquals(Errno.BADF, g.call("fd_prestat_dir_name", 5, name, 8));
            assertEquals(Errno.NOTDIR, g.call("fd_prestat_dir_name", 1, name, 8));
            int sub = g.openOk(3, ".", 0, RIGHT_FD_READ);
            assertEquals(Errno.BADF, g.call("fd_prestat_get", sub, out), "not a preopen");
            assertEquals(Errno.NOTDIR, g.call("fd_prestat_dir_name", sub, name, 8));
        }
    }

    private record Dirent(long next, long ino, String name, int type) {
    }

    private static List<Dirent> parse(Guest g, long buf, int used) {
        List<Dirent> entries = new ArrayList<>();
        int at = 0;
        while (at + 24 <= used) {
            long next = g.i64(buf + at);
            long ino = g.i64(buf + at + 8);
            int namlen = g.i32(buf + at + 16);
            int type = g.memory.readByte(buf + at + 20);
            if (at + 24 + namlen > used) {
                break;
            }
            entries.add(new Dirent(next, ino, g.readString(buf + at + 24, namlen), type));
            at += 24 + namlen;
        }
        return entries;
    }

    @Test
    void readdirWithDotEntriesAndCookies() throws IOException {
        Files.writeString(dir.resolve("b-file"), "x");
        Files.createDirectory(dir.resolve("a-dir"));
        Files.createSymbolicLink(dir.resolve("c-link"), Path.of("b-file"));
        try (Guest g = Guest.withDir(dir)) {
            long buf = g.alloc(4096);
            long used = g.alloc(4);
            assertEquals(0, g.call("fd_readdir", 3, buf, 4096, 0, used));
            List<Dirent> all = parse(g, buf, g.i32(used));
            assertEquals(List.of(".", "..", "a-dir", "b-file", "c-link"), all.stream().map(Dirent::name).toList());
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), all.stream().map(Dirent::next).toList());
            assertEquals(Preview1.FILETYPE_DIRECTORY, all.get(0).type());
            assertEquals(Preview1.FILETYPE_DIRECTORY, all.get(2).type());
            assertEquals(Preview1.FILETYPE_REGULAR_FILE, all.get(3).type());
            assertEquals(Preview1.FILETYPE_SYMBOLIC_LINK, all.get(4).type());
            assertTrue(g.i32(used) < 4096, "everything fit");

            long stat = g.alloc(64);
            assertEquals(0, g.call("fd_filestat_get", 3, stat));
            assertEquals(g.i64(stat + 8), all.get(0).ino(), "d_ino of . is the directory's ino");
            int file = g.openOk(3, "b-file", 0, RIGHT_FD_READ);
            assertEquals(0, g.call("fd_filestat_get", file, stat));
            assertEquals(g.i64(stat + 8), all.get(3).ino());

            assertEquals(0, g.call("fd_readdir", 3, buf, 4096, all.get(2).next(), used));
            assertEquals(List.of("b-file", "c-link"), parse(g, buf, g.i32(used)).stream().map(Dirent::name).toList());
            assertEquals(0, g.call("fd_readdir", 3, buf, 4096, 5, used));
            assertEquals(0, g.i32(used), "cookie at the end");
            assertEquals(0, g.call("fd_readdir", 3, buf, 4096, 99, used));
            assertEquals(0, g.i32(used), "cookie past the end");

            // A buffer too small for everything: filled completely, the guest resumes from the last whole entry.
            assertEquals(0, g.call("fd_readdir", 3, buf, 60, 0, used));
            assertEquals(60, g.i32(used));
            List<Dirent> firstPage = parse(g, buf, 60);
            assertEquals(List.of(".", ".."), firstPage.stream().map(Dirent::name).toList());
            List<String> names = new ArrayList<>();
            long cookie = 0;
            while (true) {
                assertEquals(0, g.call("fd_readdir", 3, buf, 40, cookie, used));
                List<Dirent> page = parse(g, buf, g.i32(used));
                page.forEach(d -> names.add(d.name()));
                if (g.i32(used) < 40) {
                    break;
                }
                cookie = page.get(page.size() - 1).next();
            }
            assertEquals(List.of(".", "..", "a-dir", "b-file", "c-link"), names);

            assertEquals(Errno.BADF, g.call("fd_readdir", file, buf, 4096, 0, used));
            assertEquals(Errno.BADF, g.call("fd_readdir", 1, buf, 4096, 0, used));
            assertEquals(Guest.TRAP, g.call("fd_readdir", 3, Guest.MEMORY - 10, 4096, 0, used));
        }
    }

    @Test
    void readdirOfAnEmptySubdirectory() throws IOException {
        Files.createDirectory(dir.resolve("empty"));
        try (Guest g = Guest.withDir(dir)) {
            int sub = g.openOk(3, "empty", O_DIRECTORY, RIGHT_FD_READ);
            long buf = g.alloc(256);
            long used = g.alloc(4);
            assertEquals(0, g.call("fd_readdir", sub, buf, 256, 0, used));
            assertEquals(List.of(".", ".."), parse(g, buf, g.i32(used)).stream().map(Dirent::name).toList());
        }
    }

    @Test
    void filestat() throws IOException {
        Files.writeString(dir.resolve("f"), "12345");
        Files.createSymbolicLink(dir.resolve("link"), Path.of("f"));
        try (Guest g = Guest.withDir(dir)) {
            long stat = g.alloc(64);
            assertEquals(0, g.call("path_filestat_get", 3, 0, g.string("f"), 1, stat));
            assertEquals(1, g.i64(stat), "dev");
            long ino = g.i64(stat + 8);
            assertNotEquals(0, ino);
            assertEquals(Preview1.FILETYPE_REGULAR_FILE, g.memory.readByte(stat + 16));
            assertEquals(1, g.i64(stat + 24), "nlink");
            assertEquals(5, g.i64(stat + 32), "size");
            long mtime = Files.getLastModifiedTime(dir.resolve("f")).toInstant().toEpochMilli();
            assertEquals(mtime, g.i64(stat + 48) / 1_000_000, "mtim in ns");
            assertTrue(g.i64(stat + 40) > 0 && g.i64(stat + 56) > 0, "atim and ctim");

            assertEquals(0, g.call("path_filestat_get", 3, 0, g.string("link"), 4, stat));
            assertEquals(Preview1.FILETYPE_SYMBOLIC_LINK, g.memory.readByte(stat + 16));
            assertEquals(1, g.i64(stat + 32), "a symlink's size is its target's length");
            assertNotEquals(ino, g.i64(stat + 8));
            assertEquals(0, g.call("path_filestat_get", 3, Preview1.LOOKUP_SYMLINK_FOLLOW, g.string("link"), 4, stat));
            assertEquals(Preview1.FILETYPE_REGULAR_FILE, g.memory.readByte(stat + 16));
            assertEquals(ino, g.i64(stat + 8));

            int fd = g.openOk(3, "f", 0, RIGHT_FD_READ);
            assertEquals(0, g.call("fd_filestat_get", fd, stat));
            assertEquals(ino, g.i64(stat + 8));
            assertEquals(5, g.i64(stat + 32));
            Files.move(dir.resolve("f"), dir.resolve("moved"));
            assertEquals(0, g.call("fd_filestat_get", fd, stat), "still works after the file moved");
            assertEquals(5, g.i64(stat + 32));

            assertEquals(0, g.call("path_filestat_get", 3, 0, g.string("."), 1, stat));
            assertEquals(Preview1.FILETYPE_DIRECTORY, g.memory.readByte(stat + 16));
            assertEquals(Errno.NOENT, g.call("path_filestat_get", 3, 0, g.string("nope"), 4, stat));
            assertEquals(Guest.TRAP, g.call("path_filestat_get", 3, 0, g.string("moved"), 5, Guest.MEMORY - 8));
        }
    }

    @Test
    void directoriesAndEntries() throws IOException {
        try (Guest g = Guest.withDir(dir)) {
            assertEquals(0, g.pathCall("path_create_directory", 3, "d"));
            assertTrue(Files.isDirectory(dir.resolve("d")));
            assertEquals(0, g.pathCall("path_create_directory", 3, "d/e/"));
            assertTrue(Files.isDirectory(dir.resolve("d/e")));
            assertEquals(Errno.EXIST, g.pathCall("path_create_directory", 3, "d"));
            assertEquals(Errno.EXIST, g.pathCall("path_create_directory", 3, "."));
            assertEquals(Errno.NOENT, g.pathCall("path_create_directory", 3, "x/y"));

            g.call("fd_close", g.openOk(3, "d/f", O_CREAT, RW));
            assertEquals(Errno.NOTEMPTY, g.pathCall("path_remove_directory", 3, "d"));
            assertEquals(Errno.ISDIR, g.pathCall("path_unlink_file", 3, "d"));
            assertEquals(Errno.ISDIR, g.pathCall("path_unlink_file", 3, "d/"));
            assertEquals(Errno.NOTDIR, g.pathCall("path_unlink_file", 3, "d/f/"));
            assertEquals(Errno.NOTDIR, g.pathCall("path_remove_directory", 3, "d/f"));
            assertEquals(Errno.INVAL, g.pathCall("path_remove_directory", 3, "."));
            assertEquals(0, g.pathCall("path_unlink_file", 3, "d/f"));
            assertFalse(Files.exists(dir.resolve("d/f")));
            assertEquals(Errno.NOENT, g.pathCall("path_unlink_file", 3, "d/f"));
            assertEquals(0, g.pathCall("path_remove_directory", 3, "d/e/"));
            assertEquals(Errno.NOENT, g.pathCall("path_remove_directory", 3, "d/e"));

            g.call("fd_close", g.openOk(3, "a", O_CREAT, RW));
            assertEquals(0, g.call("path_rename", 3, g.string("a"), 1, 3, g.string("d/b"), 3));
            assertTrue(Files.exists(dir.resolve("d/b")));
            assertFalse(Files.exists(dir.resolve("a")));
            assertEquals(Errno.NOENT, g.call("path_rename", 3, g.string("a"), 1, 3, g.string("c"), 1));
            assertEquals(Errno.NOTDIR, g.call("path_rename", 3, g.string("d/b/"), 4, 3, g.string("c"), 1));
            assertEquals(Errno.BUSY, g.call("path_rename", 3, g.string("."), 1, 3, g.string("c"), 1));
            int sub = g.openOk(3, "d", O_DIRECTORY, RIGHT_FD_READ);
            assertEquals(0, g.call("path_rename", sub, g.string("b"), 1, 3, g.string("top"), 3));
            assertTrue(Files.exists(dir.resolve("top")));

            assertEquals(0, g.call("path_symlink", g.string("top"), 3, 3, g.string("ln"), 2));
            assertEquals("top", Files.readSymbolicLink(dir.resolve("ln")).toString());
            long buf = g.alloc(16);
            long used = g.alloc(4);
            assertEquals(0, g.call("path_readlink", 3, g.string("ln"), 2, buf, 16, used));
            assertEquals(3, g.i32(used));
            assertEquals("top", g.readString(buf, 3));
            assertEquals(0, g.call("path_readlink", 3, g.string("ln"), 2, buf, 2, used));
            assertEquals(2, g.i32(used), "truncated to the buffer");
            assertEquals(Errno.INVAL, g.call("path_readlink", 3, g.string("top"), 3, buf, 16, used));
            assertEquals(Errno.EXIST, g.call("path_symlink", g.string("x"), 1, 3, g.string("ln"), 2));
            assertEquals(0, g.pathCall("path_unlink_file", 3, "ln"));
            assertTrue(Files.exists(dir.resolve("top")), "unlinking a symlink leaves its target");
        }
    }

    @Test
    void descriptorLimitIsEmfile() throws IOException {
        Files.writeString(dir.resolve("f"), "x");
        try (Guest g = new Guest(List.of(), Map.of(), List.of(new Preopen(dir, ".")), null, 6)) {
            int a = g.openOk(3, "f", 0, RIGHT_FD_READ);
            int b = g.openOk(3, "f", 0, RIGHT_FD_READ);
            assertEquals(Errno.MFILE, g.openErrno(3, 0, "f", 0));
            assertEquals(0, g.call("fd_close", a));
            assertEquals(a, g.openOk(3, "f", 0, RIGHT_FD_READ), "a freed number is reused");
            assertEquals(6, g.env.openDescriptors());
            assertNotEquals(a, b);
        }
    }

    @Test
    void closingTheEnvironmentClosesEverything() throws IOException {
        Files.writeString(dir.resolve("f"), "x");
        Guest g = Guest.withDir(dir);
        int fd = g.openOk(3, "f", 0, RIGHT_FD_READ);
        g.close();
        assertEquals(0, g.env.openDescriptors());
        assertEquals("errno:BADF", g.read(fd, 1));
        assertEquals(-Errno.BADF, g.write(1, "x"));
        assertEquals(Errno.BADF, g.openErrno(3, 0, "f", 0));
    }

    @Test
    void writeOnAFileDescriptorReachesTheDiskImmediately() throws IOException {
        try (Guest g = Guest.withDir(dir)) {
            int fd = g.openOk(3, "out", O_CREAT | O_TRUNC, RIGHT_FD_WRITE);
            g.write(fd, "é");
            assertEquals("é", new String(Files.readAllBytes(dir.resolve("out")), StandardCharsets.UTF_8));
        }
    }
}
