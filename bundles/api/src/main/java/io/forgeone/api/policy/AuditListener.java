package io.forgeone.api.policy;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives decision log records as {@link AuditLog#follow} reads them. Called on the following thread. */
@ConsumerType
public interface AuditListener {

    /**
     * One matching record.
     *
     * @return {@code false} to stop following
     */
    boolean record(AuditRecord record);

    /** A line that could not be read as a record; following goes on. */
    default void skipped(AuditProblem problem) {
    }

    /**
     * Called when no new record has come for a while (about every poll, a fraction of a second).
     *
     * @return {@code false} to stop following
     */
    default boolean idle() {
        return true;
    }
}
