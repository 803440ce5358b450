package io.forgeone.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.forgeone.api.container.ContainerSpecException;
import io.forgeone.api.engine.CompiledModule;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.InstanceLimits;
import io.forgeone.api.engine.WasmEngine;
import io.forgeone.api.engine.WasmInstance;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineChoiceTest {

    private static final WasmEngine CHICORY = named("chicory");
    private static final WasmEngine WASMTIME = named("wasmtime");
    private static final WasmEngine OTHER = named("other");

    @Test
    void autoTakesTheNodesDefaultWhenItIsInstalled() {
        assertSame(WASMTIME, EngineChoice.automatic("wasmtime", List.of(CHICORY, WASMTIME)));
        assertSame(CHICORY, EngineChoice.automatic("chicory", List.of(WASMTIME, CHICORY)));
    }

    @Test
    void otherwiseChicoryThenWasmtimeThenAnyByName() {
        assertSame(CHICORY, EngineChoice.automatic("v8", List.of(WASMTIME, CHICORY)));
        assertSame(CHICORY, EngineChoice.automatic("auto", List.of(OTHER, WASMTIME, CHICORY)));
        assertSame(WASMTIME, EngineChoice.automatic("chicory", List.of(OTHER, WASMTIME)));
        assertSame(OTHER, EngineChoice.automatic(null, List.of(named("zeta"), OTHER)));
    }

    @Test
    void autoWithNoEngineInstalledIsASpecError() {
        ContainerSpecException e = assertThrows(ContainerSpecException.class,
                () -> EngineChoice.automatic("chicory", List.of()));
        assertEquals("engine 'auto': no engine is installed", e.getMessage());
    }

    private static WasmEngine named(String name) {
        return new WasmEngine() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return name + " (test)";
            }

            @Override
            public CompiledModule compile(byte[] wasm) {
                throw new UnsupportedOperationException();
            }

            @Override
            public WasmInstance instantiate(CompiledModule module, List<HostFunction> imports, InstanceLimits limits) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
