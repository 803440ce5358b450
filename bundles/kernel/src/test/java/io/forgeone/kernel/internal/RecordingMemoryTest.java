package io.forgeone.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.MemoryAccessException;
import io.forgeone.api.observe.MemoryAccesses;
import org.junit.jupiter.api.Test;

class RecordingMemoryTest {

    /** Plain little-endian memory over an array. */
    static final class ArrayMemory implements GuestMemory {
        final byte[] b = new byte[1 << 20];

        @Override
        public long size() {
            return b.length;
        }

        private int at(long address, int n) {
            if (address < 0 || address + n > b.length) {
                throw new MemoryAccessException("out of bounds: " + address);
            }
            return (int) address;
        }

        @Override
        public byte readByte(long address) {
            return b[at(address, 1)];
        }

        @Override
        public void writeByte(long address, byte value) {
            b[at(address, 1)] = value;
        }

        @Override
        public int readI32(long address) {
            int a = at(address, 4);
            return (b[a] & 0xFF) | (b[a + 1] & 0xFF) << 8 | (b[a + 2] & 0xFF) << 16 | (b[a + 3] & 0xFF) << 24;
        }

        @Override
        public void writeI32(long address, int value) {
            int a = at(address, 4);
            for (int i = 0; i < 4; i++) {
                b[a + i] = (byte) (value >>> (8 * i));
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
            System.arraycopy(b, at(address, length), target, offset, length);
        }

        @Override
        public void write(long address, byte[] source, int offset, int length) {
            System.arraycopy(source, offset, b, at(address, length), length);
        }
    }

    private static byte[] bytes(MemoryAccesses a, int i) {
        byte[] out = new byte[a.length(i)];
        a.copy(i, out, 0);
        return out;
    }

    @Test
    void keepsReadsAndWritesInOrderAndPassesThemThrough() {
        ArrayMemory guest = new ArrayMemory();
        guest.write(100, "data/x".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        RecordingMemory m = new RecordingMemory().begin(guest);
        assertEquals("data/x", m.readUtf8(100, 6));
        m.writeI32(500, 7);
        m.writeI64(504, -1L);
        assertEquals(7, guest.readI32(500));
        assertEquals(2, m.count());
        assertFalse(m.isWrite(0));
        assertEquals(100, m.address(0));
        assertArrayEquals("data/x".getBytes(java.nio.charset.StandardCharsets.UTF_8), bytes(m, 0));
        assertTrue(m.isWrite(1));
        assertEquals(500, m.address(1));
        assertEquals(12, m.length(1), "the i64 right after the i32 is one write");
        assertEquals(12, m.bytesWritten());
        assertArrayEquals(new byte[] {7, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1}, bytes(m, 1));
    }

    @Test
    void aNewCallForgetsThePreviousOne() {
        ArrayMemory guest = new ArrayMemory();
        RecordingMemory m = new RecordingMemory().begin(guest);
        m.writeByte(1, (byte) 1);
        m.begin(guest);
        assertEquals(0, m.count());
        assertEquals(0, m.bytesWritten());
        assertThrows(IndexOutOfBoundsException.class, () -> m.address(0));
    }

    @Test
    void readsAreKeptUpToTheLimitWritesWhole() {
        ArrayMemory guest = new ArrayMemory();
        RecordingMemory m = new RecordingMemory().begin(guest);
        m.readBytes(0, 100_000);
        byte[] big = new byte[200_000];
        big[199_999] = 9;
        m.write(300_000, big);
        assertEquals(2, m.count());
        assertEquals(MemoryAccesses.READ_LIMIT, m.length(0));
        assertEquals(200_000, m.length(1));
        assertEquals(9, bytes(m, 1)[199_999]);
        assertEquals(200_000, m.bytesWritten());
    }

    @Test
    void aFaultingAccessIsNotKept() {
        ArrayMemory guest = new ArrayMemory();
        RecordingMemory m = new RecordingMemory().begin(guest);
        assertThrows(MemoryAccessException.class, () -> m.writeI32(guest.size() - 2, 1));
        assertEquals(0, m.count());
    }
}
