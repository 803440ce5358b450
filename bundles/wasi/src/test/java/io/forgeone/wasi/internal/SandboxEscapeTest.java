package io.forgeone.wasi.internal;

import static io.forgeone.wasi.internal.Preview1.LOOKUP_SYMLINK_FOLLOW;
import static io.forgeone.wasi.internal.Preview1.O_CREAT;
import static io.forgeone.wasi.internal.Preview1.O_DIRECTORY;
import static io.forgeone.wasi.internal.Preview1.RIGHT_FD_READ;
import static io.forgeone.wasi.internal.Preview1.RIGHT_FD_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attempts to reach {@code outside/} from a guest whose only preopen is {@code sandbox/}, its sibling.
 * After every test no byte of the secret may be anywhere in guest memory, and nothing outside may change.
 */
class SandboxEscapeTest {
    private static final String SECRET = "TOP-SECRET-OUTSIDE";
    private static final int ESCAPE = Errno.PERM;

    @TempDir
    Path tmp;
    Path sandbox;
    Path outside;
    Guest g;

    @BeforeEach
    void setUp() throws IOException {
        sandbox = Files.createDirectory(tmp.resolve("sandbox"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), SECRET);
        Files.writeString(sandbox.resolve("inside.txt"), "inside");
        Files.createDirectory(sandbox.resolve("sub"));
        Files.writeString(sandbox.resolve("sub/nested.txt"), "nested");
        g = Guest.withDir(sandbox);
    }

    @AfterEach
    void noSecretLeaked() throws IOException {
        g.close();
        String memory = new String(g.memory.bytes, StandardCharsets.ISO_8859_1);
        assertFalse(memory.contains(SECRET), "the secret reached guest memory");
        assertEquals(SECRET, Files.readString(outside.resolve("secret.txt")));
        try (var entries = Files.list(outside)) {
            assertEquals(1, entries.count(), "nothing was created outside");
        }
    }

    private void symlink(String name, String target) throws IOException {
        Files.createSymbolicLink(sandbox.resolve(name), sandbox.getFileSystem().getPath(target));
    }

    private int open(String path, int dirflags) {
        return g.openErrno(3, dirflags, path, 0);
    }

    private int readAll(String path) {
        return g.openOk(3, path, 0, RIGHT_FD_READ);
    }

    @Test
    void dotDotAboveThePreopen() {
        assertEquals(ESCAPE, open("..", 0));
        assertEquals(ESCAPE, open("../outside/secret.txt", 0));
        assertEquals(ESCAPE, open("sub/../../outside/secret.txt", 0));
        assertEquals(ESCAPE, open("sub/../..", 0));
        assertEquals(ESCAPE, open("./sub/./../../sandbox/inside.txt", 0), "even when it would come back in");
        assertEquals(ESCAPE, open("sub/../../x", 0));
        assertEquals(Errno.NOENT, open("missing/../../x", 0), "a missing directory is met first");
        assertEquals("inside", g.read(readAll("sub/../inside.txt"), 100));
        assertEquals("nested", g.read(readAll("sub/./..//sub/nested.txt"), 100));
    }

    @Test
    void absolutePaths() {
        assertEquals(ESCAPE, open("/", 0));
        assertEquals(ESCAPE, open("/etc/passwd", 0));
        assertEquals(ESCAPE, open(outside.resolve("secret.txt").toString(), 0));
        assertEquals(ESCAPE, open("/sandbox/inside.txt", 0), "the preopen's guest name is not a prefix to strip");
        assertEquals(ESCAPE, g.call("path_filestat_get", 3, 0, g.string("/etc"), 4, g.alloc(64)));
        assertEquals(ESCAPE, g.pathCall("path_create_directory", 3, "/tmp/x"));
        assertEquals(ESCAPE, g.pathCall("path_unlink_file", 3, outside.resolve("secret.txt").toString()));
        assertEquals(ESCAPE, g.pathCall("path_remove_directory", 3, outside.toString()));
        assertEquals(Errno.NOENT, open("..\\outside\\secret.txt", 0), "a backslash is part of a name on Linux");
    }

