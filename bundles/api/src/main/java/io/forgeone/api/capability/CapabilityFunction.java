package io.forgeone.api.capability;

import io.forgeone.api.engine.HostFunction;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A host function from a capability provider, as the kernel hands it to the gate: it says which capability the
 * provider declared for it, so that the gate decides it by the right grant.
 */
@ProviderType
public interface CapabilityFunction extends HostFunction {

    /** {@link ProvidedFunction#FUNCTIONS} or {@link ProvidedFunction#NET}. */
    String capability();
}
