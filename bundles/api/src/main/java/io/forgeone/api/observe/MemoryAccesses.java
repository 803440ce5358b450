package io.forgeone.api.observe;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The guest memory one host call read and wrote, in the order it did, kept by the kernel in buffers it reuses.
 * Writes are kept whole: they are what the call returned to the guest besides its results, and what a replay
 * puts back. Reads are kept up to {@link #READ_LIMIT} bytes per call: enough to decode the call's arguments (a
 * path, an iovec list) when the trace is read, after the guest's memory has moved on.
 */
@ProviderType
public interface MemoryAccesses {

    /** Bytes of reads kept per call; reads beyond are counted, not kept. */
    int READ_LIMIT = 4096;

    /** Accesses kept. */
    int count();

    boolean isWrite(int access);

    long address(int access);

    int length(int access);

    /** Copies the bytes of an access into {@code target} at {@code offset}. */
    void copy(int access, byte[] target, int offset);

    /** Bytes written by the call, in total. */
    long bytesWritten();
}
