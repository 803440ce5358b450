package io.forgeone.api.engine;

import java.util.List;
import java.util.Objects;

/** Parameter and result types of a WebAssembly function. */
public record FunctionSignature(List<ValueType> params, List<ValueType> results) {
    public FunctionSignature {
        params = List.copyOf(Objects.requireNonNull(params, "params"));
        results = List.copyOf(Objects.requireNonNull(results, "results"));
    }

    public static FunctionSignature of(List<ValueType> params, List<ValueType> results) {
        return new FunctionSignature(params, results);
    }

    @Override
    public String toString() {
        return params + " -> " + results;
    }
}
