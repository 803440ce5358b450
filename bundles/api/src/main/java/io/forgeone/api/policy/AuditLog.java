package io.forgeone.api.policy;

import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The node's decision log, read back: every call a policy denied (and allowed calls, where a policy logs them),
 * across the current file and its rotated predecessors ({@code decisions.log.1} is newer than {@code .2}).
 * A line that is not a valid record is reported as skipped and never stops a reader.
 */
@ProviderType
public interface AuditLog {

    /** The current log file (it may not exist yet); rotated ones are next to it, as {@code FILE.1} to {@code FILE.N}. */
    Path file();

    /**
     * The records that match, oldest first, from the oldest rotated file to the current one. All of them are
     * held in memory: give a {@code tail}, or use {@link #read}, on a big log.
     *
     * @throws java.io.UncheckedIOException when a log file exists but cannot be read
     */
    AuditResult query(AuditQuery query);

    /**
     * Hands the records that match to {@code listener}, oldest first, without keeping them all in memory (a log
     * and its rotated files may hold a hundred megabytes): with a {@code tail}, only that many are kept until the
     * end. Returns when the log is read or the listener returns {@code false}.
     *
     * @throws java.io.UncheckedIOException when a log file exists but cannot be read
     */
    void read(AuditQuery query, AuditListener listener);

    /**
     * Reports the records that match {@code query} (its {@code tail} last ones, when it has one), then every new
     * matching record as it is appended, across rotations, without a gap or a repeat between the two. Blocks
     * until the listener returns {@code false}, the service goes away, or the thread is interrupted.
     *
     * @throws IllegalArgumentException when the query has an {@code until} (following has no end)
     * @throws InterruptedException when the thread was interrupted while waiting for new records
     * @throws java.io.UncheckedIOException when a log file exists but cannot be read
     */
    void follow(AuditQuery query, AuditListener listener) throws InterruptedException;
}
