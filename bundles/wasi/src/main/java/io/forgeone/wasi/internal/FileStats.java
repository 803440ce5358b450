package io.forgeone.wasi.internal;

import io.forgeone.api.engine.GuestMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

/**
 * File attributes in preview1 terms. As in wasmtime, the guest never sees the host's device and inode
 * numbers: {@code dev} is always 1 and {@code ino} is a keyed hash of (device, inode), equal for the same
 * file within one environment and meaningless outside it.
 */
final class FileStats {
    private static final String UNIX_ATTRIBUTES =
            "unix:mode,ino,dev,nlink,size,lastAccessTime,lastModifiedTime,ctime,fileKey";
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFCHR = 0020000;

    /** A filestat record, ready to be written; {@code fileKey} is the host identity, never shown to the guest. */
    record Stat(int filetype, long dev, long ino, long nlink, long size, long atim, long mtim, long ctim, Object fileKey) {
    }

    private final long key0;
    private final long key1;

    FileStats(long key0, long key1) {
        this.key0 = key0;
        this.key1 = key1;
    }

    /** Attributes of the entry at {@code path} itself (a symlink is not followed). */
    Stat stat(Path path) {
        try {
            Map<String, Object> unix = Files.readAttributes(path, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) unix.get("mode");
            return new Stat(filetype(mode), 1, hash((Long) unix.get("dev"), (Long) unix.get("ino")),
                    ((Integer) unix.get("nlink")).longValue(), (Long) unix.get("size"),
                    nanos((FileTime) unix.get("lastAccessTime")), nanos((FileTime) unix.get("lastModifiedTime")),
                    nanos((FileTime) unix.get("ctime")), unix.get("fileKey"));
        } catch (UnsupportedOperationException | IllegalArgumentException notUnix) {
            return basicStat(path);
        } catch (IOException e) {
            throw IoErrors.of(e);
        }
    }

    /**
     * Checks fstflags as wasmtime does (a time both given and "now" is EINVAL) and returns
     * {access, modification} as FileTimes, {@code null} meaning unchanged.
     */
    static FileTime[] newTimes(long atim, long mtim, int fstflags) {
        if ((fstflags & ~Preview1.FSTFLAGS_ALL) != 0) {
            throw new ErrnoException(Errno.INVAL);
        }
        return new FileTime[] {newTime(atim, fstflags, Preview1.FST_ATIM, Preview1.FST_ATIM_NOW),
            newTime(mtim, fstflags, Preview1.FST_MTIM, Preview1.FST_MTIM_NOW)};
    }

    private static FileTime newTime(long nanos, int flags, int set, int now) {
        if ((flags & set) != 0 && (flags & now) != 0) {
            throw new ErrnoException(Errno.INVAL);
        }
        if ((flags & now) != 0) {
            return FileTime.from(Instant.now());
        }
        if ((flags & set) != 0) {
            return FileTime.from(Instant.ofEpochSecond(Long.divideUnsigned(nanos, 1_000_000_000L),
                    Long.remainderUnsigned(nanos, 1_000_000_000L)));
        }
        return null;
    }

    /** The arguments of a set_times call, decoded for describe(). */
    static void describeTimes(long atim, long mtim, int fstflags, Map<String, Object> into) {
        if ((fstflags & Preview1.FST_ATIM) != 0) {
            into.put("atim", Long.toUnsignedString(atim));
        }
        if ((fstflags & Preview1.FST_ATIM_NOW) != 0) {
            into.put("atim", "now");
        }
        if ((fstflags & Preview1.FST_MTIM) != 0) {
            into.put("mtim", Long.toUnsignedString(mtim));
        }
        if ((fstflags & Preview1.FST_MTIM_NOW) != 0) {
            into.put("mtim", "now");
        }
        if ((fstflags & ~Preview1.FSTFLAGS_ALL) != 0) {
            into.put("fstflags", fstflags);
        }
    }

    /** Sets the times of the entry at {@code path} itself (a symlink is not followed). */
    static void setTimes(Path path, FileTime[] times) {
        if (times[0] == null && times[1] == null) {
            return;
        }
        try {
            Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(times[1], times[0], null);
        } catch (IOException e) {
            throw IoErrors.of(e);
        }
    }

    /** The guest-visible inode number of the entry at {@code path}. */
    long inode(Path path) {
        return stat(path).ino();
    }

