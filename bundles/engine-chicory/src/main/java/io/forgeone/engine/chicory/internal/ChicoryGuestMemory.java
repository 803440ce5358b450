package io.forgeone.engine.chicory.internal;

import com.dylibso.chicory.runtime.Memory;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.MemoryAccessException;
import java.util.Objects;

/**
 * A bounds-checked view of an instance's linear memory (memory 0). Chicory's memory is little-endian like
 * WebAssembly; this view adds the checks the API promises, so a host function gets a {@link MemoryAccessException}
 * naming the access rather than Chicory's trap exception.
 *
 * <p>The view exists before its memory: host functions hold it from instantiation on, and the start function may
 * call them while Chicory is still building the instance. A module without memory keeps an empty view.
 */
final class ChicoryGuestMemory implements GuestMemory {

    private volatile Memory memory;

    /** Binds the view to the instance's first memory; later memories (multi-memory) are not part of it. */
    Memory attach(Memory created) {
        if (memory == null) {
            memory = created;
        }
        return created;
    }

    @Override
    public long size() {
        Memory current = memory;
        return current == null ? 0 : (long) current.pages() * Memory.PAGE_SIZE;
    }

    @Override
    public byte readByte(long address) {
        return checked(address, Byte.BYTES).read((int) address);
    }

    @Override
    public void writeByte(long address, byte value) {
        checked(address, Byte.BYTES).writeByte((int) address, value);
    }

    @Override
    public int readI32(long address) {
        return checked(address, Integer.BYTES).readInt((int) address);
    }

    @Override
    public void writeI32(long address, int value) {
        checked(address, Integer.BYTES).writeI32((int) address, value);
    }

    @Override
    public long readI64(long address) {
        return checked(address, Long.BYTES).readLong((int) address);
    }

    @Override
    public void writeI64(long address, long value) {
        checked(address, Long.BYTES).writeLong((int) address, value);
    }

    @Override
    public void read(long address, byte[] target, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, target.length);
        Memory current = checked(address, length);
        if (length > 0) {
            System.arraycopy(current.readBytes((int) address, length), 0, target, offset, length);
        }
    }

    @Override
    public void write(long address, byte[] source, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, source.length);
        Memory current = checked(address, length);
        if (length > 0) {
            current.write((int) address, source, offset, length);
        }
    }

    /**
     * The memory, if {@code [address, address + length)} lies inside it. Addresses are unsigned 32-bit offsets, so
     * a negative one is out of bounds like any past the end; Chicory's memories stay below 2 GiB, so an address
     * that passes fits in an {@code int}.
     */
    private Memory checked(long address, long length) {
        Memory current = memory;
        long size = current == null ? 0 : (long) current.pages() * Memory.PAGE_SIZE;
        if (address < 0 || length < 0 || address > size - length) {
            throw new MemoryAccessException("guest memory access out of bounds: address " + address + " (0x"
                    + Long.toHexString(address) + "), length " + length + ", memory size " + size + " bytes");
        }
        return current;
    }
}
