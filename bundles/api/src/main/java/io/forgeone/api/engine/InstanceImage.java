package io.forgeone.api.engine;

import java.util.Objects;

/**
 * The state of an instance that lives outside its call stack: its linear memory and its globals. Taken between
 * calls or at a host call (where the guest's own stack is on hold), written back into a fresh instance of the same
 * module to continue from it. Tables are not included: a module's tables change only through instructions that
 * ForgeOne's snapshots refuse to rely on (see docs/snapshots.md).
 *
 * @param memory a copy of linear memory 0 (its length is a whole number of 64 KiB pages; empty without memory)
 * @param globals every global of the instance in index order, as raw bits (i32 sign-extended, f32/f64 bits)
 */
public record InstanceImage(byte[] memory, long[] globals) {
    public static final int PAGE_BYTES = 65536;

    public InstanceImage {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(globals, "globals");
        if (memory.length % PAGE_BYTES != 0) {
            throw new IllegalArgumentException("memory image of " + memory.length
                    + " bytes is not a whole number of 64 KiB pages");
        }
    }

    /** Linear memory size in pages. */
    public int memoryPages() {
        return memory.length / PAGE_BYTES;
    }
}
