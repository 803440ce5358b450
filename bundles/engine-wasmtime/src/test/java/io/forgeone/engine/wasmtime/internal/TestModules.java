package io.forgeone.engine.wasmtime.internal;

import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.InstanceLimits;
import io.forgeone.api.engine.ValueType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.BiFunction;

/** The test modules (built from src/test/wat by build.sh) and small helpers around them. */
final class TestModules {

    static final InstanceLimits LIMITS = new InstanceLimits(16);

    private TestModules() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = TestModules.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test module " + name + " is missing; run src/test/wat/build.sh");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static WasmtimeEngine engine() {
        return new WasmtimeEngine();
    }

    static FunctionSignature signature(List<ValueType> params, List<ValueType> results) {
        return FunctionSignature.of(params, results);
    }

    static HostFunction host(String module, String name, FunctionSignature signature,
            BiFunction<GuestMemory, long[], long[]> body) {
        return new TestHostFunction(module, name, signature, body);
    }

    private record TestHostFunction(String module, String name, FunctionSignature signature,
            BiFunction<GuestMemory, long[], long[]> body) implements HostFunction {
        @Override
        public long[] call(GuestMemory memory, long[] args) {
            return body.apply(memory, args);
        }
    }
}
