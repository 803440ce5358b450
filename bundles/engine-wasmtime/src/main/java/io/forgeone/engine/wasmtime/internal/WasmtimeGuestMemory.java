package io.forgeone.engine.wasmtime.internal;

import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.MemoryAccessException;
import io.github.kawamuray.wasmtime.Memory;
import io.github.kawamuray.wasmtime.Store;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A bounds-checked view of an instance's linear memory (memory 0) over wasmtime's memory, with the semantics of the
 * Chicory engine's view: every access outside the current size is a {@link MemoryAccessException} naming it.
 *
 * <p>wasmtime-java hands out a direct buffer over the memory as it is at that moment; the guest may grow the memory
 * between two host calls, so the view asks again for the buffer at the first access after {@link #invalidate()}
 * (called as each host call begins and after each call into the guest). The memory itself does not move: a 32-bit
 * memory in wasmtime 7 on a 64-bit host is a fixed 4 GiB reservation, so an earlier buffer stays valid while it is
 * used. A module without memory has an empty view.
 *
 * <p>Every access holds the view's monitor, and so does {@link #release()}, which the instance calls before it frees
 * the store: a thread still reading the memory of a closed instance gets an out-of-bounds error rather than a read of
 * freed native memory. Uncontended (one thread calls into an instance at a time), the monitor costs nanoseconds, next
 * to microseconds for the JNI crossing of the host call itself.
 */
final class WasmtimeGuestMemory implements GuestMemory {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Store<Void> store;
    private Memory memory;
    private ByteBuffer buffer;
    private boolean stale = true;
    private boolean released;

    /** An empty view until {@link #bind} (the start function may call host functions before the instance exists). */
    WasmtimeGuestMemory(Store<Void> store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** @param memory the instance's memory 0, or null when it has none */
    synchronized void bind(Memory memory) {
        this.memory = memory;
        stale = true;
    }

    /** The memory may have grown: look again at the next access. */
    synchronized void invalidate() {
        stale = true;
    }

    /** The instance is closed and its memory gone: from now on the view is empty. */
    synchronized void release() {
        released = true;
        buffer = EMPTY;
        stale = false;
    }

    private ByteBuffer buffer() {
        if (stale && !released) {
            buffer = memory == null ? EMPTY : memory.buffer(store).order(ByteOrder.LITTLE_ENDIAN);
            stale = false;
        }
        return buffer;
    }

    @Override
    public synchronized long size() {
        return buffer().capacity();
    }

    @Override
    public synchronized byte readByte(long address) {
        ByteBuffer b = checked(address, Byte.BYTES);
        return b.get((int) address);
    }

    @Override
    public synchronized void writeByte(long address, byte value) {
        checked(address, Byte.BYTES).put((int) address, value);
    }

    @Override
    public synchronized int readI32(long address) {
        return checked(address, Integer.BYTES).getInt((int) address);
    }

    @Override
    public synchronized void writeI32(long address, int value) {
        checked(address, Integer.BYTES).putInt((int) address, value);
    }

    @Override
    public synchronized long readI64(long address) {
        return checked(address, Long.BYTES).getLong((int) address);
    }

    @Override
    public synchronized void writeI64(long address, long value) {
        checked(address, Long.BYTES).putLong((int) address, value);
    }

    @Override
    public synchronized void read(long address, byte[] target, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, target.length);
        ByteBuffer b = checked(address, length);
        if (length > 0) {
            b.get((int) address, target, offset, length);
        }
    }

    @Override
    public synchronized void write(long address, byte[] source, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, source.length);
        ByteBuffer b = checked(address, length);
        if (length > 0) {
            b.put((int) address, source, offset, length);
        }
    }

    /**
     * The buffer, if {@code [address, address + length)} lies inside it. Addresses are unsigned 32-bit offsets, so a
     * negative one is out of bounds like any past the end. A direct buffer holds at most 2 GiB - 1 bytes, which is
     * also the most the engine lets a memory reach (see {@link WasmtimeInstance}).
     */
    private ByteBuffer checked(long address, long length) {
        ByteBuffer b = buffer();
        long size = b.capacity();
        if (address < 0 || length < 0 || address > size - length) {
            throw new MemoryAccessException("guest memory access out of bounds: address " + address + " (0x"
                    + Long.toHexString(address) + "), length " + length + ", memory size " + size + " bytes");
        }
        return b;
    }
}