    @Test
    void symlinkToAnAbsolutePath() throws IOException {
        symlink("etc", "/etc");
        symlink("secret", outside.resolve("secret.txt").toString());
        assertEquals(ESCAPE, open("etc/passwd", 0));
        assertEquals(ESCAPE, open("etc/passwd", LOOKUP_SYMLINK_FOLLOW));
        assertEquals(ESCAPE, open("etc", LOOKUP_SYMLINK_FOLLOW));
        assertEquals(ESCAPE, open("etc/", 0), "a trailing slash follows the symlink");
        assertEquals(ESCAPE, open("secret", LOOKUP_SYMLINK_FOLLOW));
        assertEquals(Errno.LOOP, open("secret", 0), "not followed: the symlink itself cannot be opened");
        long stat = g.alloc(64);
        assertEquals(0, g.call("path_filestat_get", 3, 0, g.string("secret"), 6, stat));
        assertEquals(Preview1.FILETYPE_SYMBOLIC_LINK, g.memory.readByte(stat + 16), "lstat of the link is fine");
        assertEquals(ESCAPE, g.call("path_filestat_get", 3, LOOKUP_SYMLINK_FOLLOW, g.string("secret"), 6, stat));
        assertEquals(ESCAPE, g.call("path_filestat_get", 3, 0, g.string("etc/"), 4, stat));
    }

    @Test
    void symlinkClimbingOut() throws IOException {
        symlink("out", "../outside");
        symlink("up", "..");
        Files.createSymbolicLink(sandbox.resolve("sub/up"), Path.of(".."));
        Files.createSymbolicLink(sandbox.resolve("sub/upup"), Path.of("../.."));
        assertEquals(ESCAPE, open("out/secret.txt", 0));
        assertEquals(ESCAPE, open("out", LOOKUP_SYMLINK_FOLLOW));
        assertEquals(ESCAPE, open("up/outside/secret.txt", 0));
        assertEquals(ESCAPE, open("sub/upup/outside/secret.txt", 0));
        assertEquals(ESCAPE, g.openErrno(3, LOOKUP_SYMLINK_FOLLOW, "out", O_DIRECTORY));
        assertEquals("inside", g.read(readAll("sub/up/inside.txt"), 100), "a symlink that stays inside works");
    }

    @Test
    void symlinkChains() throws IOException {
        symlink("c1", "c2");
        symlink("c2", "sub/c3");
        Files.createSymbolicLink(sandbox.resolve("sub/c3"), Path.of("../../outside/secret.txt"));
        assertEquals(ESCAPE, open("c1", LOOKUP_SYMLINK_FOLLOW));
        symlink("ok1", "sub/ok2");
        Files.createSymbolicLink(sandbox.resolve("sub/ok2"), Path.of("../inside.txt"));
        assertEquals("inside", g.read(followOpen("ok1"), 100), "a chain that stays inside works");
        symlink("d1", "d2/");
        symlink("d2", "sub");
        assertEquals("nested", g.read(readAll("d1/nested.txt"), 100), "chain through directories");
    }

    private int followOpen(String path) {
        long out = g.alloc(4);
        assertEquals(0, g.open(3, LOOKUP_SYMLINK_FOLLOW, path, 0, RIGHT_FD_READ, 0, out));
        return g.i32(out);
    }

    @Test
    void symlinkLoops() throws IOException {
        symlink("self", "self");
        symlink("ping", "pong");
        symlink("pong", "ping");
        symlink("here", ".");
        assertEquals(Errno.LOOP, open("self", LOOKUP_SYMLINK_FOLLOW));
        assertEquals(Errno.LOOP, open("self", 0), "nofollow on a symlink");
        assertEquals(Errno.LOOP, open("self/x", 0));
        assertEquals(Errno.LOOP, open("ping/x", 0));
        assertEquals(Errno.LOOP, g.call("path_filestat_get", 3, LOOKUP_SYMLINK_FOLLOW, g.string("pong"), 4, g.alloc(64)));
        assertEquals("inside", g.read(readAll("here/".repeat(40) + "inside.txt"), 100), "40 expansions are allowed");
        assertEquals(Errno.LOOP, open("here/".repeat(41) + "inside.txt", 0), "the 41st is ELOOP");
    }