    static void write(GuestMemory memory, long address, Stat stat) {
        byte[] record = new byte[Preview1.FILESTAT_SIZE];
        putLong(record, 0, stat.dev());
        putLong(record, Preview1.FILESTAT_INO, stat.ino());
        record[Preview1.FILESTAT_FILETYPE] = (byte) stat.filetype();
        putLong(record, Preview1.FILESTAT_NLINK, stat.nlink());
        putLong(record, Preview1.FILESTAT_SIZE_FIELD, stat.size());
        putLong(record, Preview1.FILESTAT_ATIM, stat.atim());
        putLong(record, Preview1.FILESTAT_MTIM, stat.mtim());
        putLong(record, Preview1.FILESTAT_CTIM, stat.ctim());
        memory.write(address, record);
    }

    /** A filestat with every field zero but the type, as wasmtime reports for stdio. */
    static Stat stdio() {
        return new Stat(Preview1.FILETYPE_UNKNOWN, 0, 0, 0, 0, 0, 0, 0, null);
    }

    static int filetype(BasicFileAttributes attrs) {
        if (attrs.isSymbolicLink()) {
            return Preview1.FILETYPE_SYMBOLIC_LINK;
        }
        if (attrs.isDirectory()) {
            return Preview1.FILETYPE_DIRECTORY;
        }
        if (attrs.isRegularFile()) {
            return Preview1.FILETYPE_REGULAR_FILE;
        }
        return Preview1.FILETYPE_UNKNOWN;
    }

    private Stat basicStat(Path path) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Object key = attrs.fileKey();
            long mtim = nanos(attrs.lastModifiedTime());
            return new Stat(filetype(attrs), 1, hash(0, key == null ? 0 : key.hashCode()), 1, attrs.size(),
                    nanos(attrs.lastAccessTime()), mtim, mtim, key);
        } catch (IOException e) {
            throw IoErrors.of(e);
        }
    }

    private static int filetype(int mode) {
        switch (mode & S_IFMT) {
            case S_IFREG:
                return Preview1.FILETYPE_REGULAR_FILE;
            case S_IFDIR:
                return Preview1.FILETYPE_DIRECTORY;
            case S_IFLNK:
                return Preview1.FILETYPE_SYMBOLIC_LINK;
            case S_IFCHR:
                return Preview1.FILETYPE_CHARACTER_DEVICE;
            case S_IFBLK:
                return Preview1.FILETYPE_BLOCK_DEVICE;
            case S_IFSOCK:
                // wasmtime traps on sockets ("not currently supported"); a type the guest can ignore is kinder.
                return Preview1.FILETYPE_UNKNOWN;
            default:
                // preview1 has no FIFO type; wasmtime reports unknown too.
                return Preview1.FILETYPE_UNKNOWN;
        }
    }

    static long nanos(FileTime time) {
        if (time == null) {
            return 0;
        }
        Instant instant = time.toInstant();
        if (instant.getEpochSecond() < 0) {
            return 0;
        }
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        } catch (ArithmeticException tooLate) {
            return -1L; // u64 max to the guest
        }
    }

    /** SipHash-2-4 of the two words under this environment's key. */
    long hash(long dev, long ino) {
        long[] v = {key0 ^ 0x736f6d6570736575L, key1 ^ 0x646f72616e646f6dL, key0 ^ 0x6c7967656e657261L,
            key1 ^ 0x7465646279746573L};
        for (long m : new long[] {dev, ino, 16L << 56}) {
            v[3] ^= m;
            sipRound(v);
            sipRound(v);
            v[0] ^= m;
        }
        v[2] ^= 0xff;
        for (int i = 0; i < 4; i++) {
            sipRound(v);
        }
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void sipRound(long[] v) {
        v[0] += v[1];
        v[1] = Long.rotateLeft(v[1], 13) ^ v[0];
        v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3];
        v[3] = Long.rotateLeft(v[3], 16) ^ v[2];
        v[0] += v[3];
        v[3] = Long.rotateLeft(v[3], 21) ^ v[0];
        v[2] += v[1];
        v[1] = Long.rotateLeft(v[1], 17) ^ v[2];
        v[2] = Long.rotateLeft(v[2], 32);
    }

    static void putLong(byte[] bytes, int offset, long value) {
        for (int i = 0; i < 8; i++) {
            bytes[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    static void putInt(byte[] bytes, int offset, int value) {
        for (int i = 0; i < 4; i++) {
            bytes[offset + i] = (byte) (value >>> (8 * i));
        }
    }
}
