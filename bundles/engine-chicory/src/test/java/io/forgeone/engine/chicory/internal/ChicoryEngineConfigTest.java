package io.forgeone.engine.chicory.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.engine.CompiledModule;
import io.forgeone.api.engine.ExecutionMode;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChicoryEngineConfigTest {

    /** A configuration as DS builds it: the given properties, defaults for the rest. */
    private static ChicoryEngineConfig config(Map<String, Object> properties) {
        return (ChicoryEngineConfig) Proxy.newProxyInstance(ChicoryEngineConfig.class.getClassLoader(),
                new Class<?>[] {ChicoryEngineConfig.class}, (proxy, method, args) -> {
                    String property = method.getName().replace('_', '.');
                    return properties.getOrDefault(property, method.getDefaultValue());
                });
    }

    @Test
    void defaultsCompileWithACacheOf64() {
        ChicoryEngine engine = new ChicoryEngine(config(Map.of()));
        assertEquals(new EngineOptions(64, true), engine.options());
        assertEquals(ExecutionMode.COMPILED, engine.compile(TestModules.bytes("add.wasm")).mode());
    }

    @Test
    void compilerCanBeSwitchedOff() {
        ChicoryEngine engine = new ChicoryEngine(config(Map.of("compiler.enabled", false)));
        CompiledModule module = engine.compile(TestModules.bytes("add.wasm"));
        assertEquals(ExecutionMode.INTERPRETED, module.mode());
        assertTrue(module.modeNote().contains("compiler.enabled=false"), module.modeNote());
    }

    @Test
    void cacheSizeBelowOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ChicoryEngine(config(Map.of("cache.size", 0))));
        assertTrue(e.getMessage().contains("cache.size"), e.getMessage());
    }

    @Test
    void anUnchangedConfigurationKeepsTheCacheAndAChangedOneClearsIt() {
        ChicoryEngine engine = new ChicoryEngine(config(Map.of()));
        byte[] wasm = TestModules.bytes("add.wasm");
        CompiledModule module = engine.compile(wasm);

        engine.modified(config(Map.of("cache.size", 64)));
        assertSame(module, engine.compile(wasm));

        engine.modified(config(Map.of("compiler.enabled", false)));
        CompiledModule interpreted = engine.compile(wasm);
        assertNotSame(module, interpreted);
        assertEquals(ExecutionMode.INTERPRETED, interpreted.mode());
        assertEquals("Chicory 1.7.5 (interpreter only)", engine.description());
    }
}
