package io.forgeone.api.capability;

import io.forgeone.api.engine.HostFunction;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/** One container's use of a provider: its host functions, released when the container is done. */
@ConsumerType
public interface ProviderSession extends AutoCloseable {

    /**
     * The functions for this container, one per {@link CapabilityProvider#functions()} entry, with the same
     * names and signatures and {@link HostFunction#module()} equal to the provider's module.
     */
    List<HostFunction> hostFunctions();

    /** Releases what the session holds. Called once; must not throw. */
    @Override
    void close();
}
