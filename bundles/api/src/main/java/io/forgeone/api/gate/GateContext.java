package io.forgeone.api.gate;

import java.util.Map;
import java.util.Objects;

/**
 * Who is calling: the container a gate session is opened for.
 *
 * @param containerId the container's id
 * @param containerName the container's name
 * @param moduleSha256 hex SHA-256 of the module it runs
 * @param labels free-form labels, for selectors
 */
public record GateContext(String containerId, String containerName, String moduleSha256, Map<String, String> labels) {
    public GateContext {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(containerName, "containerName");
        Objects.requireNonNull(moduleSha256, "moduleSha256");
        labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
    }
}
