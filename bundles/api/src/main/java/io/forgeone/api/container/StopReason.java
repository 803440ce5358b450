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
    /** The host failed to run it (for example the engine went away); the message says why. */
    FAILED
}
