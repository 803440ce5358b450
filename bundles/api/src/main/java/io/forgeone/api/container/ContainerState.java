package io.forgeone.api.container;

/** Lifecycle states, after the OCI runtime specification. */
public enum ContainerState {
    /** Created: module compiled and checked, not started. */
    CREATED,
    /** Running its entry point. */
    RUNNING,
    /**
     * Suspended by an operator at a host call boundary ({@code forge pause}); keeps its memory and resumes where
     * it stopped. Its wall-clock limit does not run while paused.
     */
    PAUSED,
    /**
     * Suspended by the gate after a policy violation (or by an operator): kept with its memory for forensics and
     * refused every further host call until it is released or killed. Its wall-clock limit does not run.
     */
    QUARANTINED,
    /** Finished, trapped, timed out or was killed; see the stop reason. */
    STOPPED,
    /** Deleted; only seen in the answer to the delete operation. */
    DELETED
}
