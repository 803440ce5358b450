package io.forgeone.api.engine;

import java.nio.charset.StandardCharsets;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A view of one instance's linear memory. Addresses are unsigned 32-bit offsets carried in an {@code int}
 * or {@code long}; every access outside the current memory size throws {@link MemoryAccessException}.
 * Multi-byte values are little-endian, as in WebAssembly.
 */
@ProviderType
public interface GuestMemory {

    /** Current size in bytes. */
    long size();

    byte readByte(long address);

    void writeByte(long address, byte value);

    int readI32(long address);

    void writeI32(long address, int value);

    long readI64(long address);

    void writeI64(long address, long value);

    void read(long address, byte[] target, int offset, int length);

    void write(long address, byte[] source, int offset, int length);

    default byte[] readBytes(long address, int length) {
        byte[] bytes = new byte[length];
        read(address, bytes, 0, length);
        return bytes;
    }

    default void write(long address, byte[] source) {
        write(address, source, 0, source.length);
    }

    default String readUtf8(long address, int length) {
        return new String(readBytes(address, length), StandardCharsets.UTF_8);
    }
}
