package io.forgeone.api.wasi;

import java.util.List;
import java.util.Objects;

/**
 * The live state of one guest's WASI descriptor table, for a snapshot: what each descriptor number stands for and
 * where, so that a new environment with the same configuration (preopens, args, env) can be brought to the same
 * state. Files are named by the preopen they were opened under and their path below it, never by a host path
 * alone, so a state cannot name anything outside the preopens it is restored into.
 *
 * @param descriptors every open descriptor, by number
 * @param freeNumbers the numbers freed and not yet reused, oldest first (the next open reuses the latest)
 * @param monotonicNanos the guest's monotonic clock when the state was exported: a restored environment's clock
 *     continues from there, so the guest never sees it go back
 * @since 1.1
 */
public record WasiState(List<Descriptor> descriptors, List<Integer> freeNumbers, long monotonicNanos) {
    public WasiState {
        descriptors = List.copyOf(Objects.requireNonNull(descriptors, "descriptors"));
        freeNumbers = List.copyOf(Objects.requireNonNull(freeNumbers, "freeNumbers"));
    }

    /** What a descriptor is. */
    public enum Kind {
        STDIN, STDOUT, STDERR,
        /** a preopened directory; {@code preopen} is its index in the configuration */
        PREOPEN,
        /** a directory opened with path_open below preopen {@code preopen} */
        DIRECTORY,
        /** a file opened with path_open below preopen {@code preopen} */
        FILE
    }

    /**
     * One open descriptor.
     *
     * @param fd its number
     * @param kind what it is
     * @param preopen for PREOPEN, DIRECTORY and FILE: the index of the preopen (in configuration order) it lies in;
     *     else -1
     * @param path for DIRECTORY and FILE: its path below the preopen, '/'-separated, no '.' or '..'; else empty
     * @param readable for FILE: opened for reading
     * @param writable for FILE: opened for writing
     * @param fdflags for FILE: the fdflags (append, dsync, nonblock, rsync, sync)
     * @param offset for FILE: the current offset
     * @param droppedBase rights the guest gave up on it
     * @param droppedInheriting rights descriptors opened through it do not get
     */
    public record Descriptor(int fd, Kind kind, int preopen, String path, boolean readable, boolean writable,
            int fdflags, long offset, long droppedBase, long droppedInheriting) {
        public Descriptor {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(path, "path");
        }
    }
}
