package io.forgeone.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.capability.CapabilityFunction;
import io.forgeone.api.capability.CapabilityProvider;
import io.forgeone.api.capability.ProvidedFunction;
import io.forgeone.api.capability.ProviderContext;
import io.forgeone.api.capability.ProviderSession;
import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerSpecException;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.container.ContainerStateException;
import io.forgeone.api.container.ProviderInfo;
import io.forgeone.api.container.StopReason;
import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.gate.GateContext;
import io.forgeone.api.gate.GateSession;
import io.forgeone.api.gate.HostCallGate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

/** Linking capability-provider imports, and what happens to containers when a provider or engine goes away. */
@Timeout(20)
class ProvidersTest {
    @TempDir
    Path dir;
    private Fakes.FakeEngine engine;
    private ContainerRuntimeImpl runtime;
    private final KvLike kv = new KvLike();

    private ContainerRuntimeImpl runtime(String engineRemoval) {
        KernelConfig config = Converters.standardConverter().convert(Map.of("default.engine", "fake",
                "kill.grace.ms", 1000L, "engine.removal", engineRemoval, "state.dir", dir.resolve("state").toString()))
                .to(KernelConfig.class);
        ContainerRuntimeImpl r = new ContainerRuntimeImpl(config, new Fakes.FakeWasi());
        r.setGate(new PermissiveGate());
        engine = new Fakes.FakeEngine();
        r.bindEngine(engine);
        return r;
    }

    @BeforeEach
    void setUp() {
        runtime = runtime("stop");
    }

    @AfterEach
    void tearDown() {
        runtime.deactivate();
    }

    private ContainerSpec module(String behaviour) throws IOException {
        Path file = dir.resolve(behaviour.replaceAll("[^a-z0-9]", "_") + ".wasm");
        Files.writeString(file, behaviour);
        return ContainerSpec.of(file);
    }

    @Test
    void aMissingProviderFailsCreateNamingTheModuleAndFunction() throws Exception {
        ContainerSpecException e = assertThrows(ContainerSpecException.class,
                () -> runtime.create(module("import:forge:kv.get"), ContainerIO.DETACHED));
        assertTrue(e.getMessage().contains("imports forge:kv.get, but no capability provider for forge:kv is installed"),
                e.getMessage());
        assertTrue(e.getMessage().contains("installed providers: none"), e.getMessage());
    }

    @Test
    void aFunctionTheProviderDoesNotOfferFailsCreate() throws Exception {
        runtime.bindProvider(kv);
        ContainerSpecException e = assertThrows(ContainerSpecException.class,
                () -> runtime.create(module("import:forge:kv.drop"), ContainerIO.DETACHED));
        assertTrue(e.getMessage().contains("forge:kv.drop, which provider forge:kv does not offer (it offers: get, put)"),
                e.getMessage());
        assertEquals(0, kv.open.get());
    }

    @Test
    void theProviderGetsTheContainerAndItsFunctionsReachTheGuestBehindTheGate() throws Exception {
        runtime.bindProvider(kv);
        ContainerInfo c = runtime.create(module("import:forge:kv.get"), ContainerIO.DETACHED);
        assertEquals(1, kv.open.get());
        assertEquals(c.id(), kv.last.containerId());
        assertEquals(null, kv.last.packageName());
        assertEquals(dir.resolve("state"), kv.last.stateDir());
        assertEquals(List.of(c.id()), runtime.providers().get(0).containers());
        runtime.start(c.id());
        assertEquals(0, runtime.await(c.id(), Duration.ofSeconds(10)).exitCode());
        HostFunction linked = engine.lastImports.stream().filter(f -> f.module().equals("forge:kv")).findFirst()
                .orElseThrow();
        assertTrue(linked instanceof GatedHostFunction, "every provider function passes the gate");
        assertEquals(1, kv.closed.get(), "the session is closed when the guest is done");
        assertEquals(List.of(), runtime.providers().get(0).containers());
    }

    @Test
    void theGateSeesTheDeclaredCapabilityAndCanRefuseAtCreate() throws Exception {
        runtime.bindProvider(kv);
        List<HostFunction> seen = new java.util.ArrayList<>();
        runtime.setGate(new HostCallGate() {
            @Override
            public GateSession open(GateContext context, List<HostFunction> functions) {
                return new PermissiveGate().open(context, functions);
            }

            @Override
            public List<String> refusals(GateContext context, List<HostFunction> providerFunctions) {
                seen.addAll(providerFunctions);
                return List.of("forge:kv.get is not granted: add functions: [forge:kv.get]");
            }
        });
        ContainerSpecException e = assertThrows(ContainerSpecException.class,
                () -> runtime.create(module("import:forge:kv.get"), ContainerIO.DETACHED));
        assertTrue(e.getMessage().contains("the policy does not let it use what it imports: forge:kv.get is not granted"),
                e.getMessage());
        assertEquals("functions", ((CapabilityFunction) seen.get(0)).capability());
        assertEquals(1, seen.size(), "only what the module imports is asked about");
        assertEquals(1, kv.closed.get(), "a refused container's session is closed");
        assertTrue(runtime.list().isEmpty());
    }

