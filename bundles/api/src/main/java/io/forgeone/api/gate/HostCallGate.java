package io.forgeone.api.gate;

import io.forgeone.api.engine.HostFunction;
import java.util.List;
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
}
