package io.forgeone.api.container;

import io.forgeone.api.capability.ProvidedFunction;
import java.util.List;
import java.util.Objects;

/**
 * A capability provider installed on the node.
 *
 * @param module the import module it provides, for example {@code forge:kv}
 * @param description one line for people
 * @param functions its functions, with signatures and the capability each needs
 * @param bundleId the id of the bundle that publishes it, or -1 when it did not come from a bundle
 * @param bundle that bundle's symbolic name and version, empty if none
 * @param containers ids of the containers holding a session of it (created, running, paused or quarantined)
 */
public record ProviderInfo(String module, String description, List<ProvidedFunction> functions, long bundleId,
        String bundle, List<String> containers) {
    public ProviderInfo {
        Objects.requireNonNull(module, "module");
        description = description == null ? "" : description;
        functions = List.copyOf(functions);
        bundle = bundle == null ? "" : bundle;
        containers = List.copyOf(containers);
    }
}
