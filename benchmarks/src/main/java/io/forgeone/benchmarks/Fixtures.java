package io.forgeone.benchmarks;

import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.engine.WasmEngine;
import io.forgeone.api.gate.GateContext;
import io.forgeone.api.gate.HostCallGate;
import io.forgeone.api.wasi.OutputSink;
import io.forgeone.api.wasi.WasiConfig;
import io.forgeone.api.wasi.WasiProvider;
import io.forgeone.engine.chicory.internal.ChicoryEngine;
import io.forgeone.engine.chicory.internal.ChicoryEngineConfig;
import io.forgeone.kernel.internal.KernelAccess;
import io.forgeone.wasi.internal.WasiProviderComponent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.util.converter.Converters;

/**
 * The product's pieces as the benchmarks use them: constructed directly on the class path, configured through
 * the OSGi converter as their unit tests do.
 */
public final class Fixtures {

    /** The engine's execution modes the benchmarks compare (JMH parameter {@code mode}). */
    public static final String COMPILED = "compiled";
    public static final String INTERPRETED = "interpreted";

    /** Every container run here finishes in well under this. */
    private static final Duration RUN_LIMIT = Duration.ofSeconds(60);

    private Fixtures() {
    }

    /** A Chicory engine in {@code mode} ({@value #COMPILED} or {@value #INTERPRETED}). */
    public static WasmEngine engine(String mode) {
        return engine(mode, 64);
    }

    /** A Chicory engine in {@code mode} keeping at most {@code cacheSize} compiled modules. */
    public static WasmEngine engine(String mode, int cacheSize) {
        boolean compiler;
        if (COMPILED.equals(mode)) {
            compiler = true;
        } else if (INTERPRETED.equals(mode)) {
            compiler = false;
        } else {
            throw new IllegalArgumentException("engine mode '" + mode + "' is neither " + COMPILED + " nor "
                    + INTERPRETED);
        }
        ChicoryEngineConfig config = Converters.standardConverter()
                .convert(Map.of("compiler.enabled", compiler, "cache.size", cacheSize)).to(ChicoryEngineConfig.class);
        return activate(ChicoryEngine.class, config);
    }

    /**
     * Constructs a DS component as Felix SCR would: through its public constructor, passing the configuration
     * and, where asked for, a bundle context that has no framework properties (so no node state directory and
     * no disk caches). By reflection, because the engine's activation constructor is changing while these
     * benchmarks are written (it gained a BundleContext); what it takes is matched by type.
     */
    public static <T> T activate(Class<T> type, Object config) {
        for (Constructor<?> constructor : type.getConstructors()) {
            Class<?>[] parameters = constructor.getParameterTypes();
            Object[] args = new Object[parameters.length];
            boolean fits = true;
            for (int i = 0; i < parameters.length && fits; i++) {
                if (parameters[i].isInstance(config)) {
                    args[i] = config;
                } else if (parameters[i] == BundleContext.class) {
                    args[i] = noFrameworkContext();
                } else {
                    fits = false;
                }
            }
            if (fits) {
                try {
                    return type.cast(constructor.newInstance(args));
                } catch (InvocationTargetException e) {
                    throw new IllegalStateException("activating " + type.getName() + " failed", e.getCause());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot activate " + type.getName(), e);
                }
            }
        }
        throw new IllegalStateException(type.getName() + " has no public constructor taking only its configuration"
                + " and a BundleContext");
    }

    /**
     * Deactivates a DS component as Felix SCR would: by calling its {@code deactivate} method, whatever its
     * access (SCR sets it accessible too).
     */
    public static void deactivate(Object component) {
        try {
            Method deactivate = component.getClass().getDeclaredMethod("deactivate");
            deactivate.setAccessible(true);
            deactivate.invoke(component);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("deactivating " + component + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot deactivate " + component, e);
        }
    }

    private static BundleContext noFrameworkContext() {
        return (BundleContext) Proxy.newProxyInstance(Fixtures.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getProperty":
                            return null;
                        case "toString":
                            return "bundle context of no framework (benchmarks)";
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            throw new UnsupportedOperationException("the benchmarks run outside a framework: "
                                    + method.getName() + " is not available");
                    }
                });
    }

    public static WasiProvider wasi() {
        return new WasiProviderComponent();
    }

    /** A runtime with {@code engine} as its default engine and {@code gate} as its gate. */
    public static ContainerRuntime runtime(WasmEngine engine, HostCallGate gate) {
        return KernelAccess.runtime(Map.of("default.engine", engine.name(), "max.running", 4), wasi(), engine, gate);
    }

    public static void stop(ContainerRuntime runtime) {
        KernelAccess.stop(runtime);
    }

    /** The bytes of a benchmark program ({@code fib.wasm}, ...) or of the test programs' {@code hello.wasm}. */
    public static byte[] wasm(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/wasm/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no program wasm/" + name + " on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read program wasm/" + name, e);
        }
    }

    /** Writes program {@code name} into {@code dir} (the runtime takes modules from files) and returns its path. */
    public static Path wasmFile(String name, Path dir) {
        Path file = dir.resolve(name);
        try {
            Files.write(file, wasm(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    /** What a guest with argv {@code args} sees: nothing else, output discarded. */
    public static WasiConfig wasiConfig(List<String> args) {
        return new WasiConfig(args, Map.of(), List.of(), null, OutputSink.DISCARD, OutputSink.DISCARD);
    }

    public static GateContext gateContext(String name) {
        return new GateContext(name, name, "0".repeat(64), Map.of());
    }

    /**
     * One whole container run, as a client of the runtime does it: create, start, wait, delete. Fails unless
     * the guest exited with 0.
     */
    public static ContainerInfo run(ContainerRuntime runtime, ContainerSpec spec) {
        return run(runtime, spec, null);
    }

    /** Like {@link #run(ContainerRuntime, ContainerSpec)}, and returns the guest's stdout. */
    public static String runForOutput(ContainerRuntime runtime, ContainerSpec spec) {
        StringBuilder stdout = new StringBuilder();
        run(runtime, spec, stdout);
        return stdout.toString();
    }

    private static ContainerInfo run(ContainerRuntime runtime, ContainerSpec spec, StringBuilder stdout) {
        ContainerInfo created = runtime.create(spec, ContainerIO.DETACHED);
        try {
            runtime.start(created.id());
            ContainerInfo done = runtime.await(created.id(), RUN_LIMIT);
            if (done.state() != ContainerState.STOPPED || done.exitCode() == null || done.exitCode() != 0) {
                throw new IllegalStateException("container " + done.name() + " of " + spec.module() + " ended "
                        + done.state() + " exit " + done.exitCode() + " " + done.stopReason() + " " + done.message()
                        + "; stderr: " + runtime.logs(done.id()).stderr());
            }
            if (stdout != null) {
                stdout.append(runtime.logs(done.id()).stdout());
            }
            return done;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for container " + created.name(), e);
        } finally {
            if (runtime.state(created.id()).state() == ContainerState.RUNNING) {
                runtime.kill(created.id());
            }
            runtime.delete(created.id());
        }
    }

    /** Deletes {@code dir} and everything in it; a benchmark's scratch space. */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete scratch directory " + dir, e);
        }
    }
}
