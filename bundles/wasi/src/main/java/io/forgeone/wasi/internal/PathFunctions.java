package io.forgeone.wasi.internal;

import static io.forgeone.wasi.internal.GuestIo.i32;
import static io.forgeone.wasi.internal.GuestIo.u32;

import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.MemoryAccessException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The path_* functions. Every guest path goes through {@link SandboxResolver}; the host operation then
 * names the resolved path and never follows a symlink in its last component.
 */
final class PathFunctions {
    private final WasiContext context;
    private final DescriptorTable descriptors;

    PathFunctions(WasiContext context) {
        this.context = context;
        this.descriptors = context.descriptors;
    }

    void register(FunctionTable table) {
        table.add("path_open", "iiiiiIIii", this::open, this::describeOpen);
        table.add("path_filestat_get", "iiiii", this::filestatGet, (m, a, d) -> {
            d.put("fd", i32(a, 0));
            d.put("flags", Preview1.lookupNames(i32(a, 1)));
            d.put("path", GuestIo.describePath(m, u32(a, 2), u32(a, 3)));
            guestPath(d, "guestPath", i32(a, 0), d.get("path"), (i32(a, 1) & Preview1.LOOKUP_SYMLINK_FOLLOW) != 0);
        });
        table.add("path_filestat_set_times", "iiiiIIi", this::filestatSetTimes, (m, a, d) -> {
            d.put("fd", i32(a, 0));
            d.put("flags", Preview1.lookupNames(i32(a, 1)));
            d.put("path", GuestIo.describePath(m, u32(a, 2), u32(a, 3)));
            guestPath(d, "guestPath", i32(a, 0), d.get("path"), (i32(a, 1) & Preview1.LOOKUP_SYMLINK_FOLLOW) != 0);
        });
        table.add("path_link", "iiiiiii", this::link, (m, a, d) -> {
            d.put("fd", i32(a, 0));
            d.put("flags", Preview1.lookupNames(i32(a, 1)));
            d.put("path", GuestIo.describePath(m, u32(a, 2), u32(a, 3)));
            d.put("newFd", i32(a, 4));
            d.put("newPath", GuestIo.describePath(m, u32(a, 5), u32(a, 6)));
            guestPath(d, "guestPath", i32(a, 0), d.get("path"), false);
            guestPath(d, "newGuestPath", i32(a, 4), d.get("newPath"), false);
        });
        table.add("path_create_directory", "iii", this::createDirectory, this::describePath);
        table.add("path_remove_directory", "iii", this::removeDirectory, this::describePath);
        table.add("path_unlink_file", "iii", this::unlinkFile, this::describePath);
        table.add("path_readlink", "iiiiii", this::readlink, this::describePath);
        table.add("path_rename", "iiiiii", this::rename, (m, a, d) -> {
            d.put("fd", i32(a, 0));
            d.put("path", GuestIo.describePath(m, u32(a, 1), u32(a, 2)));
            d.put("newFd", i32(a, 3));
            d.put("newPath", GuestIo.describePath(m, u32(a, 4), u32(a, 5)));
            guestPath(d, "guestPath", i32(a, 0), d.get("path"), false);
            guestPath(d, "newGuestPath", i32(a, 3), d.get("newPath"), false);
        });
        table.add("path_symlink", "iiiii", this::symlink, (m, a, d) -> {
            d.put("target", GuestIo.describePath(m, u32(a, 0), u32(a, 1)));
            d.put("fd", i32(a, 2));
            d.put("path", GuestIo.describePath(m, u32(a, 3), u32(a, 4)));
            guestPath(d, "guestPath", i32(a, 2), d.get("path"), false);
        });
    }

    private void describePath(GuestMemory memory, long[] args, Map<String, Object> into) {
        into.put("fd", i32(args, 0));
        into.put("path", GuestIo.describePath(memory, u32(args, 1), u32(args, 2)));
        guestPath(into, "guestPath", i32(args, 0), into.get("path"), false);
    }

