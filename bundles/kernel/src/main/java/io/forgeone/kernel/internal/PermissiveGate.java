package io.forgeone.kernel.internal;

import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.gate.Decision;
import io.forgeone.api.gate.GateContext;
import io.forgeone.api.gate.GateSession;
import io.forgeone.api.gate.HostCallGate;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate used until a policy bundle publishes a better-ranked one: it allows every call and records only
 * counts. It ranks below any other gate, so installing a policy bundle replaces it for new containers.
 */
@Component(service = HostCallGate.class, property = {Constants.SERVICE_RANKING + ":Integer=-1000", "forge.gate=permissive"})
public final class PermissiveGate implements HostCallGate {
    private static final Logger LOG = LoggerFactory.getLogger(PermissiveGate.class);

    @Activate
    public PermissiveGate() {
        LOG.warn("No policy gate installed: the permissive gate allows every host call (counted, not logged)");
    }

    @Override
    public GateSession open(GateContext context, List<HostFunction> functions) {
        return new CountingSession();
    }

    private static final class CountingSession implements GateSession {
        private final LongAdder allowed = new LongAdder();

        @Override
        public Decision decide(int function, GuestMemory memory, long[] args) {
            return Decision.ALLOW;
        }

        @Override
        public void record(int function, long[] args, Decision decision, long[] results, Throwable failure) {
            allowed.increment();
        }

        @Override
        public long allowed() {
            return allowed.sum();
        }

        @Override
        public long denied() {
            return 0;
        }

        @Override
        public void close() {
            // nothing held
        }
    }
}
