package io.forgeone.wasi.internal;

import static io.forgeone.wasi.internal.GuestIo.i32;
import static io.forgeone.wasi.internal.GuestIo.u32;

import io.forgeone.api.engine.GuestMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fd_* functions. Errnos follow wasmtime's preview1 adapter: a function that needs a file answers
 * EBADF for a directory or stdio, seeking stdio is ESPIPE, writing stdin or reading stdout is EBADF.
 */
final class FdFunctions {
    private static final Logger LOG = LoggerFactory.getLogger(FdFunctions.class);

    private final WasiContext context;
    private final DescriptorTable descriptors;

    FdFunctions(WasiContext context) {
        this.context = context;
        this.descriptors = context.descriptors;
    }

    void register(FunctionTable table) {
        table.add("fd_write", "iiii", (m, a) -> write(m, a, false), FdFunctions::describeIo);
        table.add("fd_pwrite", "iiiIi", (m, a) -> write(m, a, true), FdFunctions::describePositionalIo);
        table.add("fd_read", "iiii", (m, a) -> read(m, a, false), FdFunctions::describeIo);
        table.add("fd_pread", "iiiIi", (m, a) -> read(m, a, true), FdFunctions::describePositionalIo);
        table.add("fd_seek", "iIii", this::seek, (m, a, d) -> {
            d.put("fd", i32(a, 0));
            d.put("offset", a[1]);
            d.put("whence", Preview1.whenceName(i32(a, 2)));
        });
        table.add("fd_tell", "ii", this::tell, FdFunctions::describeFd);
        table.add("fd_close", "i", this::close, FdFunctions::describeFd);
        table.add("fd_fdstat_get", "ii", this::fdstatGet, FdFunctions::describeFd);
        table.add("fd_fdstat_set_flags", "ii", this::fdstatSetFlags, (m, a, d) -> {
            d.put("fd", i32(a, 0));
            d.put("fdflags", Preview1.fdflagNames(i32(a, 1)));
        });
        table.add("fd_filestat_get", "ii", this::filestatGet, FdFunctions::describeFd);
        table.add("fd_filestat_set_size", "iI", this::filestatSetSize, (m, a, d) -> {
            d.put("fd", i32(a, 0));
            d.put("size", a[1]);
        });
        table.add("fd_sync", "i", (m, a) -> sync(a, true), FdFunctions::describeFd);
        table.add("fd_datasync", "i", (m, a) -> sync(a, false), FdFunctions::describeFd);
        table.add("fd_prestat_get", "ii", this::prestatGet, FdFunctions::describeFd);
        table.add("fd_prestat_dir_name", "iii", this::prestatDirName, (m, a, d) -> {
            d.put("fd", i32(a, 0));
            d.put("bytes", u32(a, 2));
        });
        table.add("fd_filestat_set_times", "iIIi", this::filestatSetTimes, (m, a, d) -> {
            d.put("fd", i32(a, 0));
            FileStats.describeTimes(a[1], a[2], i32(a, 3), d);
        });
        table.add("fd_advise", "iIIi", this::advise, (m, a, d) -> {
            d.put("fd", i32(a, 0));
            d.put("offset", a[1]);
            d.put("length", a[2]);
            d.put("advice", i32(a, 3));
        });
        table.add("fd_allocate", "iII", (m, a) -> {
            descriptors.file(i32(a, 0)).require(Preview1.RIGHT_FD_ALLOCATE);
            // As wasmtime (and its p1_file_allocate test): a file, then "not supported"; java.nio has no
            // posix_fallocate, and growing the file instead would be a different operation.
            throw new ErrnoException(Errno.NOTSUP);
        }, (m, a, d) -> {
            d.put("fd", i32(a, 0));
            d.put("offset", a[1]);
            d.put("length", a[2]);
        });
        table.add("fd_fdstat_set_rights", "iII", this::fdstatSetRights, (m, a, d) -> {
            d.put("fd", i32(a, 0));
            d.put("rights", Preview1.rightNames(a[1]));
            d.put("rightsInheriting", Preview1.rightNames(a[2]));
        });
        table.add("fd_renumber", "ii", this::renumber, (m, a, d) -> {
            d.put("fd", i32(a, 0));
            d.put("to", i32(a, 1));
        });
        table.add("fd_readdir", "iiiIi", this::readdir, (m, a, d) -> {
            d.put("fd", i32(a, 0));
            d.put("bytes", u32(a, 2));
            d.put("cookie", a[3]);
            // for policy: listing a directory is reading it, judged on its absolute guest path
            try {
                if (descriptors.get(i32(a, 0)) instanceof Descriptor.Dir dir) {
                    d.put("guestPath", dir.guestPath(dir.components));
                }
            } catch (ErrnoException closed) {
                // not a descriptor: the call fails by itself (EBADF)
            }
        });
    }

