package io.forgeone.observer.internal;

import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.MemoryAccessException;
import java.util.List;

/**
 * The guest memory one recorded call saw, as far as the trace has it: the bytes it read, or the bytes it wrote,
 * for decoding the call after the guest's memory has moved on. Reading anything the call did not touch throws
 * {@link MemoryAccessException}, which host functions' describers report as a fault. Read-only.
 */
final class RecordedMemory implements GuestMemory {
    private final List<RawCall.Access> accesses;
    private final boolean writes;

    /** @param writes whether to show what the call wrote (its outputs) rather than what it read (its inputs) */
    RecordedMemory(List<RawCall.Access> accesses, boolean writes) {
        this.accesses = accesses;
        this.writes = writes;
    }

    @Override
    public long size() {
        return 1L << 32;
    }

    @Override
    public byte readByte(long address) {
        // the latest access covering the address wins, as in memory
        for (int i = accesses.size() - 1; i >= 0; i--) {
            RawCall.Access a = accesses.get(i);
            if (a.write() == writes && address >= a.address() && address < a.address() + a.bytes().length) {
                return a.bytes()[(int) (address - a.address())];
            }
        }
        throw new MemoryAccessException("byte " + Long.toUnsignedString(address) + " was not "
                + (writes ? "written" : "read") + " by the recorded call");
    }

    @Override
    public void writeByte(long address, byte value) {
        throw new MemoryAccessException("recorded memory is read-only");
    }

    @Override
    public int readI32(long address) {
        return (readByte(address) & 0xFF) | (readByte(address + 1) & 0xFF) << 8 | (readByte(address + 2) & 0xFF) << 16
                | (readByte(address + 3) & 0xFF) << 24;
    }

    @Override
    public void writeI32(long address, int value) {
        throw new MemoryAccessException("recorded memory is read-only");
    }

    @Override
    public long readI64(long address) {
        return (readI32(address) & 0xFFFFFFFFL) | (long) readI32(address + 4) << 32;
    }

    @Override
    public void writeI64(long address, long value) {
        throw new MemoryAccessException("recorded memory is read-only");
    }

    @Override
    public void read(long address, byte[] target, int offset, int length) {
        for (int i = 0; i < length; i++) {
            target[offset + i] = readByte(address + i);
        }
    }

    @Override
    public void write(long address, byte[] source, int offset, int length) {
        throw new MemoryAccessException("recorded memory is read-only");
    }
}
