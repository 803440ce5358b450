package io.forgeone.observer.internal;

import io.forgeone.api.gate.Decision;
import java.util.List;

/**
 * One recorded call as kept (in the ring or a trace file), before decoding for people.
 *
 * @param sequence the call's number in its run
 * @param time when it was recorded, in nanoseconds relative to the run's base time
 * @param function index in the run's function list
 * @param results what the guest got back, or {@code null} when the call threw
 * @param failureKind {@link #NONE}, {@link #EXIT}, {@link #DENIED} or {@link #TRAP}
 * @param exitCode the exit code when {@code failureKind} is {@link #EXIT}
 * @param failure what was thrown, in one line (empty when nothing was)
 * @param accesses the memory the call read (up to a limit) and wrote, in order
 * @param bytesWritten bytes the call wrote into guest memory
 * @param accessesDropped whether the accesses were too large to keep (a replay cannot put them back)
 */
record RawCall(long sequence, long time, int function, Decision decision, long[] args, long[] results,
        int failureKind, int exitCode, String failure, List<Access> accesses, long bytesWritten,
        boolean accessesDropped) {
    static final int NONE = 0;
    static final int EXIT = 1;
    static final int DENIED = 2;
    static final int TRAP = 3;

    /** One read or write of guest memory. */
    record Access(boolean write, long address, byte[] bytes) {
    }
}
