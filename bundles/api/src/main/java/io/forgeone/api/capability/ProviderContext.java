package io.forgeone.api.capability;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The container a provider session is opened for.
 *
 * @param containerId the container's id
 * @param containerName its name
 * @param packageName the package it came from (a verified {@code .forgepkg}), or {@code null} for a bare module
 * @param moduleSha256 hex SHA-256 of the module it runs
 * @param stateDir the node's state folder ({@code var/state}); a provider keeps what must outlive the container
 *     in a folder of its own below it
 * @param labels the container's identity labels (package, version, publisher, spiffe for a package)
 */
public record ProviderContext(String containerId, String containerName, String packageName, String moduleSha256,
        Path stateDir, Map<String, String> labels) {
    public ProviderContext {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(containerName, "containerName");
        Objects.requireNonNull(moduleSha256, "moduleSha256");
        Objects.requireNonNull(stateDir, "stateDir");
        labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
    }

    /** The package name, when the container came from a package. */
    public Optional<String> pkg() {
        return Optional.ofNullable(packageName);
    }
}
