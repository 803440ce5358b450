package io.forgeone.api.container;

/** Why a container stopped. */
public enum StopReason {
    /** The entry point returned (exit code 0) or the guest called proc_exit. */
    EXITED,
    /** The guest trapped (unreachable, out-of-bounds access, stack overflow, a failed host call). */
    TRAPPED,
    /** It ran past its wall-clock limit and was stopped. */
    TIMED_OUT,
    /** It used up its CPU-time limit and was stopped. */
    CPU_LIMIT,
    /** It was killed. */
    KILLED,
    /** The host failed to run it; the message says why. */
    FAILED,
    /**
     * Something it runs on was removed from the node while it ran: its engine ({@code engine removed}) or a
     * capability provider it imports ({@code provider forge:kv removed}). Exit code 143 (128 + SIGTERM): it was
     * stopped cleanly, as a process asked to terminate.
     */
    REMOVED
}
