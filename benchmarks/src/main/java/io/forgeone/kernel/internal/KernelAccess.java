package io.forgeone.kernel.internal;

import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.WasmEngine;
import io.forgeone.api.gate.GateSession;
import io.forgeone.api.gate.HostCallGate;
import io.forgeone.api.wasi.WasiProvider;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.util.converter.Converters;

/**
 * What the benchmarks need of the kernel that the kernel keeps package-private: wiring a runtime without
 * Declarative Services (its gate and engine are set by DS in a framework) and the gate wrapper every host call
 * passes. The benchmarks run on a plain class path, where a class of the same package can reach these; in a
 * framework this class could not load (the package is private to the kernel bundle). Once the kernel offers a
 * public way to do the same (asked for in issue 9's notes), this class goes.
 */
public final class KernelAccess {

    private KernelAccess() {
    }

    /**
     * A runtime as DS would activate it, with the given engine and gate bound.
     *
     * @param config kernel configuration properties by their PID names ({@code max.containers}, ...)
     */
    public static ContainerRuntime runtime(Map<String, ?> config, WasiProvider wasi, WasmEngine engine,
            HostCallGate gate) {
        KernelConfig kernelConfig = snapshot(KernelConfig.class,
                Converters.standardConverter().convert(config).to(KernelConfig.class));
        ContainerRuntimeImpl runtime = new ContainerRuntimeImpl(kernelConfig, wasi);
        runtime.setGate(gate);
        runtime.bindEngine(engine);
        return runtime;
    }

    /**
     * The configuration as Felix SCR hands it to a component: a proxy answering from values read once. The
     * converter's own proxy converts on every call, by reflection; the kernel reads its configuration on every
     * create, which then showed up in the profiles as a third of a container run.
     */
    static <A> A snapshot(Class<A> type, A converted) {
        Map<String, Object> values = new HashMap<>();
        for (Method m : type.getDeclaredMethods()) {
            if (m.getParameterCount() == 0) {
                try {
                    values.put(m.getName(), m.invoke(converted));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + type.getSimpleName() + "." + m.getName(), e);
                }
            }
        }
        Map<String, Object> frozen = Map.copyOf(values);
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "annotationType":
                    return type;
                case "toString":
                    return type.getSimpleName() + frozen;
                case "hashCode":
                    return frozen.hashCode();
                case "equals":
                    return proxy == args[0];
                default:
                    return frozen.get(method.getName());
            }
        }));
    }

    /** Stops the runtime as DS deactivation would: running containers are killed, threads end. */
    public static void stop(ContainerRuntime runtime) {
        ((ContainerRuntimeImpl) runtime).deactivate();
    }

    /** A guest nobody pauses: the check at each call costs what it costs in a container (one volatile read). */
    private static final CallBoundary NEVER_SUSPENDED = new CallBoundary() {
        private volatile boolean requested;

        @Override
        public boolean suspendRequested() {
            return requested;
        }

        @Override
        public void suspendAsRequested() {
        }

        @Override
        public void suspendHere(io.forgeone.api.container.ContainerState kind, String reason) {
            throw new IllegalStateException("benchmark guests are never suspended");
        }
    };

    /** {@code functions}, each wrapped as the kernel wraps it before instantiation (index = list position). */
    public static List<HostFunction> gated(List<HostFunction> functions, GateSession session) {
        return gated(functions, session, null);
    }

    /**
     * {@code functions} wrapped as the kernel wraps them when an observer is installed: every call also handed to
     * {@code recording} (with its timing and memory accesses), or to nothing when it is null.
     */
    public static List<HostFunction> gated(List<HostFunction> functions, GateSession session,
            io.forgeone.api.observe.CallRecording recording) {
        CallTap tap = recording == null ? null : new CallTap(recording);
        // as the kernel wires them: the container's call counters and the node's sampled gate timer included
        CallCounters counters = new CallCounters(functions);
        GateTimer timer = new GateTimer();
        List<HostFunction> gated = new ArrayList<>(functions.size());
        for (int i = 0; i < functions.size(); i++) {
            gated.add(new GatedHostFunction(functions.get(i), i, session, NEVER_SUSPENDED, tap, counters, timer));
        }
        return gated;
    }
}
