package io.forgeone.kernel.internal;

import java.nio.charset.StandardCharsets;

/**
 * Keeps the latest {@code capacity} bytes written to one output stream; older bytes are dropped and counted,
 * so a guest that floods its output never costs the node more than the limit. The buffer grows as output
 * arrives, so a quiet container does not pay for its whole limit up front.
 */
final class BoundedLog {
    private static final int INITIAL = 256;
    private final int capacity;
    private byte[] ring = new byte[0];
    private int head;
    private int size;
    private long written;

    BoundedLog(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative, was " + capacity);
        }
        this.capacity = capacity;
    }

    synchronized void append(byte[] bytes, int offset, int length) {
        written += length;
        if (capacity == 0 || length == 0) {
            return;
        }
        if (length >= capacity) {
            offset += length - capacity;
            length = capacity;
            ensure(capacity);
            head = 0;
            size = 0;
        } else {
            ensure(Math.min(capacity, size + length));
        }
        int cap = ring.length;
        int tail = (head + size) % cap;
        int first = Math.min(length, cap - tail);
        System.arraycopy(bytes, offset, ring, tail, first);
        System.arraycopy(bytes, offset + first, ring, 0, length - first);
        int kept = size + length;
        if (kept > cap) {
            head = (head + kept - cap) % cap;
            kept = cap;
        }
        size = kept;
    }

    private void ensure(int needed) {
        if (ring.length >= needed) {
            return;
        }
        int grown = Math.max(needed, Math.min(capacity, Math.max(INITIAL, ring.length * 2)));
        byte[] bigger = new byte[grown];
        copyOut(bigger);
        ring = bigger;
        head = 0;
    }

    private void copyOut(byte[] target) {
        int first = Math.min(size, ring.length - head);
        System.arraycopy(ring, head, target, 0, first);
        System.arraycopy(ring, 0, target, first, size - first);
    }

    /** The kept bytes, oldest first. */
    synchronized byte[] contents() {
        byte[] out = new byte[size];
        if (size > 0) {
            copyOut(out);
        }
        return out;
    }

    String text() {
        return new String(contents(), StandardCharsets.UTF_8);
    }

    synchronized long dropped() {
        return written - size;
    }
}
