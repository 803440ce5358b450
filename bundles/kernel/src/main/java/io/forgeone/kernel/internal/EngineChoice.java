package io.forgeone.kernel.internal;

import io.forgeone.api.container.ContainerSpecException;
import io.forgeone.api.engine.WasmEngine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the engine name {@value #AUTO} picks. Deliberately simple and predictable: the node's default engine when it
 * is an installed engine, else the first installed of {@link #PREFERENCE}, else any installed engine (by name).
 *
 * <p>Chicory comes first because it is the engine that costs least where it matters to ForgeOne's typical guest, a
 * WASI program that makes many host calls: a host call costs about 7 ns on Chicory against about 18 us through
 * wasmtime-java's JNI binding, and Chicory is pure Java (no native library) with fuel-free but prompt interruption.
 * wasmtime is for compute-heavy guests with few host calls; a package or an operator asks for it by name. Nothing is
 * guessed from the module: how many host calls a guest makes is not visible in its imports.
 */
final class EngineChoice {

    static final String AUTO = "auto";
    static final List<String> PREFERENCE = List.of("chicory", "wasmtime");

    private EngineChoice() {
    }

    static WasmEngine automatic(String defaultEngine, List<WasmEngine> installed) {
        List<String> order = new ArrayList<>();
        if (defaultEngine != null && !defaultEngine.isBlank() && !AUTO.equals(defaultEngine)) {
            order.add(defaultEngine);
        }
        order.addAll(PREFERENCE);
        for (String name : order) {
            for (WasmEngine engine : installed) {
                if (engine.name().equals(name)) {
                    return engine;
                }
            }
        }
        return installed.stream().min(Comparator.comparing(WasmEngine::name))
                .orElseThrow(() -> new ContainerSpecException("engine 'auto': no engine is installed"));
    }
}
