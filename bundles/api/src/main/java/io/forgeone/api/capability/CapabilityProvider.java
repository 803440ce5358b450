package io.forgeone.api.capability;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Host functions for one import module, published as an OSGi service with the property
 * {@value #MODULE_PROPERTY}. Installing the provider's bundle makes the module importable at once; stopping it
 * stops the containers that use it (reason {@code REMOVED}, message {@code provider MODULE removed}) and makes new
 * containers that import it fail at create.
 *
 * <p>The functions are engine-neutral {@link io.forgeone.api.engine.HostFunction}s; the kernel wraps every one in
 * the host-call gate, so a call is decided by the workload's policy and recorded like any WASI call.
 */
@ConsumerType
public interface CapabilityProvider {

    /** Service property holding {@link #module()}. */
    String MODULE_PROPERTY = "forge.capability.module";

    /** The import module name guests use, for example {@code forge:kv}; unique on a node. */
    String module();

    /** One line for people: what it provides and how, for example {@code key-value store per package}. */
    String description();

    /** Every function the module offers, with its signature and the capability a policy must grant for it. */
    List<ProvidedFunction> functions();

    /**
     * Opens the functions for one container, when the container is created. The kernel closes the session
     * when the container's guest is done (or the container is deleted without running).
     *
     * @throws IllegalArgumentException when this container cannot use the provider (the message says why); the
     *     container is then not created
     */
    ProviderSession open(ProviderContext context);
}
