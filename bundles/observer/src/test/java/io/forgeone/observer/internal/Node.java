package io.forgeone.observer.internal;

import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerLimits;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.engine.WasmEngine;
import io.forgeone.api.wasi.OutputSink;
import io.forgeone.api.wasi.Preopen;
import io.forgeone.crypto.internal.BouncyCastle;
import io.forgeone.crypto.internal.Ed25519Scheme;
import io.forgeone.crypto.internal.KeyCodecImpl;
import io.forgeone.kernel.internal.ContainerRuntimeImpl;
import io.forgeone.kernel.internal.KernelConfig;
import io.forgeone.kernel.internal.PermissiveGate;
import io.forgeone.wasi.internal.WasiProviderComponent;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.osgi.util.converter.Converters;

/**
 * For tests: a node in one object, wired as DS wires the real components (the kernel's runtime, WASI, Chicory, the
 * permissive gate, the observer, the snapshot signer with real Ed25519), without a framework.
 */
final class Node implements AutoCloseable {
    static final BouncyCastle BC = new BouncyCastle();

    final Observer observer;
    final ContainerRuntimeImpl runtime;
    final SnapshotSigner signer;
    final Snapshots snapshots;
    final WasmEngine engine;

    Node(Path dir, Map<String, Object> observerConfig) {
        ObserverConfig config = ReplayTest.config(observerConfig);
        observer = new Observer(config, dir.resolve("traces"));
        engine = Programs.engine();
        KernelConfig kernel = Converters.standardConverter().convert(Map.of()).to(KernelConfig.class);
        runtime = new ContainerRuntimeImpl(kernel, new WasiProviderComponent());
        // what DS does: field references and the engine's bind method
        set(runtime, "gate", new PermissiveGate());
        set(runtime, "recorder", observer);
        invoke(runtime, "bindEngine", WasmEngine.class, engine);
        signer = new SnapshotSigner(dir.resolve("keys"));
        signer.bindCodec(new KeyCodecImpl(BC));
        signer.bindScheme(new Ed25519Scheme(BC));
        snapshots = new Snapshots(config, dir.resolve("snapshots"), runtime, observer, signer);
    }

    private static void set(Object target, String field, Object value) {
        try {
            Field f = target.getClass().getDeclaredField(field);
            f.setAccessible(true);
            f.set(target, value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void invoke(Object target, String method, Class<?> type, Object arg) {
        try {
            Method m = target.getClass().getDeclaredMethod(method, type);
            m.setAccessible(true);
            m.invoke(target, arg);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Output captured from a container. */
    static final class Captured {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();

        ContainerIO io() {
            OutputSink o = (b, off, len) -> {
                synchronized (out) {
                    out.write(b, off, len);
                }
            };
            OutputSink e = (b, off, len) -> {
                synchronized (err) {
                    err.write(b, off, len);
                }
            };
            return new ContainerIO(null, o, e);
        }

        String stdout() {
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
            }
        }

        String stderr() {
            synchronized (err) {
                return err.toString(StandardCharsets.UTF_8);
            }
        }
    }

    ContainerInfo start(String name, String program, List<String> args, List<Preopen> dirs, Captured io) {
        ContainerSpec spec = new ContainerSpec(name, Programs.wasm(program), args, Map.of(), dirs, null,
                ContainerLimits.DEFAULT.withWallTimeout(Duration.ofSeconds(60)));
        ContainerInfo info = runtime.create(spec, io.io());
        return runtime.start(info.id());
    }

    ContainerInfo await(String id) throws InterruptedException {
        ContainerInfo info = runtime.await(id, Duration.ofSeconds(60));
        if (info.state() != ContainerState.STOPPED) {
            throw new AssertionError("container " + info.name() + " did not stop: " + info.state());
        }
        return info;
    }

    ContainerRuntime runtime() {
        return runtime;
    }

    @Override
    public void close() {
        for (ContainerInfo c : runtime.list()) {
            if (c.state() != ContainerState.STOPPED && c.state() != ContainerState.CREATED) {
                runtime.kill(c.id());
            }
        }
        observer.deactivate();
    }
}
