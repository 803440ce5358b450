package io.forgeone.observer.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Compact binary encoding of trace records: LEB128 varints (zigzag for signed values), length-prefixed UTF-8.
 * {@link Out} grows as needed and is reused; {@link In} reads a payload and says where and why it is malformed.
 */
final class Codec {
    private Codec() {
    }

    /**
     * Writes {@code value} as a LEB128 varint at {@code at} (up to 10 bytes; the caller makes room) and returns the
     * position after it: for writers into a buffer of their own (the snapshot history, on the guest's thread).
     */
    static int putVarlong(byte[] bytes, int at, long value) {
        int p = at;
        long v = value;
        while ((v & ~0x7FL) != 0) {
            bytes[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        bytes[p++] = (byte) v;
        return p;
    }

    /** A signed value as the unsigned one zigzag encoding writes (small magnitudes stay small). */
    static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    /** A reusable output buffer. */
    static final class Out {
        private byte[] bytes = new byte[4096];
        private int size;

        void reset() {
            size = 0;
        }

        int size() {
            return size;
        }

        byte[] array() {
            return bytes;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
            }
        }

        void u8(int value) {
            ensure(1);
            bytes[size++] = (byte) value;
        }

        void u32(int value) {
            ensure(4);
            bytes[size++] = (byte) (value >>> 24);
            bytes[size++] = (byte) (value >>> 16);
            bytes[size++] = (byte) (value >>> 8);
            bytes[size++] = (byte) value;
        }

        void varlong(long value) {
            ensure(10);
            size = putVarlong(bytes, size, value);
        }

        void zigzag(long value) {
            varlong(Codec.zigzag(value));
        }

        void bytes(byte[] source, int offset, int length) {
            ensure(length);
            System.arraycopy(source, offset, bytes, size, length);
            size += length;
        }

        void utf(String text) {
            byte[] utf = text.getBytes(StandardCharsets.UTF_8);
            varlong(utf.length);
            bytes(utf, 0, utf.length);
        }
    }

    /** Thrown while decoding a payload; {@code position} is the offset in the payload. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;
        final int position;

        Malformed(int position, String why) {
            super(why);
            this.position = position;
        }
    }

    /** Reads one payload. */
    static final class In {
        private final byte[] bytes;
        private final int end;
        private int at;

        In(byte[] bytes, int offset, int length) {
            this.bytes = bytes;
            this.at = offset;
            this.end = offset + length;
        }

        int position() {
            return at;
        }

        boolean atEnd() {
            return at >= end;
        }

        int u8() throws Malformed {
            if (at >= end) {
                throw new Malformed(at, "record ends in the middle of a field");
            }
            return bytes[at++] & 0xFF;
        }

        long varlong() throws Malformed {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = u8();
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new Malformed(at, "a number is longer than 10 bytes");
        }

        long zigzag() throws Malformed {
            long v = varlong();
            return (v >>> 1) ^ -(v & 1);
        }

        /** A non-negative count or length, at most {@code max}. */
        int count(int max, String what) throws Malformed {
            int where = at;
            long v = varlong();
            if (v < 0 || v > max) {
                throw new Malformed(where, what + " is " + v + ", more than " + max);
            }
            return (int) v;
        }

        byte[] bytes(int length) throws Malformed {
            if (length > end - at) {
                throw new Malformed(at, length + " bytes announced but only " + (end - at) + " left in the record");
            }
            byte[] out = Arrays.copyOfRange(bytes, at, at + length);
            at += length;
            return out;
        }

        String utf(int max, String what) throws Malformed {
            return new String(bytes(count(max, what + " length")), StandardCharsets.UTF_8);
        }
    }
}