    private void describeOpen(GuestMemory memory, long[] args, Map<String, Object> into) {
        into.put("fd", i32(args, 0));
        into.put("dirflags", Preview1.lookupNames(i32(args, 1)));
        into.put("path", GuestIo.describePath(memory, u32(args, 2), u32(args, 3)));
        into.put("oflags", Preview1.oflagNames(i32(args, 4)));
        into.put("rights", Preview1.rightNames(args[5]));
        into.put("fdflags", Preview1.fdflagNames(i32(args, 7)));
        guestPath(into, "guestPath", i32(args, 0), into.get("path"),
                (i32(args, 1) & Preview1.LOOKUP_SYMLINK_FOLLOW) != 0);
        // for a policy's files-open limit: what the guest holds beyond stdio and its preopens
        into.put("openedFiles", context.openedFiles());
    }

    /**
     * Adds the absolute guest path a path argument leads to, for policy: resolved inside the sandbox as the call
     * will resolve it (so a symlink to another folder of the same preopen is judged by where it leads), or,
     * when it does not resolve (a missing folder on the way, an escape the call will refuse), the lexical
     * join of the directory's guest path and the argument. Nothing is added for a descriptor that is not an
     * open directory: the call fails with EBADF by itself. Resolution reads the file system without changing
     * it; another process could still change a path between this and the call (see SandboxResolver).
     */
    private void guestPath(Map<String, Object> into, String key, int fd, Object path, boolean followFinal) {
        if (!(path instanceof String text)) {
            return;
        }
        Descriptor.Dir dir;
        try {
            dir = descriptors.dir(fd);
        } catch (ErrnoException e) {
            // the call fails by itself on this descriptor (EBADF, ENOTDIR): say so, for policy
            into.put(key + "Error", Errno.name(e.errno()));
            return;
        }
        try {
            into.put(key, dir.guestPath(SandboxResolver.resolve(dir, text, followFinal).components()));
        } catch (ErrnoException | java.io.UncheckedIOException e) {
            List<String> names = new ArrayList<>(dir.components);
            for (String part : text.split("/")) {
                if (part.equals("..")) {
                    // never above the preopen: the call itself refuses such a path (EPERM)
                    if (!names.isEmpty()) {
                        names.remove(names.size() - 1);
                    }
                } else if (!part.isEmpty() && !part.equals(".")) {
                    names.add(part);
                }
            }
            into.put(key, dir.guestPath(names));
        }
    }

    private static boolean follow(int lookupflags) {
        if ((lookupflags & ~Preview1.LOOKUP_SYMLINK_FOLLOW) != 0) {
            throw new ErrnoException(Errno.INVAL);
        }
        return lookupflags != 0;
    }

