package io.forgeone.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.StopReason;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.gate.Decision;
import io.forgeone.api.gate.GateContext;
import io.forgeone.api.gate.GateSession;
import io.forgeone.api.gate.HostCallGate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/**
 * No host call path skips the gate: a module that imports every WASI function and calls each once runs under a
 * gate that denies everything but proc_exit; every call must be decided by that gate and come back denied.
 */
@Timeout(60)
public class GateCoverageIT {

    /** Denies everything except proc_exit, and remembers what it was asked about. */
    static final class DenyingGate implements HostCallGate {
        final Set<String> offered = new ConcurrentSkipListSet<>();
        final Set<String> decided = new ConcurrentSkipListSet<>();

        @Override
        public GateSession open(GateContext context, List<HostFunction> functions) {
            functions.forEach(f -> offered.add(f.module() + "." + f.name()));
            return new GateSession() {
                long allowed;
                long denied;

                @Override
                public Decision decide(int function, GuestMemory memory, long[] args) {
                    HostFunction f = functions.get(function);
                    decided.add(f.module() + "." + f.name());
                    return f.name().equals("proc_exit") ? Decision.ALLOW : Decision.DENY;
                }

                @Override
                public void record(int function, long[] args, Decision decision, long[] results, Throwable failure) {
                    if (decision == Decision.ALLOW) {
                        allowed++;
                    } else {
                        denied++;
                    }
                }

                @Override
                public long allowed() {
                    return allowed;
                }

                @Override
                public long denied() {
                    return denied;
                }

                @Override
                public void close() {
                }
            };
        }
    }

    @Test
    public void everyWasiFunctionAModuleCanImportIsDecidedByTheGate() throws Exception {
        ContainerRuntime runtime = Node.service(ContainerRuntime.class);
        DenyingGate gate = new DenyingGate();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, Integer.MAX_VALUE);
        ServiceRegistration<HostCallGate> registration =
                Node.context().registerService(HostCallGate.class, gate, props);
        Path dir = Files.createTempDirectory("forge-gatecheck");
        try {
            ContainerInfo created = runtime.create(ContainerSpec.of(Node.wasm(dir, "gatecheck.wasm")),
                    ContainerIO.DETACHED);
            runtime.start(created.id());
            ContainerInfo done = runtime.await(created.id(), Duration.ofSeconds(30));
            runtime.delete(created.id());
            assertEquals(StopReason.EXITED, done.stopReason(), done.toString());
            assertEquals(0, done.exitCode(), "exit 100+K: call K was not denied by the gate");
            assertEquals(46, gate.offered.size(), "every WASI preview1 function: " + gate.offered);
            assertEquals(new TreeSet<>(gate.offered), new TreeSet<>(gate.decided),
                    "every function the module imports and calls was decided by the gate");
            assertEquals(45, done.deniedHostCalls());
            assertEquals(1, done.hostCalls(), "only proc_exit was allowed");
        } finally {
            registration.unregister();
        }
        assertTrue(Node.service(HostCallGate.class) != gate);
    }
}