    private static void describeFd(GuestMemory memory, long[] args, Map<String, Object> into) {
        into.put("fd", i32(args, 0));
    }

    private static void describeIo(GuestMemory memory, long[] args, Map<String, Object> into) {
        into.put("fd", i32(args, 0));
        into.put("bytes", GuestIo.totalLength(memory, u32(args, 1), u32(args, 2)));
    }

    private static void describePositionalIo(GuestMemory memory, long[] args, Map<String, Object> into) {
        describeIo(memory, args, into);
        into.put("offset", args[3]);
    }

    /**
     * fd_write and fd_pwrite: all iovecs in one write (up to {@link GuestIo#MAX_IO_BYTES}); wasmtime writes
     * only the first non-empty one, which is also a legal short write. A stdout/stderr sink gets the bytes
     * of one call in one piece, as soon as the call happens.
     */
    private int write(GuestMemory memory, long[] args, boolean positional) {
        Descriptor descriptor = descriptors.get(i32(args, 0));
        long resultPtr = u32(args, positional ? 4 : 3);
        // Checked first, so that no byte is moved without the guest learning how many.
        GuestIo.checkRange(memory, resultPtr, 4);
        if (descriptor instanceof Descriptor.Output output) {
            if (positional) {
                throw new ErrnoException(Errno.SPIPE);
            }
            output.require(Preview1.RIGHT_FD_WRITE);
            long[] iovs = GuestIo.iovecs(memory, u32(args, 1), u32(args, 2));
            int length = GuestIo.transferSize(iovs);
            byte[] bytes = context.scratch(length);
            GuestIo.gather(memory, iovs, bytes, length);
            if (length > 0) {
                try {
                    output.sink.write(bytes, 0, length);
                } catch (RuntimeException e) {
                    // A sink reports its stream's IOException as the cause (a closed pipe becomes EPIPE, as a
                    // write(2) would give); anything else is EIO.
                    int errno = e.getCause() instanceof java.io.IOException io ? IoErrors.errno(io) : Errno.IO;
                    LOG.debug("output sink failed; the guest gets errno {}", errno, e);
                    throw new ErrnoException(errno);
                }
            }
            memory.writeI32(resultPtr, length);
            return Errno.SUCCESS;
        }
        if (!(descriptor instanceof Descriptor.OpenFile file)) {
            throw new ErrnoException(Errno.BADF);
        }
        file.require(Preview1.RIGHT_FD_WRITE | (positional ? Preview1.RIGHT_FD_SEEK : 0));
        long offset = positional ? args[3] : file.position;
        if (offset < 0) {
            throw new ErrnoException(Errno.INVAL);
        }
        long[] iovs = GuestIo.iovecs(memory, u32(args, 1), u32(args, 2));
        int length = GuestIo.transferSize(iovs);
        byte[] bytes = context.scratch(length);
        GuestIo.gather(memory, iovs, bytes, length);
        try {
            // Linux pwrite semantics: in append mode every write goes to the end, whatever the offset.
            long at = file.append ? file.channel.size() : offset;
            ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
            long written = 0;
            while (buffer.hasRemaining()) {
                written += file.channel.write(buffer, at + written);
            }
            if (!positional) {
                file.position = file.append ? file.channel.size() : offset + written;
            }
            memory.writeI32(resultPtr, (int) written);
            return Errno.SUCCESS;
        } catch (NonWritableChannelException e) {
            throw new ErrnoException(Errno.BADF);
        } catch (IOException e) {
            throw IoErrors.of(e);
        }
    }