    @Test
    void symlinkCreatedAfterTheDirectoryWasOpened() throws IOException {
        Files.writeString(sandbox.resolve("sub/nested.txt"), "nested");
        int sub = g.openOk(3, "sub", O_DIRECTORY, RIGHT_FD_READ);
        Files.move(sandbox.resolve("sub"), sandbox.resolve("sub-moved"));
        Files.createSymbolicLink(sandbox.resolve("sub"), outside);
        // The descriptor is the directory, not its old name: it follows the move, as a host descriptor does,
        // and the symlink now at the old name is never followed.
        assertEquals(Errno.NOENT, g.openErrno(sub, 0, "secret.txt", 0));
        assertEquals(Errno.NOENT, g.call("path_filestat_get", sub, 0, g.string("secret.txt"), 10, g.alloc(64)));
        assertEquals(Errno.NOENT, g.pathCall("path_unlink_file", sub, "secret.txt"));
        assertEquals("nested", g.read(g.openOk(sub, "nested.txt", 0, RIGHT_FD_READ), 100));
        assertEquals(0, g.pathCall("path_create_directory", sub, "planted"));
        assertTrue(Files.isDirectory(sandbox.resolve("sub-moved/planted")), "created where the directory now is");
        assertEquals(0, g.call("fd_filestat_get", sub, g.alloc(64)));

        Files.delete(sandbox.resolve("sub"));
        Files.createSymbolicLink(sandbox.resolve("sub"), Path.of("../outside"));
        assertEquals(Errno.NOENT, g.openErrno(sub, 0, "secret.txt", 0), "relative symlink too");
        Files.delete(sandbox.resolve("sub"));
        Files.delete(sandbox.resolve("sub-moved/planted"));
        Files.delete(sandbox.resolve("sub-moved/nested.txt"));
        Files.delete(sandbox.resolve("sub-moved"));
        assertEquals(Errno.NOENT, g.openErrno(sub, 0, "nested.txt", 0), "a directory that went away");
        assertEquals(Errno.NOENT, g.pathCall("path_create_directory", sub, "planted"));
    }

