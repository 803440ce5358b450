package io.forgeone.api.container;

/** Lifecycle states, after the OCI runtime specification. */
public enum ContainerState {
    /** Created: module compiled and checked, not started. */
    CREATED,
    /** Running its entry point. */
    RUNNING,
    /** Finished, trapped, timed out or was killed; see the stop reason. */
    STOPPED,
    /** Deleted; only seen in the answer to the delete operation. */
    DELETED
}
