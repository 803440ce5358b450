package io.forgeone.api.container;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-container limits.
 *
 * @param maxMemoryPages the most 64 KiB pages of linear memory (1..65536)
 * @param wallTimeout how long the entry point may run; {@link Duration#ZERO} for no limit
 * @param logBufferBytes how many of the latest bytes of stdout and of stderr each are kept; older output is dropped
 * @param cpuTime how much CPU time the guest's thread may use; {@link Duration#ZERO} for no limit
 */
public record ContainerLimits(int maxMemoryPages, Duration wallTimeout, int logBufferBytes, Duration cpuTime) {
    /** 256 MiB of linear memory, 30 seconds, 1 MiB of each output stream, no CPU limit. */
    public static final ContainerLimits DEFAULT = new ContainerLimits(4096, Duration.ofSeconds(30), 1 << 20);

    /** Limits with no CPU-time limit. */
    public ContainerLimits(int maxMemoryPages, Duration wallTimeout, int logBufferBytes) {
        this(maxMemoryPages, wallTimeout, logBufferBytes, Duration.ZERO);
    }

    public ContainerLimits {
        if (maxMemoryPages < 1 || maxMemoryPages > 65536) {
            throw new IllegalArgumentException("maxMemoryPages must be 1..65536, was " + maxMemoryPages);
        }
        Objects.requireNonNull(wallTimeout, "wallTimeout");
        if (wallTimeout.isNegative()) {
            throw new IllegalArgumentException("wallTimeout must not be negative, was " + wallTimeout);
        }
        Objects.requireNonNull(cpuTime, "cpuTime");
        if (cpuTime.isNegative()) {
            throw new IllegalArgumentException("cpuTime must not be negative, was " + cpuTime);
        }
        if (logBufferBytes < 0) {
            throw new IllegalArgumentException("logBufferBytes must not be negative, was " + logBufferBytes);
        }
    }

    public ContainerLimits withMaxMemoryPages(int pages) {
        return new ContainerLimits(pages, wallTimeout, logBufferBytes, cpuTime);
    }

    public ContainerLimits withWallTimeout(Duration timeout) {
        return new ContainerLimits(maxMemoryPages, timeout, logBufferBytes, cpuTime);
    }

    public ContainerLimits withLogBufferBytes(int bytes) {
        return new ContainerLimits(maxMemoryPages, wallTimeout, bytes, cpuTime);
    }

    public ContainerLimits withCpuTime(Duration limit) {
        return new ContainerLimits(maxMemoryPages, wallTimeout, logBufferBytes, limit);
    }

    /**
     * The tighter of these limits and {@code other}, field by field ({@link Duration#ZERO} counts as no limit).
     */
    public ContainerLimits tighten(ContainerLimits other) {
        return new ContainerLimits(Math.min(maxMemoryPages, other.maxMemoryPages),
                tighter(wallTimeout, other.wallTimeout), Math.min(logBufferBytes, other.logBufferBytes),
                tighter(cpuTime, other.cpuTime));
    }

    private static Duration tighter(Duration a, Duration b) {
        if (a.isZero()) {
            return b;
        }
        return b.isZero() || a.compareTo(b) <= 0 ? a : b;
    }
}
