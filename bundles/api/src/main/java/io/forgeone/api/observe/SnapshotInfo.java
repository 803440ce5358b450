package io.forgeone.api.observe;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a snapshot file holds, as {@code forge snapshot inspect} shows it.
 *
 * @param file where it is
 * @param containerId the container it was taken of
 * @param containerName its name
 * @param moduleSha256 the module's SHA-256 (the module itself is in the file)
 * @param engine the engine it ran on
 * @param argv the guest's argv
 * @param hostCalls the host calls made before the snapshot (re-executed on restore)
 * @param memoryBytes the size of the guest's linear memory
 * @param globals the number of globals
 * @param descriptors the open WASI descriptors
 * @param taken when it was taken
 * @param signer the key that signed it, as {@code scheme:fingerprint}, or empty when unsigned
 * @param fileBytes the file's size
 * @since 1.1
 */
public record SnapshotInfo(Path file, String containerId, String containerName, String moduleSha256, String engine,
        List<String> argv, long hostCalls, long memoryBytes, int globals, int descriptors, Instant taken, String signer,
        long fileBytes) {
    public SnapshotInfo {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(containerName, "containerName");
        Objects.requireNonNull(moduleSha256, "moduleSha256");
        Objects.requireNonNull(engine, "engine");
        argv = List.copyOf(argv);
        Objects.requireNonNull(taken, "taken");
        Objects.requireNonNull(signer, "signer");
    }
}
