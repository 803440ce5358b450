package io.forgeone.api.engine;

/**
 * Resource limits an engine enforces on one instance.
 *
 * @param maxMemoryPages the most 64 KiB pages linear memory may grow to (1..65536); a module that declares a
 *     larger initial memory fails to instantiate, and {@code memory.grow} past it returns -1 to the guest
 */
public record InstanceLimits(int maxMemoryPages) {
    public static final int MAX_PAGES = 65536;

    public InstanceLimits {
        if (maxMemoryPages < 1 || maxMemoryPages > MAX_PAGES) {
            throw new IllegalArgumentException("maxMemoryPages must be 1.." + MAX_PAGES + ", was " + maxMemoryPages);
        }
    }
}
