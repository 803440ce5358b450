package io.forgeone.kernel.internal;

import io.forgeone.api.capability.ProviderSession;
import io.forgeone.api.engine.HostFunction;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One container's session with one provider, and the gate-ready functions it gave. */
final class ProviderUse {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderUse.class);

    final ProviderEntry entry;
    final ProviderSession session;
    final List<HostFunction> functions;
    private boolean closed;

    ProviderUse(ProviderEntry entry, ProviderSession session, List<HostFunction> functions) {
        this.entry = entry;
        this.session = session;
        this.functions = List.copyOf(functions);
    }

    /** Closes the session once; a provider that fails to close is logged, never passed on. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            session.close();
        } catch (RuntimeException e) {
            LOG.warn("Provider {} failed to close its session; ignored, the container is done with it",
                    entry.module(), e);
        }
    }
}
