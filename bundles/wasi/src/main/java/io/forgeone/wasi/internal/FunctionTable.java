package io.forgeone.wasi.internal;

import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.ValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The preview1 functions an environment implements, by name. A function that is not registered here is
 * not offered at all, so a module importing it fails to link with a message naming it, instead of
 * meeting a stub at run time.
 */
final class FunctionTable {
    private static final List<ValueType> ERRNO = List.of(ValueType.I32);
    private final Map<String, HostFunction> functions = new LinkedHashMap<>();

    /**
     * Registers a function returning an errno. {@code params} spells the core-wasm parameter types:
     * {@code i} for i32, {@code I} for i64, as the witx lowers them.
     */
    void add(String name, String params, WasiFunction.Body body, WasiFunction.Describer describer) {
        put(new WasiFunction(name, FunctionSignature.of(types(params), ERRNO), body, describer));
    }

    /** Registers a function without results (proc_exit). */
    void addNoResult(String name, String params, WasiFunction.Body body, WasiFunction.Describer describer) {
        put(new WasiFunction(name, FunctionSignature.of(types(params), List.of()), body, describer));
    }

    List<HostFunction> functions() {
        return List.copyOf(functions.values());
    }

    private void put(HostFunction function) {
        if (functions.putIfAbsent(function.name(), function) != null) {
            throw new IllegalStateException("two implementations of " + function.name());
        }
    }

    private static List<ValueType> types(String params) {
        List<ValueType> types = new ArrayList<>(params.length());
        for (char c : params.toCharArray()) {
            switch (c) {
                case 'i':
                    types.add(ValueType.I32);
                    break;
                case 'I':
                    types.add(ValueType.I64);
                    break;
                default:
                    throw new IllegalArgumentException("parameter type '" + c + "' in '" + params + "'");
            }
        }
        return types;
    }
}
