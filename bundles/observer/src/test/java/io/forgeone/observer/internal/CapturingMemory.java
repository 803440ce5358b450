package io.forgeone.observer.internal;

import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.observe.MemoryAccesses;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * For tests: a guest memory view that keeps what a host call read and wrote, as the kernel's recording memory
 * does (without its buffer reuse), over a real instance's memory or a plain byte array.
 */
final class CapturingMemory implements GuestMemory, MemoryAccesses {
    private GuestMemory memory;
    private final List<RawCall.Access> accesses = new ArrayList<>();
    private long written;

    CapturingMemory begin(GuestMemory target) {
        memory = target;
        accesses.clear();
        written = 0;
        return this;
    }

    /** A memory of {@code size} zero bytes, for tests without an engine. */
    static GuestMemory bytes(int size) {
        byte[] b = new byte[size];
        return new GuestMemory() {
            @Override
            public long size() {
                return b.length;
            }

            @Override
            public byte readByte(long address) {
                return b[(int) address];
            }

            @Override
            public void writeByte(long address, byte value) {
                b[(int) address] = value;
            }

            @Override
            public int readI32(long address) {
                return (b[(int) address] & 0xFF) | (b[(int) address + 1] & 0xFF) << 8
                        | (b[(int) address + 2] & 0xFF) << 16 | (b[(int) address + 3] & 0xFF) << 24;
            }

            @Override
            public void writeI32(long address, int value) {
                for (int i = 0; i < 4; i++) {
                    b[(int) address + i] = (byte) (value >>> (8 * i));
                }
            }

            @Override
            public long readI64(long address) {
                return (readI32(address) & 0xFFFFFFFFL) | (long) readI32(address + 4) << 32;
            }

            @Override
            public void writeI64(long address, long value) {
                writeI32(address, (int) value);
                writeI32(address + 4, (int) (value >>> 32));
            }

            @Override
            public void read(long address, byte[] target, int offset, int length) {
                System.arraycopy(b, (int) address, target, offset, length);
            }

            @Override
            public void write(long address, byte[] source, int offset, int length) {
                System.arraycopy(source, offset, b, (int) address, length);
            }
        };
    }

    private void keep(boolean write, long address, byte[] bytes) {
        if (write) {
            written += bytes.length;
        }
        accesses.add(new RawCall.Access(write, address, bytes));
    }

    private static byte[] le(long value, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            out.write((int) (value >>> (8 * i)));
        }
        return out.toByteArray();
    }

    @Override
    public long size() {
        return memory.size();
    }

    @Override
    public byte readByte(long address) {
        byte v = memory.readByte(address);
        keep(false, address, new byte[] {v});
        return v;
    }

    @Override
    public void writeByte(long address, byte value) {
        memory.writeByte(address, value);
        keep(true, address, new byte[] {value});
    }

    @Override
    public int readI32(long address) {
        int v = memory.readI32(address);
        keep(false, address, le(v, 4));
        return v;
    }

    @Override
    public void writeI32(long address, int value) {
        memory.writeI32(address, value);
        keep(true, address, le(value, 4));
    }

    @Override
    public long readI64(long address) {
        long v = memory.readI64(address);
        keep(false, address, le(v, 8));
        return v;
    }

    @Override
    public void writeI64(long address, long value) {
        memory.writeI64(address, value);
        keep(true, address, le(value, 8));
    }

    @Override
    public void read(long address, byte[] target, int offset, int length) {
        memory.read(address, target, offset, length);
        keep(false, address, java.util.Arrays.copyOfRange(target, offset, offset + length));
    }

    @Override
    public void write(long address, byte[] source, int offset, int length) {
        memory.write(address, source, offset, length);
        keep(true, address, java.util.Arrays.copyOfRange(source, offset, offset + length));
    }

    @Override
    public int count() {
        return accesses.size();
    }

    @Override
    public boolean isWrite(int access) {
        return accesses.get(access).write();
    }

    @Override
    public long address(int access) {
        return accesses.get(access).address();
    }

    @Override
    public int length(int access) {
        return accesses.get(access).bytes().length;
    }

    @Override
    public void copy(int access, byte[] target, int offset) {
        byte[] b = accesses.get(access).bytes();
        System.arraycopy(b, 0, target, offset, b.length);
    }

    @Override
    public long bytesWritten() {
        return written;
    }
}