    @Test
    void guestPlantedSymlinkUnderAnOpenDirectory() {
        int sub = g.openOk(3, "sub", O_DIRECTORY, RIGHT_FD_READ);
        assertEquals(0, g.call("path_rename", 3, g.string("sub"), 3, 3, g.string("away"), 4));
        String climb = "../".repeat(30) + outside.toString().substring(1);
        assertEquals(0, g.call("path_symlink", g.string(climb), Guest.len(climb), 3, g.string("sub"), 3),
                "storing a relative target is allowed: it is only ever resolved in the sandbox");
        assertEquals(Errno.NOENT, g.openErrno(sub, 0, "secret.txt", 0), "the descriptor followed the rename");
        assertEquals(ESCAPE, open("sub/secret.txt", 0));
        assertEquals(ESCAPE, g.call("path_symlink", g.string("/etc"), 4, 3, g.string("abs"), 3));
        assertFalse(Files.exists(sandbox.resolve("abs"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void nestedPreopenWhoseAncestorTheGuestReplaces() throws IOException {
        // --dir sandbox and --dir sandbox/a/b: through the outer preopen the guest swaps "a" for a symlink
        // that climbs out, so the inner root's host path would now lead to tmp/outside/b ... if followed.
        Files.createDirectories(sandbox.resolve("a/b"));
        Files.createDirectories(outside.resolve("b"));
        Files.writeString(outside.resolve("b/loot.txt"), SECRET);
        g.close();
        g = new Guest(java.util.List.of(), java.util.Map.of(), java.util.List.of(
                new io.forgeone.api.wasi.Preopen(sandbox, "/outer"),
                new io.forgeone.api.wasi.Preopen(sandbox.resolve("a/b"), "/inner")), null);
        int inner = 4;
        assertEquals(0, g.call("path_rename", 3, g.string("a"), 1, 3, g.string("a-old"), 5));
        assertEquals(0, g.call("path_symlink", g.string("../outside"), 10, 3, g.string("a"), 1));
        assertEquals(ESCAPE, g.openErrno(inner, 0, "loot.txt", 0));
        assertEquals(ESCAPE, g.call("fd_readdir", inner, g.alloc(512), 512, 0, g.alloc(4)));
        assertEquals(ESCAPE, g.call("fd_filestat_get", inner, g.alloc(64)));
        assertEquals(ESCAPE, g.pathCall("path_unlink_file", inner, "loot.txt"));
        Files.delete(outside.resolve("b/loot.txt"));
        Files.delete(outside.resolve("b"));
    }

    @Test
    void danglingSymlinks() throws IOException {
        symlink("dangling", "nowhere");
        symlink("dangling-out", "../outside/planted");
        assertEquals(Errno.LOOP, open("dangling", 0));
        assertEquals(Errno.NOTDIR, g.openErrno(3, 0, "dangling", O_DIRECTORY), "Linux checks O_DIRECTORY first");
        assertEquals(Errno.NOENT, open("dangling", LOOKUP_SYMLINK_FOLLOW));
        assertEquals(ESCAPE, g.open(3, LOOKUP_SYMLINK_FOLLOW, "dangling-out", O_CREAT,
                RIGHT_FD_READ | RIGHT_FD_WRITE, 0, g.alloc(4)));
        assertEquals(Errno.LOOP, g.open(3, 0, "dangling-out", O_CREAT, RIGHT_FD_WRITE, 0, g.alloc(4)),
                "O_CREAT without follow does not write through the symlink");
        long out = g.alloc(4);
        assertEquals(0, g.open(3, LOOKUP_SYMLINK_FOLLOW, "dangling", O_CREAT, RIGHT_FD_WRITE, 0, out),
                "following a dangling symlink that stays inside creates its target, as Linux does");
        assertTrue(Files.isRegularFile(sandbox.resolve("nowhere")));
        assertEquals(Errno.EXIST, g.pathCall("path_create_directory", 3, "dangling-out"));
    }

    @Test
    void nofollowOnSymlinks() throws IOException {
        symlink("to-dir", "sub");
        symlink("to-file", "inside.txt");
        assertEquals(Errno.LOOP, open("to-file", 0));
        assertEquals(Errno.NOTDIR, g.openErrno(3, 0, "to-dir", O_DIRECTORY), "Linux checks O_DIRECTORY first");
        assertEquals(Errno.LOOP, open("to-dir", 0));
        assertEquals("inside", g.read(followOpen("to-file"), 100));
        long fdOut = g.alloc(4);
        assertEquals(0, g.open(3, LOOKUP_SYMLINK_FOLLOW, "to-dir", O_DIRECTORY, RIGHT_FD_READ, 0, fdOut));
        assertEquals(Errno.NOTDIR, g.openErrno(3, LOOKUP_SYMLINK_FOLLOW, "to-file", O_DIRECTORY));
        assertEquals("nested", g.read(readAll("to-dir/nested.txt"), 100), "inner symlinks are always followed");
        assertEquals(Errno.NOTDIR, open("to-file/x", 0));
    }

    @Test
    void subdirectoryDescriptorIsItsOwnCapability() {
        int sub = g.openOk(3, "sub", O_DIRECTORY, RIGHT_FD_READ);
        assertEquals(ESCAPE, g.openErrno(sub, 0, "../inside.txt", 0), "as cap-std: no .. above the base fd");
        assertEquals(ESCAPE, g.openErrno(sub, 0, "..", 0));
        assertEquals("nested", g.read(g.openOk(sub, "nested.txt", 0, RIGHT_FD_READ), 100));
        assertEquals("nested", g.read(g.openOk(sub, "././/nested.txt", 0, RIGHT_FD_READ), 100));
    }

    @Test
    void mutationsThroughEscapingPathsAreRefused() throws IOException {
        symlink("out", "../outside");
        assertEquals(ESCAPE, g.pathCall("path_create_directory", 3, "out/newdir"));
        assertEquals(ESCAPE, g.pathCall("path_create_directory", 3, "../newdir"));
        assertEquals(ESCAPE, g.pathCall("path_unlink_file", 3, "out/secret.txt"));
        assertEquals(ESCAPE, g.pathCall("path_unlink_file", 3, "../outside/secret.txt"));
        assertEquals(ESCAPE, g.pathCall("path_remove_directory", 3, "../outside"));
        assertEquals(ESCAPE, g.call("path_rename", 3, g.string("inside.txt"), 10, 3, g.string("out/stolen"), 10));
        assertEquals(ESCAPE, g.call("path_rename", 3, g.string("out/secret.txt"), 14, 3, g.string("mine"), 4));
        assertEquals(ESCAPE, g.call("path_rename", 3, g.string("inside.txt"), 10, 3, g.string("../x"), 4));
        assertEquals(ESCAPE, g.call("path_symlink", g.string("x"), 1, 3, g.string("out/link"), 8));
        assertEquals(ESCAPE, g.call("path_readlink", 3, g.string("out/x"), 5, g.alloc(64), 64, g.alloc(4)));
        assertEquals(ESCAPE, g.open(3, 0, "out/created", O_CREAT, RIGHT_FD_WRITE, 0, g.alloc(4)));
        assertEquals(0, g.pathCall("path_unlink_file", 3, "out"), "the symlink itself can be removed");
        assertTrue(Files.isDirectory(outside));
    }

    @Test
    void unknownDescriptorsAreEbadf() {
        long slot = g.alloc(64);
        for (int fd : new int[] {4, 99, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertEquals(Errno.BADF, g.call("fd_close", fd), "fd_close " + fd);
            assertEquals(Errno.BADF, g.call("fd_fdstat_get", fd, slot));
            assertEquals(Errno.BADF, g.call("fd_filestat_get", fd, slot));
            assertEquals(Errno.BADF, g.call("fd_seek", fd, 0, 0, slot));
            assertEquals(Errno.BADF, g.call("fd_tell", fd, slot));
            assertEquals(Errno.BADF, g.call("fd_prestat_get", fd, slot));
            assertEquals(Errno.BADF, g.call("fd_prestat_dir_name", fd, slot, 8));
            assertEquals(Errno.BADF, g.call("fd_readdir", fd, slot, 64, 0, slot));
            assertEquals(Errno.BADF, g.call("fd_sync", fd));
            assertEquals(Errno.BADF, g.call("fd_fdstat_set_flags", fd, 0));
            assertEquals(Errno.BADF, g.call("fd_filestat_set_size", fd, 0));
            assertEquals(-Errno.BADF, g.write(fd, "x"));
            assertEquals("errno:BADF", g.read(fd, 1));
            assertEquals(Errno.BADF, g.openErrno(fd, 0, "inside.txt", 0));
            assertEquals(Errno.BADF, g.call("path_filestat_get", fd, 0, g.string("x"), 1, slot));
            assertEquals(Errno.BADF, g.pathCall("path_create_directory", fd, "x"));
            assertEquals(Errno.BADF, g.pathCall("path_unlink_file", fd, "x"));
            assertEquals(Errno.BADF, g.pathCall("path_remove_directory", fd, "x"));
            assertEquals(Errno.BADF, g.call("path_rename", fd, g.string("x"), 1, 3, g.string("y"), 1));
            assertEquals(Errno.BADF, g.call("path_rename", 3, g.string("x"), 1, fd, g.string("y"), 1));
            assertEquals(Errno.BADF, g.call("path_symlink", g.string("x"), 1, fd, g.string("y"), 1));
            assertEquals(Errno.BADF, g.call("path_readlink", fd, g.string("x"), 1, slot, 8, slot));
        }
        int file = g.openOk(3, "inside.txt", 0, RIGHT_FD_READ);
        assertEquals(Errno.BADF, g.pathCall("path_create_directory", file, "x"), "a file is not a directory fd");
        assertEquals(Errno.BADF, g.call("fd_readdir", file, slot, 64, 0, slot));
        assertEquals(Errno.BADF, g.call("fd_seek", 3, 0, 0, slot), "a directory has no offset");
        assertEquals(Errno.BADF, g.call("fd_sync", 3));
    }

    @Test
    void badPointersTrap() {
        long slot = g.alloc(64);
        long end = Guest.MEMORY;
        assertEquals(Guest.TRAP, g.call("path_open", 3, 0, end - 2, 10, 0, RIGHT_FD_READ, 0, 0, slot));
        assertEquals(Guest.TRAP, g.call("path_open", 3, 0, -1, 1, 0, RIGHT_FD_READ, 0, 0, slot));
        int before = g.env.openDescriptors();
        assertEquals(Guest.TRAP, g.call("path_open", 3, 0, g.string("inside.txt"), 10, 0, RIGHT_FD_READ, 0, 0, end - 2));
        assertEquals(before, g.env.openDescriptors(), "no descriptor leaks when the result cannot be written");
        assertEquals(Guest.TRAP, g.call("fd_fdstat_get", 3, end - 4));
        assertEquals(Guest.TRAP, g.call("fd_filestat_get", 3, end - 63));
        assertEquals(Guest.TRAP, g.call("fd_prestat_get", 3, end));
        assertEquals(Guest.TRAP, g.call("fd_prestat_dir_name", 3, end - 2, 8));
        assertEquals(Guest.TRAP, g.call("path_filestat_get", 3, 0, end, 1, slot));
        assertEquals(Guest.TRAP, g.call("path_create_directory", 3, end - 1, 5));
        assertEquals(Guest.TRAP, g.call("path_readlink", 3, end - 1, 5, slot, 8, slot));
        assertEquals(Guest.TRAP, g.call("fd_seek", g.openOk(3, "inside.txt", 0, RIGHT_FD_READ), 0, 0, end));
        assertFalse(Files.exists(sandbox.resolve("x")));
    }

    @Test
    void describeDecodesPathsAndFlags() {
        var open = g.function("path_open");
        long path = g.string("sub/nested.txt");
        var described = open.describe(g.memory, new long[] {3, LOOKUP_SYMLINK_FOLLOW, path, 14, O_CREAT | O_DIRECTORY,
            RIGHT_FD_READ | RIGHT_FD_WRITE, 0, Preview1.FDFLAG_APPEND, 0});
        assertEquals(3, described.get("fd"));
        assertEquals(java.util.List.of("symlink_follow"), described.get("dirflags"));
        assertEquals("sub/nested.txt", described.get("path"));
        assertEquals(java.util.List.of("creat", "directory"), described.get("oflags"));
        assertEquals(java.util.List.of("fd_read", "fd_write"), described.get("rights"));
        assertEquals(java.util.List.of("append"), described.get("fdflags"));
        assertEquals("<fault>", open.describe(g.memory, new long[] {3, 0, Guest.MEMORY, 4, 0, 0, 0, 0, 0}).get("path"));

        long buf = g.alloc(10);
        var write = g.function("fd_write").describe(g.memory, new long[] {1, g.iovecs(buf, 7, buf, 3), 2, 0});
        assertEquals(java.util.Map.of("fd", 1, "bytes", 10L), write);
        assertEquals(java.util.Optional.of(Errno.NOTCAPABLE),
                java.util.Optional.of(open.deniedErrno().getAsInt()));
    }
}
