package io.forgeone.trust.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.capability.CapabilityFunction;
import io.forgeone.api.capability.ProvidedFunction;
import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.gate.Decision;
import io.forgeone.api.gate.GateContext;
import io.forgeone.api.gate.GateSession;
import io.forgeone.api.policy.Explanation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

/** Capability-provider functions: functions grants by name, net grants by the host and port a call names. */
class ProviderGrantsTest {
    private static final GateContext WEB = new GateContext("c1", "web-1", "ab".repeat(32), Map.of());
    private static final GateContext OTHER = new GateContext("c2", "batch-1", "cd".repeat(32), Map.of());

    @TempDir
    Path dir;
    private PolicyGate gate;

    /** A provider function with a declared capability; a net one describes the destination in {@code host}/{@code port}. */
    static final class Fn implements CapabilityFunction {
        final String module;
        final String name;
        final String capability;
        volatile Map<String, Object> described = Map.of();

        Fn(String module, String name, String capability) {
            this.module = module;
            this.name = name;
            this.capability = capability;
        }

        @Override
        public String capability() {
            return capability;
        }

        @Override
        public String module() {
            return module;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public FunctionSignature signature() {
            return FunctionSignature.of(List.of(), List.of());
        }

        @Override
        public long[] call(GuestMemory memory, long[] args) {
            return new long[0];
        }

        @Override
        public Map<String, Object> describe(GuestMemory memory, long[] args) {
            return described;
        }
    }

    private final Fn get = new Fn("forge:kv", "get", ProvidedFunction.FUNCTIONS);
    private final Fn put = new Fn("forge:kv", "put", ProvidedFunction.FUNCTIONS);
    private final Fn request = new Fn("forge:http", "request", ProvidedFunction.NET);

    @BeforeEach
    void setUp() throws Exception {
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(policies.resolve("web.yaml"), String.join("\n",
                "name: web",
                "match: {name: web-*}",
                "grants:",
                "  functions: [forge:kv.get]",
                "  net:",
                "    - host: api.example.com",
                "      ports: [443]",
                "    - host: \"*.internal.test\"",
                "    - cidr: 10.1.0.0/16",
                "      ports: [8080]",
                ""));
        TrustConfig config = Converters.standardConverter().convert(Map.of("reload.ms", 100000L))
                .to(TrustConfig.class);
        gate = new PolicyGate(config, policies, dir.resolve("decisions.log"));
    }

    @AfterEach
    void tearDown() {
        gate.deactivate();
    }

    private Decision request(GateSession s, String host, int port) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("url", "http://" + host + ":" + port + "/");
        d.put("host", host);
        d.put("port", port);
        request.described = d;
        return s.decide(2, null, new long[12]);
    }

    @Test
    void functionsAreDecidedByNameAndNetCallsByDestination() throws Exception {
        GateSession s = gate.open(WEB, List.of(get, put, request));
        assertEquals(Decision.ALLOW, s.decide(0, null, new long[5]));
        assertEquals(Decision.DENY, s.decide(1, null, new long[4]));
        assertEquals(Decision.ALLOW, request(s, "api.example.com", 443));
        assertEquals(Decision.DENY, request(s, "api.example.com", 80), "port not granted");
        assertEquals(Decision.DENY, request(s, "evil.example.com", 443));
        assertEquals(Decision.ALLOW, request(s, "db.internal.test", 5432), "wildcard host, any port");
        assertEquals(Decision.DENY, request(s, "internal.test", 5432), "the wildcard needs a name below it");
        assertEquals(Decision.ALLOW, request(s, "10.1.2.3", 8080), "address in the CIDR block");
        assertEquals(Decision.DENY, request(s, "10.2.0.1", 8080));
        request.described = Map.of("urlError", "scheme 'file' is not http or https");
        assertEquals(Decision.ALLOW, s.decide(2, null, new long[12]), "not a URL: the call fails by itself");
        List<String> log = Files.readAllLines(dir.resolve("decisions.log"));
        assertTrue(log.stream().anyMatch(l -> l.contains("forge:http") && l.contains("evil.example.com")
                && l.contains("\"decision\":\"deny\"")), log.toString());
        s.close();
    }

    @Test
    void refusalsNameTheGrantToAdd() {
        assertEquals(List.of("forge:kv.put is not granted by policy web (" + dir.resolve("policies/web.yaml")
                + "): add functions: [forge:kv.put] to its grants"), gate.refusals(WEB, List.of(get, put, request)));
        List<String> none = gate.refusals(OTHER, List.of(get, request));
        assertEquals(2, none.size());
        assertTrue(none.get(1).startsWith("forge:http.request: no policy applies to this workload; add one that grants"
                + " net: "), none.toString());
    }

    @Test
    void explainDecidesADestinationByTheNetGrants() {
        Explanation ok = gate.explain(WEB, "forge:http.request", Map.of("host", "API.example.com", "port", "443"));
        assertEquals(Decision.ALLOW, ok.decision());
        assertEquals("net[0]", ok.rule());
        assertEquals(Decision.DENY, gate.explain(WEB, "forge:http.request", Map.of("host", "x.org")).decision());
        assertEquals(Decision.ALLOW, gate.explain(WEB, "forge:kv.get", Map.of()).decision());
    }
}
