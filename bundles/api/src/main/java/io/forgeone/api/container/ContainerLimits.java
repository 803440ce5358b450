package io.forgeone.api.container;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-container limits.
 *
 * @param maxMemoryPages the most 64 KiB pages of linear memory (1..65536)
 * @param wallTimeout how long the entry point may run; {@link Duration#ZERO} for no limit
 * @param logBufferBytes how many of the latest bytes of stdout and of stderr each are kept; older output is dropped
 */
public record ContainerLimits(int maxMemoryPages, Duration wallTimeout, int logBufferBytes) {
    /** 256 MiB of linear memory, 30 seconds, 1 MiB of each output stream. */
    public static final ContainerLimits DEFAULT = new ContainerLimits(4096, Duration.ofSeconds(30), 1 << 20);

    public ContainerLimits {
        if (maxMemoryPages < 1 || maxMemoryPages > 65536) {
            throw new IllegalArgumentException("maxMemoryPages must be 1..65536, was " + maxMemoryPages);
        }
        Objects.requireNonNull(wallTimeout, "wallTimeout");
        if (wallTimeout.isNegative()) {
            throw new IllegalArgumentException("wallTimeout must not be negative, was " + wallTimeout);
        }
        if (logBufferBytes < 0) {
            throw new IllegalArgumentException("logBufferBytes must not be negative, was " + logBufferBytes);
        }
    }

    public ContainerLimits withMaxMemoryPages(int pages) {
        return new ContainerLimits(pages, wallTimeout, logBufferBytes);
    }

    public ContainerLimits withWallTimeout(Duration timeout) {
        return new ContainerLimits(maxMemoryPages, timeout, logBufferBytes);
    }

    public ContainerLimits withLogBufferBytes(int bytes) {
        return new ContainerLimits(maxMemoryPages, wallTimeout, bytes);
    }
}
