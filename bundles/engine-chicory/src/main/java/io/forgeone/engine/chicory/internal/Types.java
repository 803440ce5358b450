package io.forgeone.engine.chicory.internal;

import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Conversions between Chicory's value types and the engine-neutral ones of the API. */
final class Types {

    private Types() {
    }

    /**
     * The API signature of a Chicory function type, or empty when it uses a type the API cannot carry as a
     * {@code long} (v128, references).
     */
    static Optional<FunctionSignature> signature(FunctionType type) {
        List<ValueType> params = valueTypes(type.params());
        List<ValueType> results = valueTypes(type.returns());
        if (params == null || results == null) {
            return Optional.empty();
        }
        return Optional.of(FunctionSignature.of(params, results));
    }

    static FunctionType functionType(FunctionSignature signature) {
        return FunctionType.of(valTypes(signature.params()), valTypes(signature.results()));
    }

    private static List<ValueType> valueTypes(List<ValType> types) {
        List<ValueType> converted = new ArrayList<>(types.size());
        for (ValType type : types) {
            ValueType valueType = valueType(type);
            if (valueType == null) {
                return null;
            }
            converted.add(valueType);
        }
        return converted;
    }

    private static ValueType valueType(ValType type) {
        if (type.equals(ValType.I32)) {
            return ValueType.I32;
        } else if (type.equals(ValType.I64)) {
            return ValueType.I64;
        } else if (type.equals(ValType.F32)) {
            return ValueType.F32;
        } else if (type.equals(ValType.F64)) {
            return ValueType.F64;
        }
        return null;
    }

    private static List<ValType> valTypes(List<ValueType> types) {
        List<ValType> converted = new ArrayList<>(types.size());
        for (ValueType type : types) {
            converted.add(switch (type) {
                case I32 -> ValType.I32;
                case I64 -> ValType.I64;
                case F32 -> ValType.F32;
                case F64 -> ValType.F64;
            });
        }
        return converted;
    }
}