    /**
     * fd_read and fd_pread. Files fill all iovecs until end of file (readv); stdin fills the first non-empty
     * one with what one read returns, as wasmtime does, so an interactive guest is not blocked for more.
     */
    private int read(GuestMemory memory, long[] args, boolean positional) {
        Descriptor descriptor = descriptors.get(i32(args, 0));
        long resultPtr = u32(args, positional ? 4 : 3);
        // Checked first, so that no byte is moved without the guest learning how many.
        GuestIo.checkRange(memory, resultPtr, 4);
        if (descriptor instanceof Descriptor.Stdin stdin) {
            if (positional) {
                throw new ErrnoException(Errno.SPIPE);
            }
            stdin.require(Preview1.RIGHT_FD_READ);
            long[] iov = GuestIo.firstNonEmpty(GuestIo.iovecs(memory, u32(args, 1), u32(args, 2)));
            int length = (int) Math.min(iov[1], GuestIo.MAX_IO_BYTES);
            byte[] bytes = context.scratch(length);
            int n = 0;
            if (length > 0) {
                try {
                    n = Math.max(0, stdin.in.read(bytes, 0, length));
                } catch (IOException e) {
                    throw IoErrors.of(e);
                }
            }
            memory.write(iov[0], bytes, 0, n);
            memory.writeI32(resultPtr, n);
            return Errno.SUCCESS;
        }
        if (!(descriptor instanceof Descriptor.OpenFile file)) {
            throw new ErrnoException(Errno.BADF);
        }
        file.require(Preview1.RIGHT_FD_READ | (positional ? Preview1.RIGHT_FD_SEEK : 0));
        long offset = positional ? args[3] : file.position;
        if (offset < 0) {
            throw new ErrnoException(Errno.INVAL);
        }
        long[] iovs = GuestIo.iovecs(memory, u32(args, 1), u32(args, 2));
        int length = GuestIo.transferSize(iovs);
        byte[] bytes = context.scratch(length);
        int n = 0;
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
            while (buffer.hasRemaining()) {
                int got = file.channel.read(buffer, offset + n);
                if (got <= 0) {
                    break;
                }
                n += got;
            }
        } catch (NonReadableChannelException e) {
            throw new ErrnoException(Errno.BADF);
        } catch (IOException e) {
            throw IoErrors.of(e);
        }
        GuestIo.scatter(memory, iovs, bytes, n);
        if (!positional) {
            file.position = offset + n;
        }
        memory.writeI32(resultPtr, n);
        return Errno.SUCCESS;
    }

    /** The descriptor as a file that has an offset: ESPIPE for stdio, EBADF for directories. */
    private Descriptor.OpenFile seekable(int fd) {
        Descriptor descriptor = descriptors.get(fd);
        if (descriptor instanceof Descriptor.OpenFile file) {
            return file;
        }
        if (descriptor instanceof Descriptor.Stdin || descriptor instanceof Descriptor.Output) {
            throw new ErrnoException(Errno.SPIPE);
        }
        throw new ErrnoException(Errno.BADF);
    }

    private int seek(GuestMemory memory, long[] args) {
        long offset = args[1];
        int whence = i32(args, 2);
        if (whence < Preview1.WHENCE_SET || whence > Preview1.WHENCE_END) {
            throw new ErrnoException(Errno.INVAL);
        }
        Descriptor.OpenFile file = seekable(i32(args, 0));
        // lseek(fd, 0, SEEK_CUR) is how a guest tells; it needs only FD_TELL (as wasi-libc assumes).
        file.require(whence == Preview1.WHENCE_CUR && offset == 0 ? Preview1.RIGHT_FD_TELL : Preview1.RIGHT_FD_SEEK);
        long base;
        if (whence == Preview1.WHENCE_SET) {
            base = 0;
        } else if (whence == Preview1.WHENCE_CUR) {
            base = file.position;
        } else {
            try {
                base = file.channel.size();
            } catch (IOException e) {
                throw IoErrors.of(e);
            }
        }
        long position;
        try {
            position = Math.addExact(base, offset);
        } catch (ArithmeticException e) {
            throw new ErrnoException(Errno.INVAL);
        }
        if (position < 0) {
            throw new ErrnoException(Errno.INVAL);
        }
        file.position = position;
        memory.writeI64(u32(args, 3), position);
        return Errno.SUCCESS;
    }

    private int tell(GuestMemory memory, long[] args) {
        Descriptor.OpenFile file = seekable(i32(args, 0));
        file.require(Preview1.RIGHT_FD_TELL);
        memory.writeI64(u32(args, 1), file.position);
        return Errno.SUCCESS;
    }

    private int close(GuestMemory memory, long[] args) {
        descriptors.remove(i32(args, 0)).close();
        return Errno.SUCCESS;
    }

    private int fdstatGet(GuestMemory memory, long[] args) {
        Descriptor descriptor = descriptors.get(i32(args, 0));
        int filetype;
        int flags = 0;
        if (descriptor instanceof Descriptor.Dir) {
            filetype = Preview1.FILETYPE_DIRECTORY;
        } else if (descriptor instanceof Descriptor.OpenFile file) {
            filetype = file.filetype;
            flags = file.fdflags();
        } else {
            // wasmtime: character device for a terminal, unknown otherwise; a container's stdio is never one.
            filetype = Preview1.FILETYPE_UNKNOWN;
        }
        long[] rights = rights(descriptor);
        byte[] record = new byte[Preview1.FDSTAT_SIZE];
        record[0] = (byte) filetype;
        record[Preview1.FDSTAT_FLAGS] = (byte) flags;
        record[Preview1.FDSTAT_FLAGS + 1] = (byte) (flags >>> 8);
        FileStats.putLong(record, Preview1.FDSTAT_RIGHTS_BASE, rights[0]);
        FileStats.putLong(record, Preview1.FDSTAT_RIGHTS_INHERITING, rights[1]);
        memory.write(u32(args, 1), record);
        return Errno.SUCCESS;
    }

    /**
     * The rights {base, inheriting} a descriptor has: wasmtime's answer for what it is and how it was opened,
     * less what the guest gave up with fd_fdstat_set_rights.
     */
    static long[] rights(Descriptor descriptor) {
        long base;
        long inheriting;
        if (descriptor instanceof Descriptor.Stdin) {
            base = Preview1.RIGHT_FD_READ;
            inheriting = base;
        } else if (descriptor instanceof Descriptor.Output) {
            base = Preview1.RIGHT_FD_WRITE;
            inheriting = base;
        } else if (descriptor instanceof Descriptor.Dir dir && dir.preopenName != null) {
            base = Preview1.RIGHTS_PREOPEN_BASE;
            inheriting = Preview1.RIGHTS_PREOPEN_INHERITING;
        } else if (descriptor instanceof Descriptor.Dir) {
            // Opened for reading, never for writing (that is EISDIR).
            base = Preview1.RIGHTS_ALL & ~(Preview1.RIGHT_FD_SEEK | Preview1.RIGHT_FD_FILESTAT_SET_SIZE
                    | Preview1.RIGHT_PATH_FILESTAT_SET_SIZE | Preview1.RIGHT_FD_WRITE);
            inheriting = base;
        } else {
            Descriptor.OpenFile file = (Descriptor.OpenFile) descriptor;
            base = Preview1.RIGHTS_ALL;
            if (!file.readable) {
                base &= ~(Preview1.RIGHT_FD_READ | Preview1.RIGHT_FD_READDIR);
            }
            if (!file.writable) {
                base &= ~Preview1.RIGHT_FD_WRITE;
            }
            inheriting = base;
        }
        return new long[] {base & ~descriptor.droppedBase, inheriting & ~descriptor.droppedInheriting};
    }

    /** Only APPEND and NONBLOCK can change, as in wasmtime; the sync flags are EINVAL. */
    private int fdstatSetFlags(GuestMemory memory, long[] args) {
        int flags = i32(args, 1);
        if ((flags & ~Preview1.FDFLAGS_ALL) != 0) {
            throw new ErrnoException(Errno.INVAL);
        }
        Descriptor.OpenFile file = descriptors.file(i32(args, 0));
        file.require(Preview1.RIGHT_FD_FDSTAT_SET_FLAGS);
        if ((flags & (Preview1.FDFLAG_DSYNC | Preview1.FDFLAG_SYNC | Preview1.FDFLAG_RSYNC)) != 0) {
            throw new ErrnoException(Errno.INVAL);
        }
        file.append = (flags & Preview1.FDFLAG_APPEND) != 0;
        file.nonblock = (flags & Preview1.FDFLAG_NONBLOCK) != 0;
        return Errno.SUCCESS;
    }

    private int filestatGet(GuestMemory memory, long[] args) {
        Descriptor descriptor = descriptors.get(i32(args, 0));
        descriptor.require(Preview1.RIGHT_FD_FILESTAT_GET);
        FileStats.Stat stat;
        if (descriptor instanceof Descriptor.Dir dir) {
            stat = context.stats.stat(SandboxResolver.verify(dir));
        } else if (descriptor instanceof Descriptor.OpenFile file) {
            stat = openFileStat(file);
        } else {
            stat = FileStats.stdio();
        }
        FileStats.write(memory, u32(args, 1), stat);
        return Errno.SUCCESS;
    }

    /**
     * java.nio has no fstat: the file is stat-ed by path, and only where that path still names the same file
     * (device, inode); a file renamed since is found again inside its preopen. A file deleted (or moved out
     * of reach) since is described from the open channel: its size, its type and inode from open time,
     * nlink 0, and the times it had when last seen (wasmtime, with a real fstat, would report live times).
     */
    private FileStats.Stat openFileStat(Descriptor.OpenFile file) {
        Path path = SandboxResolver.locate(file);
        if (path != null) {
            try {
                FileStats.Stat stat = context.stats.stat(path);
                if (file.fileKey != null && file.fileKey.equals(stat.fileKey())) {
                    file.lastStat = stat;
                    return stat;
                }
            } catch (ErrnoException notThere) {
                LOG.trace("{} went away while being described ({})", path, Errno.name(notThere.errno()));
            }
        }
        try {
            FileStats.Stat last = file.lastStat;
            long ino = last != null ? last.ino() : context.stats.hash(0, System.identityHashCode(file));
            return new FileStats.Stat(file.filetype, 1, ino, 0, file.channel.size(), last == null ? 0 : last.atim(),
                    last == null ? 0 : last.mtim(), last == null ? 0 : last.ctim(), null);
        } catch (IOException e) {
            throw IoErrors.of(e);
        }
    }

    /** ftruncate: grows with zeros or shrinks; a descriptor not open for writing is EINVAL, as on Linux. */
    private int filestatSetSize(GuestMemory memory, long[] args) {
        Descriptor.OpenFile file = descriptors.file(i32(args, 0));
        file.require(Preview1.RIGHT_FD_FILESTAT_SET_SIZE);
        long size = args[1];
        if (size < 0) {
            throw new ErrnoException(Errno.INVAL);
        }
        try {
            long current = file.channel.size();
            if (size < current) {
                file.channel.truncate(size);
            } else if (size > current) {
                file.channel.write(ByteBuffer.wrap(new byte[1]), size - 1);
            }
            return Errno.SUCCESS;
        } catch (NonWritableChannelException e) {
            throw new ErrnoException(Errno.INVAL);
        } catch (IOException e) {
            throw IoErrors.of(e);
        }
    }

    private int sync(long[] args, boolean metadata) {
        Descriptor.OpenFile file = descriptors.file(i32(args, 0));
        file.require(metadata ? Preview1.RIGHT_FD_SYNC : Preview1.RIGHT_FD_DATASYNC);
        try {
            file.channel.force(metadata);
            return Errno.SUCCESS;
        } catch (IOException e) {
            throw IoErrors.of(e);
        }
    }

    private int prestatGet(GuestMemory memory, long[] args) {
        Descriptor descriptor = descriptors.get(i32(args, 0));
        if (!(descriptor instanceof Descriptor.Dir dir) || dir.preopenName == null) {
            throw new ErrnoException(Errno.BADF);
        }
        byte[] record = new byte[Preview1.PRESTAT_SIZE];
        FileStats.putInt(record, Preview1.PRESTAT_NAME_LEN, dir.preopenName.getBytes(StandardCharsets.UTF_8).length);
        memory.write(u32(args, 1), record);
        return Errno.SUCCESS;
    }

    private int prestatDirName(GuestMemory memory, long[] args) {
        Descriptor descriptor = descriptors.get(i32(args, 0));
        if (!(descriptor instanceof Descriptor.Dir dir) || dir.preopenName == null) {
            throw new ErrnoException(Errno.NOTDIR);
        }
        byte[] name = dir.preopenName.getBytes(StandardCharsets.UTF_8);
        if (name.length > u32(args, 2)) {
            throw new ErrnoException(Errno.NAMETOOLONG);
        }
        memory.write(u32(args, 1), name);
        return Errno.SUCCESS;
    }

    private int readdir(GuestMemory memory, long[] args) {
        Descriptor.Dir dir = descriptors.dir(i32(args, 0));
        dir.require(Preview1.RIGHT_FD_READDIR);
        long buffer = u32(args, 1);
        long length = u32(args, 2);
        long cookie = args[3];
        GuestIo.checkRange(memory, buffer, length);
        if (cookie == 0 || dir.listing == null) {
            dir.listing = Directories.list(SandboxResolver.verify(dir), context.stats);
        }
        long used = Directories.write(memory, buffer, length, dir.listing, cookie);
        memory.writeI32(u32(args, 4), (int) used);
        return Errno.SUCCESS;
    }

    private int filestatSetTimes(GuestMemory memory, long[] args) {
        FileTime[] times = FileStats.newTimes(args[1], args[2], i32(args, 3));
        Descriptor descriptor = descriptors.get(i32(args, 0));
        if (descriptor instanceof Descriptor.Dir dir) {
            dir.require(Preview1.RIGHT_FD_FILESTAT_SET_TIMES);
            FileStats.setTimes(SandboxResolver.verify(dir), times);
        } else if (descriptor instanceof Descriptor.OpenFile file) {
            file.require(Preview1.RIGHT_FD_FILESTAT_SET_TIMES);
            // java.nio has no futimens: the times are set by path, on the path that still names the opened file.
            Path path = SandboxResolver.locate(file);
            if (path == null) {
                // Deleted (or moved out of the preopen) while open: there is no name left to set times by.
                throw new ErrnoException(Errno.NOTSUP);
            }
            FileStats.setTimes(path, times);
        } else {
            throw new ErrnoException(Errno.BADF);
        }
        return Errno.SUCCESS;
    }

    /** Advice is validated and accepted; java.nio cannot pass it on (wasmtime calls posix_fadvise). */
    private int advise(GuestMemory memory, long[] args) {
        int advice = i32(args, 3);
        if (advice < 0 || advice > 5) {
            throw new ErrnoException(Errno.INVAL);
        }
        descriptors.file(i32(args, 0)).require(Preview1.RIGHT_FD_ADVISE);
        return Errno.SUCCESS;
    }

    /**
     * Gives up rights, as the witx describes: the new sets must lie within the current ones (asking for a
     * right the descriptor does not have is ENOTCAPABLE); what is dropped is reported by fd_fdstat_get and
     * a later call that needs it is ENOTCAPABLE. Stdio is EBADF, as in wasmtime, which otherwise answers
     * ENOTSUP here because it keeps no rights at all.
     */
    private int fdstatSetRights(GuestMemory memory, long[] args) {
        long base = args[1];
        long inheriting = args[2];
        if ((base & ~Preview1.RIGHTS_ALL) != 0 || (inheriting & ~Preview1.RIGHTS_ALL) != 0) {
            throw new ErrnoException(Errno.INVAL);
        }
        Descriptor descriptor = descriptors.get(i32(args, 0));
        if (descriptor instanceof Descriptor.Stdin || descriptor instanceof Descriptor.Output) {
            throw new ErrnoException(Errno.BADF);
        }
        long[] current = rights(descriptor);
        if ((base & ~current[0]) != 0 || (inheriting & ~current[1]) != 0) {
            throw new ErrnoException(Errno.NOTCAPABLE);
        }
        descriptor.droppedBase |= current[0] & ~base;
        // Everything not asked for is withheld from descriptors opened through this one, including rights
        // wasmtime does not list as inheriting for an opened directory yet grants (FD_WRITE, FD_SEEK).
        descriptor.droppedInheriting |= Preview1.RIGHTS_ALL & ~inheriting;
        return Errno.SUCCESS;
    }

    private int renumber(GuestMemory memory, long[] args) {
        Descriptor displaced = descriptors.renumber(i32(args, 0), i32(args, 1));
        if (displaced != null) {
            displaced.close();
        }
        return Errno.SUCCESS;
    }
}
