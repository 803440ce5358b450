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
import java.util.HashSet;
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
        table.add("path_open", "iiiiiIIii", this::open, PathFunctions::describeOpen);
        table.add("path_filestat_get", "iiiii", this::filestatGet, (m, a, d) -> {
            d.put("fd", i32(a, 0));
            d.put("flags", Preview1.lookupNames(i32(a, 1)));
            d.put("path", GuestIo.describePath(m, u32(a, 2), u32(a, 3)));
        });
        table.add("path_filestat_set_times", "iiiiIIi", this::filestatSetTimes, (m, a, d) -> {
            d.put("fd", i32(a, 0));
            d.put("flags", Preview1.lookupNames(i32(a, 1)));
            d.put("path", GuestIo.describePath(m, u32(a, 2), u32(a, 3)));
        });
        table.add("path_link", "iiiiiii", this::link, (m, a, d) -> {
            d.put("fd", i32(a, 0));
            d.put("flags", Preview1.lookupNames(i32(a, 1)));
            d.put("path", GuestIo.describePath(m, u32(a, 2), u32(a, 3)));
            d.put("newFd", i32(a, 4));
            d.put("newPath", GuestIo.describePath(m, u32(a, 5), u32(a, 6)));
        });
        table.add("path_create_directory", "iii", this::createDirectory, PathFunctions::describePath);
        table.add("path_remove_directory", "iii", this::removeDirectory, PathFunctions::describePath);
        table.add("path_unlink_file", "iii", this::unlinkFile, PathFunctions::describePath);
        table.add("path_readlink", "iiiiii", this::readlink, PathFunctions::describePath);
        table.add("path_rename", "iiiiii", this::rename, (m, a, d) -> {
            d.put("fd", i32(a, 0));
            d.put("path", GuestIo.describePath(m, u32(a, 1), u32(a, 2)));
            d.put("newFd", i32(a, 3));
            d.put("newPath", GuestIo.describePath(m, u32(a, 4), u32(a, 5)));
        });
        table.add("path_symlink", "iiiii", this::symlink, (m, a, d) -> {
            d.put("target", GuestIo.describePath(m, u32(a, 0), u32(a, 1)));
            d.put("fd", i32(a, 2));
            d.put("path", GuestIo.describePath(m, u32(a, 3), u32(a, 4)));
        });
    }

    private static void describePath(GuestMemory memory, long[] args, Map<String, Object> into) {
        into.put("fd", i32(args, 0));
        into.put("path", GuestIo.describePath(memory, u32(args, 1), u32(args, 2)));
    }

    private static void describeOpen(GuestMemory memory, long[] args, Map<String, Object> into) {
        into.put("fd", i32(args, 0));
        into.put("dirflags", Preview1.lookupNames(i32(args, 1)));
        into.put("path", GuestIo.describePath(memory, u32(args, 2), u32(args, 3)));
        into.put("oflags", Preview1.oflagNames(i32(args, 4)));
        into.put("rights", Preview1.rightNames(args[5]));
        into.put("fdflags", Preview1.fdflagNames(i32(args, 7)));
    }

    private static boolean follow(int lookupflags) {
        if ((lookupflags & ~Preview1.LOOKUP_SYMLINK_FOLLOW) != 0) {
            throw new ErrnoException(Errno.INVAL);
        }
        return lookupflags != 0;
    }

    /**
     * path_open. As in wasmtime: the base must be a directory (a file is ENOTDIR, stdio EBADF); CREAT or
     * TRUNC open for writing; without FD_WRITE the file is opened for reading; DIRECTORY with CREAT, EXCL or
     * TRUNC is EINVAL; a directory opened for writing is EISDIR; a symlink in the last component without
     * LOOKUP_SYMLINK_FOLLOW is ELOOP (Linux O_NOFOLLOW).
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
        if (directory && (create || exclusive || truncate)) {
            throw new ErrnoException(Errno.INVAL);
        }
        boolean readRight = (rights & Preview1.RIGHT_FD_READ) != 0;
        boolean writeRight = (rights & Preview1.RIGHT_FD_WRITE) != 0;
        boolean openForWrite = writeRight || create || truncate;

        SandboxResolver.Resolved target = SandboxResolver.resolve(dir, path, follow);
        Descriptor opened;
        if (target.exists()) {
            if (create && exclusive) {
                throw new ErrnoException(Errno.EXIST);
            }
            if (target.isSymlink()) {
                throw new ErrnoException(Errno.LOOP);
            }
            if (target.isDirectory()) {
                if (openForWrite) {
                    throw new ErrnoException(Errno.ISDIR);
                }
                opened = new Descriptor.Dir(dir.root, dir.rootKey, target.components(), null, readRight);
            } else if (directory) {
                throw new ErrnoException(Errno.NOTDIR);
            } else {
                opened = openFile(target.path(), oflags, readRight, writeRight, fdflags);
            }
        } else if (!create) {
            throw new ErrnoException(Errno.NOENT);
        } else {
            opened = openFile(target.path(), oflags, readRight, writeRight, fdflags);
        }
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
    private Descriptor.OpenFile openFile(Path path, int oflags, boolean readRight, boolean writeRight, int fdflags) {
        boolean create = (oflags & Preview1.O_CREAT) != 0;
        boolean truncate = (oflags & Preview1.O_TRUNC) != 0;
        Set<OpenOption> options = new HashSet<>();
        options.add(LinkOption.NOFOLLOW_LINKS);
        if (writeRight || create || truncate) {
            options.add(StandardOpenOption.WRITE);
        }
        if (readRight || !writeRight) {
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
            return new Descriptor.OpenFile(channel, path, stat.fileKey(), stat.filetype(), readRight, writeRight,
                    fdflags);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private int filestatGet(GuestMemory memory, long[] args) {
        boolean follow = follow(i32(args, 1));
        String path = GuestIo.path(memory, u32(args, 2), u32(args, 3));
        Descriptor.Dir dir = descriptors.dir(i32(args, 0));
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
        SandboxResolver.Resolved target = SandboxResolver.resolve(dir, path, follow);
        if (!target.exists()) {
            throw new ErrnoException(Errno.NOENT);
        }
        FileStats.setTimes(target.path(), times);
        return Errno.SUCCESS;
    }

    /**
     * link: a hard link inside the sandbox to an entry inside the sandbox. The source's last component is
     * followed only with LOOKUP_SYMLINK_FOLLOW (link(2) itself never follows); a directory is EPERM.
     */
    private int link(GuestMemory memory, long[] args) {
        boolean follow = follow(i32(args, 1));
        String from = GuestIo.path(memory, u32(args, 2), u32(args, 3));
        String to = GuestIo.path(memory, u32(args, 5), u32(args, 6));
        Descriptor.Dir fromDir = descriptors.dir(i32(args, 0));
        Descriptor.Dir toDir = descriptors.dir(i32(args, 4));
        SandboxResolver.Resolved source = SandboxResolver.resolve(fromDir, from, follow);
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
     * relative target that climbs out is harmless; an absolute one is refused, as cap-std does.
     */
    private int symlink(GuestMemory memory, long[] args) {
        String link = GuestIo.path(memory, u32(args, 0), u32(args, 1));
        String path = GuestIo.path(memory, u32(args, 3), u32(args, 4));
        Descriptor.Dir dir = descriptors.dir(i32(args, 2));
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
        if (target.name() == null || target.exists()) {
            throw new ErrnoException(Errno.EXIST);
        }
        if (SandboxResolver.hasTrailingSlash(path)) {
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
