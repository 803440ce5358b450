package io.forgeone.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.capability.ProvidedFunction;
import io.forgeone.api.container.EngineInfo;
import io.forgeone.api.container.ProviderInfo;
import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.ValueType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** forge engines and forge providers: what the node's runtime reports, as tables. */
class NodeTablesTest {
    private final Console console = new Console();

    private ForgeCommand forge(List<EngineInfo> engines, List<ProviderInfo> providers) {
        FakeRuntime runtime = new FakeRuntime() {
            @Override
            public List<EngineInfo> engines() {
                return engines;
            }

            @Override
            public List<ProviderInfo> providers() {
                return providers;
            }
        };
        return new ForgeCommand(runtime, console.terminal, "1.2.3", "java 17", name -> null);
    }

    @Test
    void enginesShowBundleVersionAndRunningContainers() {
        ForgeCommand forge = forge(List.of(new EngineInfo("chicory", "Chicory 1.7.5", 7,
                "io.forgeone.engine-chicory 0.1.0", List.of("0123456789abcdef"))), List.of());
        assertEquals(0, forge.applyAsInt(new String[] {"engines"}));
        String out = console.out();
        assertTrue(out.startsWith("NAME"), out);
        assertTrue(out.matches("(?s).*chicory\\s+7\\s+io.forgeone.engine-chicory 0.1.0\\s+1\\s+Chicory 1.7.5.*"), out);
        assertTrue(out.contains("running: 0123456789ab\n"), out);
    }

    @Test
    void providersShowFunctionsWithTheGrantEachNeeds() {
        FunctionSignature sig = FunctionSignature.of(List.of(ValueType.I32, ValueType.I32), List.of(ValueType.I32));
        ForgeCommand forge = forge(List.of(), List.of(
                new ProviderInfo("forge:kv", "key-value store", List.of(new ProvidedFunction("get", sig, "functions")),
                        9, "io.forgeone.provider-kv 0.1.0", List.of()),
                new ProviderInfo("forge:http", "outbound HTTP", List.of(new ProvidedFunction("request", sig, "net")),
                        10, "io.forgeone.provider-http 0.1.0", List.of("c1"))));
        assertEquals(0, forge.applyAsInt(new String[] {"providers"}));
        String out = console.out();
        assertTrue(out.contains("forge:kv.get(i32, i32) -> i32   needs functions: [forge:kv.get]"), out);
        assertTrue(out.contains("forge:http.request(i32, i32) -> i32   needs net: [{host: ..., ports: [...]}]"), out);
        assertTrue(out.contains("used by: c1"), out);
    }

    @Test
    void emptyNodesSayWhatThatMeansAndArgumentsAreUsageErrors() {
        ForgeCommand forge = forge(List.of(), List.of());
        assertEquals(0, forge.applyAsInt(new String[] {"providers"}));
        assertTrue(console.out().contains("(no capability provider installed"), console.out());
        assertEquals(2, forge.applyAsInt(new String[] {"engines", "x"}));
        assertTrue(console.err().contains("engines takes no arguments"), console.err());
        assertEquals(0, forge.applyAsInt(new String[] {"help", "providers"}));
        assertTrue(console.out().contains("Usage: forge providers"), console.out());
    }
}
