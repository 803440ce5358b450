package io.forgeone.kernel.internal;

import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.observe.MemoryAccesses;
import java.util.Arrays;

/**
 * A guest memory view that keeps what one host call reads and writes, for the observer. One per container run,
 * reused for every call: its buffers grow to the largest call seen and are not allocated again. Adjacent
 * accesses of the same kind are merged (a path read byte by byte is one read). Reads are kept up to
 * {@link MemoryAccesses#READ_LIMIT} bytes per call; writes whole, since a replay must put them back.
 */
final class RecordingMemory implements GuestMemory, MemoryAccesses {
    private static final int INITIAL_ACCESSES = 16;

    private GuestMemory memory;
    private byte[] data = new byte[8192];
    private long[] addresses = new long[INITIAL_ACCESSES];
    private int[] offsets = new int[INITIAL_ACCESSES];
    private int[] lengths = new int[INITIAL_ACCESSES];
    private boolean[] writes = new boolean[INITIAL_ACCESSES];
    private int count;
    private int used;
    private int readKept;
    private long written;

    /** Starts a call on {@code target}: forgets the previous call's accesses. */
    RecordingMemory begin(GuestMemory target) {
        memory = target;
        count = 0;
        used = 0;
        readKept = 0;
        written = 0;
        return this;
    }

    // ---- GuestMemory -------------------------------------------------------------------------------------------

    @Override
    public long size() {
        return memory.size();
    }

    @Override
    public byte readByte(long address) {
        byte value = memory.readByte(address);
        if (readKept < READ_LIMIT) {
            int at = slot(address, 1, false);
            data[at] = value;
        }
        return value;
    }

    @Override
    public void writeByte(long address, byte value) {
        memory.writeByte(address, value);
        int at = slot(address, 1, true);
        data[at] = value;
    }

    @Override
    public int readI32(long address) {
        int value = memory.readI32(address);
        if (readKept + 4 <= READ_LIMIT) {
            putI32(slot(address, 4, false), value);
        }
        return value;
    }

    @Override
    public void writeI32(long address, int value) {
        memory.writeI32(address, value);
        putI32(slot(address, 4, true), value);
    }

    @Override
    public long readI64(long address) {
        long value = memory.readI64(address);
        if (readKept + 8 <= READ_LIMIT) {
            putI64(slot(address, 8, false), value);
        }
        return value;
    }

    @Override
    public void writeI64(long address, long value) {
        memory.writeI64(address, value);
        putI64(slot(address, 8, true), value);
    }

    @Override
    public void read(long address, byte[] target, int offset, int length) {
        memory.read(address, target, offset, length);
        int keep = Math.min(length, READ_LIMIT - readKept);
        if (keep > 0) {
            int at = slot(address, keep, false);
            System.arraycopy(target, offset, data, at, keep);
        }
    }

    @Override
    public void write(long address, byte[] source, int offset, int length) {
        memory.write(address, source, offset, length);
        if (length > 0) {
            int at = slot(address, length, true);
            System.arraycopy(source, offset, data, at, length);
        }
    }

    /**
     * Where in {@code data} the bytes of an access go (it may grow {@code data}: call before reading the field);
     * extends the last access when this one continues it.
     */
    private int slot(long address, int length, boolean write) {
        if (write) {
            written += length;
        } else {
            readKept += length;
        }
        ensureData(length);
        int at = used;
        used += length;
        int last = count - 1;
        if (last >= 0 && writes[last] == write && addresses[last] + lengths[last] == address
                && offsets[last] + lengths[last] == at) {
            lengths[last] += length;
            return at;
        }
        if (count == addresses.length) {
            int grown = count * 2;
            addresses = Arrays.copyOf(addresses, grown);
            offsets = Arrays.copyOf(offsets, grown);
            lengths = Arrays.copyOf(lengths, grown);
            writes = Arrays.copyOf(writes, grown);
        }
        addresses[count] = address;
        offsets[count] = at;
        lengths[count] = length;
        writes[count] = write;
        count++;
        return at;
    }

    private void ensureData(int length) {
        if (used + length > data.length) {
            long need = (long) used + length;
            if (need > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("one host call accessed more than 2 GiB of guest memory");
            }
            data = Arrays.copyOf(data, (int) Math.max(need, Math.min(Integer.MAX_VALUE - 8, data.length * 2L)));
        }
    }

    private void putI32(int at, int value) {
        data[at] = (byte) value;
        data[at + 1] = (byte) (value >>> 8);
        data[at + 2] = (byte) (value >>> 16);
        data[at + 3] = (byte) (value >>> 24);
    }

    private void putI64(int at, long value) {
        putI32(at, (int) value);
        putI32(at + 4, (int) (value >>> 32));
    }

    // ---- MemoryAccesses ----------------------------------------------------------------------------------------

    @Override
    public int count() {
        return count;
    }

    @Override
    public boolean isWrite(int access) {
        return writes[check(access)];
    }

    @Override
    public long address(int access) {
        return addresses[check(access)];
    }

    @Override
    public int length(int access) {
        return lengths[check(access)];
    }

    @Override
    public void copy(int access, byte[] target, int offset) {
        int i = check(access);
        System.arraycopy(data, offsets[i], target, offset, lengths[i]);
    }

    @Override
    public long bytesWritten() {
        return written;
    }

    private int check(int access) {
        if (access < 0 || access >= count) {
            throw new IndexOutOfBoundsException("access " + access + " of " + count);
        }
        return access;
    }
}