    /**
     * path_open. As in wasmtime (over cap-std, so Linux openat semantics with O_NOFOLLOW unless
     * LOOKUP_SYMLINK_FOLLOW): the base must be a directory (a file is ENOTDIR, stdio EBADF); DIRECTORY with
     * CREAT, EXCL or TRUNC is EINVAL; CREAT or TRUNC open for writing; a file opened without FD_WRITE is
     * opened for reading; a directory opened for writing is EISDIR; a symlink in the last component without
     * LOOKUP_SYMLINK_FOLLOW is ELOOP (ENOTDIR with DIRECTORY, as Linux checks that first); CREAT|EXCL never follows a final symlink (EEXIST, as O_EXCL does).
     * Unlike current wasmtime, which refuses them (ENOTSUP), DSYNC, RSYNC and SYNC are honoured (O_DSYNC,
     * O_SYNC) and reported back by fd_fdstat_get, as the WASI test suite expects where a runtime supports them.
     */
    private int open(GuestMemory memory, long[] args) {
        boolean follow = follow(i32(args, 1));
        int oflags = i32(args, 4);
        long rights = args[5];
        long rightsInheriting = args[6];
        int fdflags = i32(args, 7);
        if ((oflags & ~Preview1.OFLAGS_ALL) != 0 || (fdflags & ~Preview1.FDFLAGS_ALL) != 0
                || (rights & ~Preview1.RIGHTS_ALL) != 0 || (rightsInheriting & ~Preview1.RIGHTS_ALL) != 0) {
            throw new ErrnoException(Errno.INVAL);
        }
        String path = GuestIo.path(memory, u32(args, 2), u32(args, 3));
        Descriptor base = descriptors.get(i32(args, 0));
        if (base instanceof Descriptor.OpenFile) {
            throw new ErrnoException(Errno.NOTDIR);
        }
        if (!(base instanceof Descriptor.Dir dir)) {
            throw new ErrnoException(Errno.BADF);
        }
        boolean create = (oflags & Preview1.O_CREAT) != 0;
        boolean exclusive = (oflags & Preview1.O_EXCL) != 0;
        boolean truncate = (oflags & Preview1.O_TRUNC) != 0;
        boolean directory = (oflags & Preview1.O_DIRECTORY) != 0;
        dir.require(Preview1.RIGHT_PATH_OPEN | (create ? Preview1.RIGHT_PATH_CREATE_FILE : 0)
                | (truncate ? Preview1.RIGHT_PATH_FILESTAT_SET_SIZE : 0));
        if (directory && (create || exclusive || truncate)) {
            throw new ErrnoException(Errno.INVAL);
        }
        // The open mode, as wasmtime derives it: writing if asked for or implied by CREAT/TRUNC; reading if
        // asked for, and always when not writing (so that the host lets the file be opened at all).
        boolean writeRight = (rights & Preview1.RIGHT_FD_WRITE) != 0;
        boolean writable = writeRight || create || truncate;
        boolean readable = (rights & Preview1.RIGHT_FD_READ) != 0 || !writeRight;

        SandboxResolver.Resolved target = SandboxResolver.resolve(dir, path, follow && !(create && exclusive));
        Descriptor opened;
        if (target.exists()) {
            if (create && exclusive) {
                throw new ErrnoException(Errno.EXIST);
            }
            if (target.isSymlink()) {
                // Linux checks O_DIRECTORY before it refuses the symlink (O_NOFOLLOW): ENOTDIR, then ELOOP.
                throw new ErrnoException(directory ? Errno.NOTDIR : Errno.LOOP);
            }
            if (target.isDirectory()) {
                if (writable) {
                    throw new ErrnoException(Errno.ISDIR);
                }
                opened = new Descriptor.Dir(dir.root, dir.rootKey, target.attrs().fileKey(), target.components(),
                        null, dir.rootGuestName);
            } else if (directory) {
                throw new ErrnoException(Errno.NOTDIR);
            } else {
                opened = openFile(dir, target.path(), oflags, readable, writable, fdflags);
            }
        } else if (!create) {
            throw new ErrnoException(Errno.NOENT);
        } else if (target.name() == null) {
            throw new ErrnoException(Errno.ISDIR);
        } else {
            opened = openFile(dir, target.path(), oflags, readable, writable, fdflags);
        }
        // Rights the base directory may not hand on are not granted to what is opened through it.
        opened.droppedBase = dir.droppedInheriting;
        opened.droppedInheriting = dir.droppedInheriting;
        int fd;
        try {
            fd = descriptors.insert(opened);
        } catch (ErrnoException e) {
            opened.close();
            throw e;
        }
        try {
            memory.writeI32(u32(args, 8), fd);
        } catch (MemoryAccessException e) {
            descriptors.remove(fd).close();
            throw e;
        }
        return Errno.SUCCESS;
    }