    @Test
    void removingAProviderStopsItsRunningContainersCleanlyAndNewOnesFail() throws Exception {
        runtime.bindProvider(kv);
        ContainerInfo running = runtime.create(module("useloop:forge:kv.get"), ContainerIO.DETACHED);
        runtime.start(running.id());
        ContainerInfo other = runtime.create(module("loop"), ContainerIO.DETACHED);
        runtime.start(other.id());
        ContainerInfo waiting = runtime.create(module("import:forge:kv.get").withName("waiting"), ContainerIO.DETACHED);

        runtime.providerRemoved(kv);
        // removal waits for the containers it stops
        ContainerInfo stopped = runtime.state(running.id());
        assertEquals(ContainerState.STOPPED, stopped.state());
        assertEquals(StopReason.REMOVED, stopped.stopReason());
        assertEquals("provider forge:kv removed", stopped.message());
        assertEquals(143, stopped.exitCode());
        ContainerInfo never = runtime.state("waiting");
        assertEquals(StopReason.REMOVED, never.stopReason());
        assertEquals(ContainerState.RUNNING, runtime.state(other.id()).state(), "containers not using it run on");
        assertEquals(3, kv.closed.get() + 1, "both sessions closed");
        assertThrows(ContainerStateException.class, () -> runtime.start(waiting.id()));
        assertThrows(ContainerSpecException.class,
                () -> runtime.create(module("import:forge:kv.get").withName("late"), ContainerIO.DETACHED));
        runtime.kill(other.id());
    }

    @Test
    void engineRemovalCanLetRunningContainersFinish() throws Exception {
        runtime.deactivate();
        runtime = runtime("finish");
        ContainerInfo running = runtime.create(module("loop"), ContainerIO.DETACHED);
        runtime.start(running.id());
        ContainerInfo waiting = runtime.create(module("exit:0"), ContainerIO.DETACHED);
        runtime.unbindEngine(engine);
        Thread.sleep(200);
        assertEquals(ContainerState.RUNNING, runtime.state(running.id()).state());
        assertEquals(StopReason.REMOVED, runtime.state(waiting.id()).stopReason(), "a created one can never start");
        assertTrue(runtime.engines().isEmpty());
        assertEquals(StopReason.KILLED, runtime.kill(running.id()).stopReason());
    }

    @Test
    void enginesListTheirRunningContainers() throws Exception {
        ContainerInfo running = runtime.create(module("loop"), ContainerIO.DETACHED);
        runtime.start(running.id());
        assertEquals(List.of(running.id()), runtime.engines().get(0).containers());
        assertEquals("fake", runtime.engines().get(0).name());
        assertEquals(-1, runtime.engines().get(0).bundleId());
        runtime.kill(running.id());
        assertEquals(List.of(), runtime.engines().get(0).containers());
        runtime.bindProvider(kv);
        ProviderInfo p = runtime.providers().get(0);
        assertEquals("forge:kv", p.module());
        assertEquals("get", p.functions().get(0).name());
        assertFalse(p.description().isEmpty());
    }

    /** A provider with one function, forge:kv.get, counting the sessions it opens and closes. */
    private static final class KvLike implements CapabilityProvider {
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        volatile ProviderContext last;

        @Override
        public String module() {
            return "forge:kv";
        }

        @Override
        public String description() {
            return "test provider";
        }

        @Override
        public List<ProvidedFunction> functions() {
            return List.of(new ProvidedFunction("get", Fakes.WRITE_SIG, ProvidedFunction.FUNCTIONS),
                    new ProvidedFunction("put", Fakes.WRITE_SIG, ProvidedFunction.FUNCTIONS));
        }

        @Override
        public ProviderSession open(ProviderContext context) {
            open.incrementAndGet();
            last = context;
            return session(function("get"), function("put"));
        }

        private HostFunction function(String name) {
            return new HostFunction() {
                @Override
                public String module() {
                    return "forge:kv";
                }

                @Override
                public String name() {
                    return name;
                }

                @Override
                public FunctionSignature signature() {
                    return Fakes.WRITE_SIG;
                }

                @Override
                public long[] call(GuestMemory memory, long[] args) {
                    return new long[] {0};
                }
            };
        }

        private ProviderSession session(HostFunction get, HostFunction put) {
            return new ProviderSession() {
                @Override
                public List<HostFunction> hostFunctions() {
                    return List.of(get, put);
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }
    }
}
