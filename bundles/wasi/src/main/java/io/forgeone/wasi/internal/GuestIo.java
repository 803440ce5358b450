package io.forgeone.wasi.internal;

import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.MemoryAccessException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reading arguments and guest memory the way preview1 lays them out. */
final class GuestIo {
    /** Linux PATH_MAX: a longer path is ENAMETOOLONG before anything is read from the host. */
    static final int MAX_PATH_BYTES = 4095;
    /** Linux IOV_MAX: more iovecs than this is EINVAL, which also bounds the work one call can cause. */
    static final int MAX_IOVECS = 1024;
    /** The most bytes one read or write moves; more is a short count, which every caller must handle. */
    static final int MAX_IO_BYTES = 1 << 20;

    private GuestIo() {
    }

    /** An i32 argument (a descriptor, flags, an enum). */
    static int i32(long[] args, int index) {
        return (int) args[index];
    }

    /** An unsigned 32-bit argument (a pointer or a size). */
    static long u32(long[] args, int index) {
        return args[index] & 0xFFFF_FFFFL;
    }

    /** Traps the guest (MemoryAccessException) unless {@code [address, address + length)} lies in guest memory. */
    static void checkRange(GuestMemory memory, long address, long length) {
        if (address < 0 || length < 0 || address + length > memory.size()) {
            throw new MemoryAccessException("guest range " + address + "+" + length + " is outside memory of "
                    + memory.size() + " bytes");
        }
    }

    /** A path argument: at most {@link #MAX_PATH_BYTES} bytes of valid UTF-8 (else EILSEQ, as wasmtime). */
    static String path(GuestMemory memory, long address, long length) {
        if (length > MAX_PATH_BYTES) {
            throw new ErrnoException(Errno.NAMETOOLONG);
        }
        byte[] bytes = memory.readBytes(address, (int) length);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ErrnoException(Errno.ILSEQ);
        }
    }

    /** The sum of the lengths of an iovec array, for describe(); never fails. */
    static Object totalLength(GuestMemory memory, long iovs, long count) {
        try {
            long total = 0;
            for (long i = 0; i < Math.min(count, MAX_IOVECS); i++) {
                total += memory.readI32(iovs + i * Preview1.IOVEC_SIZE + 4) & 0xFFFF_FFFFL;
            }
            return total;
        } catch (MemoryAccessException e) {
            return "<fault>";
        }
    }

    /** A path for describe(); never fails. */
    static Object describePath(GuestMemory memory, long address, long length) {
        try {
            return path(memory, address, length);
        } catch (MemoryAccessException e) {
            return "<fault>";
        } catch (ErrnoException e) {
            return "<" + Errno.name(e.errno()).toLowerCase(Locale.ROOT) + ">";
        }
    }

    /**
     * The iovec array at {@code iovs} as pairs {address, length}, every buffer checked to lie in memory
     * before any I/O happens, so a bad pointer never loses data that was already read or written.
     */
    static long[] iovecs(GuestMemory memory, long iovs, long count) {
        if (count > MAX_IOVECS) {
            throw new ErrnoException(Errno.INVAL);
        }
        long[] pairs = new long[(int) count * 2];
        for (int i = 0; i < count; i++) {
            long at = iovs + (long) i * Preview1.IOVEC_SIZE;
            long address = memory.readI32(at) & 0xFFFF_FFFFL;
            long length = memory.readI32(at + 4) & 0xFFFF_FFFFL;
            checkRange(memory, address, length);
            pairs[2 * i] = address;
            pairs[2 * i + 1] = length;
        }
        return pairs;
    }

    /** How many bytes one transfer over these iovecs moves: all of them, up to {@link #MAX_IO_BYTES}. */
    static int transferSize(long[] pairs) {
        long total = 0;
        for (int i = 1; i < pairs.length; i += 2) {
            total += pairs[i];
            if (total >= MAX_IO_BYTES) {
                return MAX_IO_BYTES;
            }
        }
        return (int) total;
    }

    /** Copies {@code length} bytes out of the iovecs, in order, into {@code into}. */
    static void gather(GuestMemory memory, long[] pairs, byte[] into, int length) {
        int filled = 0;
        for (int i = 0; i < pairs.length && filled < length; i += 2) {
            int take = (int) Math.min(pairs[i + 1], length - filled);
            memory.read(pairs[i], into, filled, take);
            filled += take;
        }
    }

    /** Copies {@code length} bytes from {@code from} into the iovecs, in order. */
    static void scatter(GuestMemory memory, long[] pairs, byte[] from, int length) {
        int done = 0;
        for (int i = 0; i < pairs.length && done < length; i += 2) {
            int put = (int) Math.min(pairs[i + 1], length - done);
            memory.write(pairs[i], from, done, put);
            done += put;
        }
    }

    /** The first iovec with a non-zero length, as {address, length}, or {0, 0} (wasmtime's choice for stdin). */
    static long[] firstNonEmpty(long[] pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != 0) {
                return new long[] {pairs[i], pairs[i + 1]};
            }
        }
        return new long[] {0, 0};
    }
}
