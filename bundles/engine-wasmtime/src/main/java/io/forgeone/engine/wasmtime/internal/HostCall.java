package io.forgeone.engine.wasmtime.internal;

import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.ValueType;
import io.github.kawamuray.wasmtime.Caller;
import io.github.kawamuray.wasmtime.Func;
import io.github.kawamuray.wasmtime.FuncType;
import io.github.kawamuray.wasmtime.Val;
import java.util.List;

/**
 * wasmtime's side of one host function import. wasmtime-java turns an exception thrown here into a trap whose Java
 * exception ({@code WasmtimeException}) has lost the original; so the original is kept in the instance's {@link
 * Failure} slot before it is thrown, and the instance rethrows or wraps that one when the call comes back.
 */
final class HostCall implements Func.Handler<Void> {

    /** The host failure of the call in progress, if any; one per instance (one thread calls into it at a time). */
    static final class Failure {
        private String function;
        private RuntimeException failure;

        void set(String qualifiedName, RuntimeException e) {
            if (failure == null) {
                function = qualifiedName;
                failure = e;
            }
        }

        String function() {
            return function;
        }

        /** The failure, cleared for the next call. */
        RuntimeException take() {
            RuntimeException taken = failure;
            failure = null;
            return taken;
        }
    }

    private final String qualifiedName;
    private final HostFunction function;
    private final WasmtimeGuestMemory memory;
    private final Failure failure;
    private final ValueType[] params;
    private final ValueType[] results;

    HostCall(String qualifiedName, HostFunction function, WasmtimeGuestMemory memory, Failure failure) {
        this.qualifiedName = qualifiedName;
        this.function = function;
        this.memory = memory;
        this.failure = failure;
        this.params = function.signature().params().toArray(new ValueType[0]);
        this.results = function.signature().results().toArray(new ValueType[0]);
    }

    static FuncType funcType(FunctionSignature signature) {
        return new FuncType(valTypes(signature.params()), valTypes(signature.results()));
    }

    private static Val.Type[] valTypes(List<ValueType> types) {
        Val.Type[] converted = new Val.Type[types.size()];
        for (int i = 0; i < converted.length; i++) {
            converted[i] = switch (types.get(i)) {
                case I32 -> Val.Type.I32;
                case I64 -> Val.Type.I64;
                case F32 -> Val.Type.F32;
                case F64 -> Val.Type.F64;
            };
        }
        return converted;
    }

    @Override
    public void call(Caller<Void> caller, Val[] args, Val[] out) {
        memory.invalidate();
        long[] values = new long[args.length];
        for (int i = 0; i < args.length; i++) {
            values[i] = toLong(args[i], params[i]);
        }
        long[] returned;
        try {
            returned = function.call(memory, values);
            int count = returned == null ? 0 : returned.length;
            if (count != results.length) {
                throw new IllegalStateException("host function " + qualifiedName + " returned " + count
                        + " values, its signature " + function.signature() + " has " + results.length);
            }
        } catch (RuntimeException e) {
            failure.set(qualifiedName, e);
            throw e;
        } catch (StackOverflowError e) {
            // the host ran out of Java stack: a failure of this call, not of the node
            RuntimeException wrapped = new IllegalStateException("host function " + qualifiedName
                    + " overflowed the Java stack", e);
            failure.set(qualifiedName, wrapped);
            throw wrapped;
        }
        for (int i = 0; i < results.length; i++) {
            out[i] = toVal(returned[i], results[i]);
        }
    }

    /** i32 sign-extended, f32 and f64 as raw bits, as {@link ValueType} says. */
    static long toLong(Val val, ValueType type) {
        return switch (type) {
            case I32 -> val.i32();
            case I64 -> val.i64();
            case F32 -> Float.floatToRawIntBits(val.f32());
            case F64 -> Double.doubleToRawLongBits(val.f64());
        };
    }

    static Val toVal(long value, ValueType type) {
        return switch (type) {
            case I32 -> Val.fromI32((int) value);
            case I64 -> Val.fromI64(value);
            case F32 -> Val.fromF32(Float.intBitsToFloat((int) value));
            case F64 -> Val.fromF64(Double.longBitsToDouble(value));
        };
    }
}
