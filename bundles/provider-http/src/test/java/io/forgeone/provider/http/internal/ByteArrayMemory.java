package io.forgeone.provider.http.internal;

import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.MemoryAccessException;

/** Guest linear memory for tests: a byte array with WebAssembly's bounds checks and little-endian values. */
final class ByteArrayMemory implements GuestMemory {
    final byte[] bytes;

    ByteArrayMemory(int size) {
        bytes = new byte[size];
    }

    private int check(long address, long length) {
        if (address < 0 || length < 0 || address + length > bytes.length) {
            throw new MemoryAccessException("out of bounds: " + address + "+" + length);
        }
        return (int) address;
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public byte readByte(long address) {
        return bytes[check(address, 1)];
    }

    @Override
    public void writeByte(long address, byte value) {
        bytes[check(address, 1)] = value;
    }

    @Override
    public int readI32(long address) {
        int at = check(address, 4);
        return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8 | (bytes[at + 2] & 0xFF) << 16 | (bytes[at + 3] & 0xFF) << 24;
    }

    @Override
    public void writeI32(long address, int value) {
        int at = check(address, 4);
        for (int i = 0; i < 4; i++) {
            bytes[at + i] = (byte) (value >>> (8 * i));
        }
    }

    @Override
    public long readI64(long address) {
        int at = check(address, 8);
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = value << 8 | (bytes[at + i] & 0xFF);
        }
        return value;
    }

    @Override
    public void writeI64(long address, long value) {
        int at = check(address, 8);
        for (int i = 0; i < 8; i++) {
            bytes[at + i] = (byte) (value >>> (8 * i));
        }
    }

    @Override
    public void read(long address, byte[] target, int offset, int length) {
        System.arraycopy(bytes, check(address, length), target, offset, length);
    }

    @Override
    public void write(long address, byte[] source, int offset, int length) {
        System.arraycopy(source, offset, bytes, check(address, length), length);
    }
}
