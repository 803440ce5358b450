package io.forgeone.api.gate;

import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.container.ContainerLimits;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The gate every host call passes: published as a service by the bundle that owns policy. The kernel opens
 * one session per container, giving it the full list of host functions the container may import, so that
 * the gate can precompile its decisions per function index.
 */
@ProviderType
public interface HostCallGate {

    /**
     * Opens a session for one container.
     *
     * @param context who calls
     * @param functions every host function the container can reach, indexed as in the session's calls
     */
    GateSession open(GateContext context, List<HostFunction> functions);

    /**
     * The limits a workload may run with, asked when its container is created: the gate may only tighten
     * {@code requested} (its policy's memory, wall-time and CPU-time limits).
     */
    default ContainerLimits limits(GateContext context, ContainerLimits requested) {
        return requested;
    }

    /**
     * The environment a workload is given, asked when its container is created: the gate may only remove
     * variables from {@code requested} (those its policy does not grant by name).
     */
    default Map<String, String> environment(GateContext context, Map<String, String> requested) {
        return requested;
    }

    /**
     * Whether a workload may link these capability-provider functions at all, asked when its container is
     * created: one line per function its policy could never allow, naming the grant to add (for example
     * {@code forge:kv.get is not granted by policy web: add functions: [forge:kv.get] to its grants}). Empty
     * admits it; each call is still decided when it is made.
     */
    default List<String> refusals(GateContext context, List<HostFunction> providerFunctions) {
        return List.of();
    }
}
