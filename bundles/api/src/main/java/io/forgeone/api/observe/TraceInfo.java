package io.forgeone.api.observe;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What is known of one container run's trace.
 *
 * @param containerId the container's id
 * @param containerName the container's name
 * @param moduleSha256 hex SHA-256 of the module it ran
 * @param calls calls recorded so far
 * @param kept calls still held in memory (the ring keeps the latest)
 * @param files the trace files, oldest first; empty when the run is not traced to disk
 * @param ended whether the run is over
 * @param exitCode its exit code when over, else -1
 * @param outcome how it ended, or empty
 */
public record TraceInfo(String containerId, String containerName, String moduleSha256, long calls, long kept,
        List<Path> files, boolean ended, int exitCode, String outcome) {
    public TraceInfo {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(containerName, "containerName");
        Objects.requireNonNull(moduleSha256, "moduleSha256");
        files = List.copyOf(files);
        Objects.requireNonNull(outcome, "outcome");
    }
}
