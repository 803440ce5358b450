package io.forgeone.api.container;

import java.util.List;
import java.util.Objects;

/**
 * An engine installed on the node.
 *
 * @param name the name containers ask for
 * @param description implementation and version, one line
 * @param bundleId the id of the bundle that publishes it, or -1 when it did not come from a bundle
 * @param bundle that bundle's symbolic name and version ({@code io.forgeone.engine-chicory 0.1.0}), empty if none
 * @param containers ids of the containers running (or paused or quarantined) on it
 */
public record EngineInfo(String name, String description, long bundleId, String bundle, List<String> containers) {
    public EngineInfo {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        bundle = bundle == null ? "" : bundle;
        containers = List.copyOf(containers);
    }
}