    /**
     * Opens the last component of an already resolved path with NOFOLLOW_LINKS, so a symlink put there
     * after resolution fails (ELOOP) instead of being followed.
     */
    private Descriptor.OpenFile openFile(Descriptor.Dir base, Path path, int oflags, boolean readable,
            boolean writable, int fdflags) {
        boolean create = (oflags & Preview1.O_CREAT) != 0;
        boolean truncate = (oflags & Preview1.O_TRUNC) != 0;
        Set<OpenOption> options = new HashSet<>();
        options.add(LinkOption.NOFOLLOW_LINKS);
        if (writable) {
            options.add(StandardOpenOption.WRITE);
        }
        if (readable) {
            options.add(StandardOpenOption.READ);
        }
        if (create) {
            options.add((oflags & Preview1.O_EXCL) != 0 ? StandardOpenOption.CREATE_NEW : StandardOpenOption.CREATE);
        }
        if (truncate) {
            options.add(StandardOpenOption.TRUNCATE_EXISTING);
        }
        if ((fdflags & (Preview1.FDFLAG_SYNC | Preview1.FDFLAG_RSYNC)) != 0) {
            options.add(StandardOpenOption.SYNC);
        } else if ((fdflags & Preview1.FDFLAG_DSYNC) != 0) {
            options.add(StandardOpenOption.DSYNC);
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(path, options);
        } catch (IOException e) {
            throw IoErrors.of(e);
        }
        try {
            FileStats.Stat stat = context.stats.stat(path);
            if (stat.filetype() == Preview1.FILETYPE_DIRECTORY) {
                throw new ErrnoException(Errno.ISDIR);
            }
            Descriptor.OpenFile file = new Descriptor.OpenFile(channel, base.root, base.rootKey, path, stat.fileKey(),
                    stat.filetype(), readable, writable, fdflags);
            file.lastStat = stat;
            return file;
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private int filestatGet(GuestMemory memory, long[] args) {
        boolean follow = follow(i32(args, 1));
        String path = GuestIo.path(memory, u32(args, 2), u32(args, 3));
        Descriptor.Dir dir = descriptors.dir(i32(args, 0));
        dir.require(Preview1.RIGHT_PATH_FILESTAT_GET);
        SandboxResolver.Resolved target = SandboxResolver.resolve(dir, path, follow);
        if (!target.exists()) {
            throw new ErrnoException(Errno.NOENT);
        }
        FileStats.write(memory, u32(args, 4), context.stats.stat(target.path()));
        return Errno.SUCCESS;
    }

    private int filestatSetTimes(GuestMemory memory, long[] args) {
        boolean follow = follow(i32(args, 1));
        FileTime[] times = FileStats.newTimes(args[4], args[5], i32(args, 6));
        String path = GuestIo.path(memory, u32(args, 2), u32(args, 3));
        Descriptor.Dir dir = descriptors.dir(i32(args, 0));
        dir.require(Preview1.RIGHT_PATH_FILESTAT_SET_TIMES);
        SandboxResolver.Resolved target = SandboxResolver.resolve(dir, path, follow);
        if (!target.exists()) {
            throw new ErrnoException(Errno.NOENT);
        }
        FileStats.setTimes(target.path(), times);
        return Errno.SUCCESS;
    }

    /**
     * link: a hard link inside the sandbox to an entry inside the sandbox. As in wasmtime, LOOKUP_SYMLINK_FOLLOW
     * is EINVAL and the source's last component is never followed (a symlink, even a dangling one, gets a
     * second name); a directory is EPERM; an existing new name, even a dangling symlink, is EEXIST; a new
     * name with a trailing slash is ENOENT (linkat(2)).
     */
    private int link(GuestMemory memory, long[] args) {
        int lookupflags = i32(args, 1);
        if ((lookupflags & ~Preview1.LOOKUP_SYMLINK_FOLLOW) != 0) {
            throw new ErrnoException(Errno.INVAL);
        }
        String from = GuestIo.path(memory, u32(args, 2), u32(args, 3));
        String to = GuestIo.path(memory, u32(args, 5), u32(args, 6));
        Descriptor.Dir fromDir = descriptors.dir(i32(args, 0));
        Descriptor.Dir toDir = descriptors.dir(i32(args, 4));
        fromDir.require(Preview1.RIGHT_PATH_LINK_SOURCE);
        toDir.require(Preview1.RIGHT_PATH_LINK_TARGET);
        if (lookupflags != 0) {
            throw new ErrnoException(Errno.INVAL);
        }
        SandboxResolver.Resolved source = SandboxResolver.resolve(fromDir, from, false);
        SandboxResolver.checkGuestPath(to);
        SandboxResolver.Resolved target =
                SandboxResolver.resolve(toDir, SandboxResolver.stripTrailingSlashes(to), false);
        if (!source.exists()) {
            throw new ErrnoException(Errno.NOENT);
        }
        if (source.name() == null || source.isDirectory()) {
            throw new ErrnoException(Errno.PERM);
        }
        if (target.name() == null || target.exists()) {
            throw new ErrnoException(Errno.EXIST);
        }
        if (SandboxResolver.hasTrailingSlash(to)) {
            throw new ErrnoException(Errno.NOENT);
        }
        try {
            Files.createLink(target.path(), source.path());
        } catch (IOException e) {
            throw IoErrors.of(e);
        }
        return Errno.SUCCESS;
    }

    /** mkdir: a trailing slash is allowed; an existing entry, even a dangling symlink, is EEXIST. */
    private int createDirectory(GuestMemory memory, long[] args) {
        String path = GuestIo.path(memory, u32(args, 1), u32(args, 2));
        Descriptor.Dir dir = descriptors.dir(i32(args, 0));
        dir.require(Preview1.RIGHT_PATH_CREATE_DIRECTORY);
        SandboxResolver.checkGuestPath(path);
        SandboxResolver.Resolved target =
                SandboxResolver.resolve(dir, SandboxResolver.stripTrailingSlashes(path), false);
        if (target.name() == null || target.exists()) {
            throw new ErrnoException(Errno.EXIST);
        }
        try {
            Files.createDirectory(target.path());
        } catch (IOException e) {
            throw IoErrors.of(e);
        }
        return Errno.SUCCESS;
    }

    /** rmdir: a trailing slash is allowed; {@code .} and paths ending in {@code ..} are EINVAL. */
    private int removeDirectory(GuestMemory memory, long[] args) {
        String path = GuestIo.path(memory, u32(args, 1), u32(args, 2));
        Descriptor.Dir dir = descriptors.dir(i32(args, 0));
        dir.require(Preview1.RIGHT_PATH_REMOVE_DIRECTORY);
        SandboxResolver.checkGuestPath(path);
        SandboxResolver.Resolved target =
                SandboxResolver.resolve(dir, SandboxResolver.stripTrailingSlashes(path), false);
        if (target.name() == null) {
            throw new ErrnoException(Errno.INVAL);
        }
        if (!target.exists()) {
            throw new ErrnoException(Errno.NOENT);
        }
        if (!target.isDirectory()) {
            throw new ErrnoException(Errno.NOTDIR);
        }
        delete(target.path());
        return Errno.SUCCESS;
    }

    /** unlink: a directory is EISDIR, {@code file/} is ENOTDIR; a symlink is removed, never followed. */
    private int unlinkFile(GuestMemory memory, long[] args) {
        String path = GuestIo.path(memory, u32(args, 1), u32(args, 2));
        Descriptor.Dir dir = descriptors.dir(i32(args, 0));
        dir.require(Preview1.RIGHT_PATH_UNLINK_FILE);
        SandboxResolver.Resolved target = SandboxResolver.resolve(dir, path, false);
        if (target.name() == null || target.isDirectory()) {
            throw new ErrnoException(Errno.ISDIR);
        }
        if (!target.exists()) {
            throw new ErrnoException(Errno.NOENT);
        }
        delete(target.path());
        return Errno.SUCCESS;
    }

    private static void delete(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw IoErrors.of(e);
        }
    }

    /** readlink: the target as stored, cut to the buffer; not a symlink is EINVAL. */
    private int readlink(GuestMemory memory, long[] args) {
        String path = GuestIo.path(memory, u32(args, 1), u32(args, 2));
        Descriptor.Dir dir = descriptors.dir(i32(args, 0));
        dir.require(Preview1.RIGHT_PATH_READLINK);
        SandboxResolver.Resolved target = SandboxResolver.resolve(dir, path, false);
        if (!target.exists()) {
            throw new ErrnoException(Errno.NOENT);
        }
        if (!target.isSymlink()) {
            throw new ErrnoException(Errno.INVAL);
        }
        byte[] link;
        try {
            link = Files.readSymbolicLink(target.path()).toString().getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw IoErrors.of(e);
        }
        int n = (int) Math.min(link.length, u32(args, 4));
        memory.write(u32(args, 3), link, 0, n);
        memory.writeI32(u32(args, 5), n);
        return Errno.SUCCESS;
    }

    /**
     * rename(2) between two directory descriptors, which may belong to different preopens. Neither last
     * component is followed; trailing slashes demand a directory.
     */
    private int rename(GuestMemory memory, long[] args) {
        String from = GuestIo.path(memory, u32(args, 1), u32(args, 2));
        String to = GuestIo.path(memory, u32(args, 4), u32(args, 5));
        Descriptor.Dir fromDir = descriptors.dir(i32(args, 0));
        Descriptor.Dir toDir = descriptors.dir(i32(args, 3));
        fromDir.require(Preview1.RIGHT_PATH_RENAME_SOURCE);
        toDir.require(Preview1.RIGHT_PATH_RENAME_TARGET);
        SandboxResolver.checkGuestPath(from);
        SandboxResolver.checkGuestPath(to);
        SandboxResolver.Resolved source =
                SandboxResolver.resolve(fromDir, SandboxResolver.stripTrailingSlashes(from), false);
        SandboxResolver.Resolved target =
                SandboxResolver.resolve(toDir, SandboxResolver.stripTrailingSlashes(to), false);
        if (source.name() == null || target.name() == null) {
            throw new ErrnoException(Errno.BUSY);
        }
        if (!source.exists()) {
            throw new ErrnoException(Errno.NOENT);
        }
        if (!source.isDirectory() && (SandboxResolver.hasTrailingSlash(from) || SandboxResolver.hasTrailingSlash(to))) {
            throw new ErrnoException(Errno.NOTDIR);
        }
        try {
            Files.move(source.path(), target.path(), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw IoErrors.of(e);
        }
        return Errno.SUCCESS;
    }

    /**
     * symlink: the target is stored as given and only ever interpreted by {@link SandboxResolver}, so a
     * relative target that climbs out is harmless; an absolute one is refused (EPERM), as it could only ever
     * be an escape and a host process might follow it. An existing new name is EEXIST, a trailing slash on a
     * new name is ENOENT, or ENOTDIR where a non-directory has that name (symlinkat(2), as wasmtime's
     * p1_path_symlink_trailing_slashes expects).
     */
    private int symlink(GuestMemory memory, long[] args) {
        String link = GuestIo.path(memory, u32(args, 0), u32(args, 1));
        String path = GuestIo.path(memory, u32(args, 3), u32(args, 4));
        Descriptor.Dir dir = descriptors.dir(i32(args, 2));
        dir.require(Preview1.RIGHT_PATH_SYMLINK);
        if (link.isEmpty()) {
            throw new ErrnoException(Errno.NOENT);
        }
        if (link.indexOf('\0') >= 0) {
            throw new ErrnoException(Errno.INVAL);
        }
        if (link.charAt(0) == '/') {
            throw new ErrnoException(Errno.ESCAPE);
        }
        SandboxResolver.checkGuestPath(path);
        SandboxResolver.Resolved target =
                SandboxResolver.resolve(dir, SandboxResolver.stripTrailingSlashes(path), false);
        boolean trailingSlash = SandboxResolver.hasTrailingSlash(path);
        if (target.name() == null) {
            throw new ErrnoException(Errno.EXIST);
        }
        if (target.exists()) {
            throw new ErrnoException(trailingSlash && !target.isDirectory() ? Errno.NOTDIR : Errno.EXIST);
        }
        if (trailingSlash) {
            throw new ErrnoException(Errno.NOENT);
        }
        try {
            Files.createSymbolicLink(target.path(), target.path().getFileSystem().getPath(link));
        } catch (IOException e) {
            throw IoErrors.of(e);
        }
        return Errno.SUCCESS;
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            DescriptorTable.LOG.debug("closing a channel that failed to open fully", e);
        }
    }
}
