package io.forgeone.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.auth.IssuedCertificate;
import io.forgeone.api.auth.NodeCertificates;
import io.forgeone.api.auth.Role;
import io.forgeone.api.auth.TokenService;
import io.forgeone.api.crypto.KeyCodec;
import io.forgeone.api.crypto.SignatureScheme;
import io.forgeone.api.pkg.PackageBuilder;
import io.forgeone.api.pkg.TrustStore;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Dictionary;
import java.util.EnumMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The control plane over real HTTP (java.net.http) on a real node (rest.bndrun), every JSON answer checked against
 * the schema the OpenAPI document gives for it: every documented route with no
 * token and with each role, the OpenAPI document against the server, a signed package uploaded, run, followed and
 * stopped under a policy, policies listed and checked, services that come and go,
 * what bad clients send, and mutual TLS with the node's own CA.
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class RestIT {
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH");
    private static URI base;
    private static HttpClient http;
    private static final Map<Role, String> TOKENS = new EnumMap<>(Role.class);

    @BeforeAll
    static void startServer() throws Exception {
        Assumptions.assumeTrue(restBundle(), "runs on the node with the REST bundle (rest.bndrun)");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ConfigurationAdmin cm = Node.service(ConfigurationAdmin.class);
        Configuration config = cm.getConfiguration("io.forgeone.rest", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        // DS spells the configuration's max_json_bytes() as the property max.json.bytes
        props.put("port", port);
        props.put("allow.modules", true);
        props.put("max.json.bytes", 65536);
        props.put("auth.max.failures", 5);
        props.put("auth.window.seconds", 3);
        config.update(props);
        base = URI.create("http://127.0.0.1:" + port);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                if (send("GET", "/v1/health", null, null, null).statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the REST server did not come up on port " + port, e);
                }
            }
            Thread.sleep(100);
        }
        // the node has the policy gate: one policy lets the test programs print, read args and the clock
        Path policies = Files.createDirectories(Path.of(Node.context().getProperty("forge.home"), "etc", "policies"));
        Files.writeString(policies.resolve("rest-it.yaml"), "name: rest-it\nmode: enforce\ngrants:\n  args: true\n"
                + "  env: true\n  clocks: true\n  random: true\n  stdout: true\n  stderr: true\n");
        TokenService tokens = Node.service(TokenService.class);
        for (Role r : Role.values()) {
            TOKENS.put(r, tokens.create(r, "it-" + r.id()).token());
        }
        long policyDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (((List<?>) call("GET", "/v1/policies", Role.VIEWER, null, 200).get("policies")).isEmpty()) {
            assertTrue(System.nanoTime() < policyDeadline, "the policy file was not picked up");
            Thread.sleep(100);
        }
    }

    private static boolean restBundle() {
        return List.of(Node.context().getBundles()).stream().anyMatch(b -> b.getSymbolicName().equals("io.forgeone.rest"));
    }

    static HttpResponse<byte[]> send(String method, String path, Role role, String contentType, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (role != null) {
            b.header("Authorization", "Bearer " + TOKENS.get(role));
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The answer's JSON body, checked against the schema the OpenAPI document gives for it. */
    static Map<?, ?> json(HttpResponse<byte[]> r) {
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/json") && schemas().documentsMediaType(r.request().method(),
                r.request().uri().getRawPath(), r.statusCode(), type)) {
            // a documented answer that is not JSON (GET /metrics: Prometheus text); nothing JSON to check
            return Map.of();
        }
        assertTrue(type.startsWith("application/json"),
                r.request().method() + " " + r.request().uri() + ": " + r.headers());
        Map<?, ?> body;
        try {
            body = (Map<?, ?>) Json.parse(r.body());
        } catch (Json.JsonException e) {
            throw new AssertionError("not JSON: " + new String(r.body(), StandardCharsets.UTF_8), e);
        }
        schemas().check(r.request().method(), r.request().uri().getRawPath(), r.statusCode(), body);
        return body;
    }

    private static OpenApiSchemas schemas;

    private static synchronized OpenApiSchemas schemas() {
        if (schemas == null) {
            try {
                HttpResponse<byte[]> doc = http.send(HttpRequest.newBuilder(base.resolve("/v1/openapi.json"))
                        .header("Authorization", "Bearer " + TOKENS.get(Role.VIEWER)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, doc.statusCode());
                schemas = new OpenApiSchemas((Map<?, ?>) Json.parse(doc.body()));
            } catch (IOException | Json.JsonException e) {
                throw new AssertionError("cannot read /v1/openapi.json", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return schemas;
    }

    static Map<?, ?> call(String method, String path, Role role, String json, int status) throws Exception {
        HttpResponse<byte[]> r = send(method, path, role, json == null ? null : "application/json",
                json == null ? null : json.getBytes(StandardCharsets.UTF_8));
        assertEquals(status, r.statusCode(), method + " " + path + ": " + new String(r.body(), StandardCharsets.UTF_8));
        return json(r);
    }

    static String errorCode(HttpResponse<byte[]> r) {
        return (String) ((Map<?, ?>) json(r).get("error")).get("code");
    }

    static void assertError(HttpResponse<byte[]> r, int status, String code) {
        assertEquals(status, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        assertEquals(code, errorCode(r));
    }

    /** Every documented operation: (path template, method, least role or null). */
    static List<String[]> documentedOperations() throws Exception {
        Map<?, ?> doc = call("GET", "/v1/openapi.json", Role.VIEWER, null, 200);
        List<String[]> ops = new ArrayList<>();
        for (Map.Entry<?, ?> path : ((Map<?, ?>) doc.get("paths")).entrySet()) {
            for (Map.Entry<?, ?> op : ((Map<?, ?>) path.getValue()).entrySet()) {
                String method = ((String) op.getKey()).toUpperCase(Locale.ROOT);
                Object role = ((Map<?, ?>) op.getValue()).get("x-forge-role");
                ops.add(new String[] {(String) path.getKey(), method, role == Json.NULL ? null : (String) role});
            }
        }
        return ops;
    }

    private static String concrete(String template) {
        return template.replace("{id}", "nothing-here").replace("{name}", "nothing-here");
    }

    @Test
    @Order(1)
    public void everyRouteWithNoTokenAndWithEachRole() throws Exception {
        List<String[]> ops = documentedOperations();
        assertTrue(ops.size() >= 20, "documented operations: " + ops.size());
        for (String[] op : ops) {
            String path = concrete(op[0]);
            String what = op[1] + " " + op[0];
            HttpResponse<byte[]> anonymous = send(op[1], path, null, null, null);
            if (op[2] == null) {
                assertEquals(200, anonymous.statusCode(), what);
                continue;
            }
            assertError(anonymous, 401, "unauthorized");
            assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), what);
            Role required = Role.parse(op[2]);
            for (Role role : Role.values()) {
                HttpResponse<byte[]> r = send(op[1], path, role, null, null);
                json(r); // every answer is JSON, whatever the status
                if (role.includes(required)) {
                    assertNotEquals(401, r.statusCode(), what + " as " + role);
                    assertNotEquals("forbidden", errorCodeOrNull(r), what + " as " + role);
                    assertNotEquals(500, r.statusCode(), what + " as " + role);
                } else {
                    assertError(r, 403, "forbidden");
                }
            }
        }
    }

    /** The document and the server agree: every documented operation is served, and no other method is. */
    @Test
    @Order(2)
    public void openApiWalk() throws Exception {
        List<String[]> ops = documentedOperations();
        Map<String, List<String>> methods = new java.util.TreeMap<>();
        for (String[] op : ops) {
            methods.computeIfAbsent(op[0], k -> new ArrayList<>()).add(op[1]);
        }
        for (Map.Entry<String, List<String>> e : methods.entrySet()) {
            String path = concrete(e.getKey());
            for (String method : METHODS) {
                HttpResponse<byte[]> r = send(method, path, Role.ADMIN, null, null);
                String code = errorCodeOrNull(r);
                boolean documented = false;
                for (Map.Entry<String, List<String>> other : methods.entrySet()) {
                    // a concrete path may match another template too (/v1/policies/check is also a policy name)
                    documented |= other.getValue().contains(method) && matches(other.getKey(), path);
                }
                if (documented) {
                    assertFalse("not_found".equals(code) || "method_not_allowed".equals(code),
                            method + " " + path + " is documented but not served: " + code);
                } else {
                    assertEquals("method_not_allowed", code, method + " " + path + " is served but not documented");
                }
            }
        }
        assertError(send("GET", "/v1/undocumented", Role.ADMIN, null, null), 404, "not_found");
    }

    private static boolean matches(String template, String path) {
        String[] t = template.split("/", -1);
        String[] p = path.split("/", -1);
        if (t.length != p.length) {
            return false;
        }
        for (int i = 0; i < t.length; i++) {
            if (!t[i].startsWith("{") && !t[i].equals(p[i])) {
                return false;
            }
        }
        return true;
    }

    private static String errorCodeOrNull(HttpResponse<byte[]> r) {
        Object error = json(r).get("error");
        return error instanceof Map<?, ?> m ? (String) m.get("code") : null;
    }

    private static Path signedPackage(String wasm, String name) throws Exception {
        PackageBuilder builder = Node.service(PackageBuilder.class);
        KeyCodec codec = Node.service(KeyCodec.class);
        SignatureScheme ed25519 = null;
        Node.service(SignatureScheme.class);
        for (ServiceReference<SignatureScheme> ref : Node.context().getServiceReferences(SignatureScheme.class, null)) {
            SignatureScheme s = Node.context().getService(ref);
            if (s.name().equals("ed25519")) {
                ed25519 = s;
            }
        }
        KeyPair key = ed25519.generate();
        Node.service(TrustStore.class).add("rest-it", codec.writePublicKey(key.getPublic()));
        Path dir = Files.createTempDirectory("forge-rest-it");
        Path src = Files.createDirectories(dir.resolve("src"));
        Node.wasm(src, wasm);
        Files.writeString(src.resolve("forge.json"), "{\"name\": \"" + name + "\", \"version\": \"1.0.0\","
                + " \"entrypoint\": \"" + wasm + "\", \"capabilities\": [\"wasi:stdout\"],"
                + " \"limits\": {\"memoryPages\": 64, \"timeoutMs\": 60000},"
                + " \"publisher\": {\"name\": \"rest-it\", \"keys\": [\"" + codec.keyId(key.getPublic()) + "\"]}}");
        Path out = dir.resolve(name + ".forgepkg");
        builder.build(src, out);
        builder.sign(out, key.getPrivate());
        return out;
    }

    private static String upload(Path pkg) throws Exception {
        HttpResponse<byte[]> r = send("POST", "/v1/packages", Role.OPERATOR, "application/octet-stream",
                Files.readAllBytes(pkg));
        assertEquals(201, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        Map<?, ?> body = json(r);
        assertEquals("verified", ((Map<?, ?>) body.get("verification")).get("verdict"));
        return (String) body.get("id");
    }

    private static Map<?, ?> waitStopped(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Map<?, ?> c = call("GET", "/v1/containers/" + id, Role.VIEWER, null, 200);
            if ("stopped".equals(c.get("state")) || System.nanoTime() > deadline) {
                return c;
            }
            Thread.sleep(50);
        }
    }

    @Test
    @Order(3)
    public void uploadRunInspectLogsStatsDelete() throws Exception {
        String pkg = upload(signedPackage("hello.wasm", "hello-rest"));
        List<?> packages = (List<?>) call("GET", "/v1/packages", Role.VIEWER, null, 200).get("packages");
        assertTrue(packages.stream().anyMatch(p -> pkg.equals(((Map<?, ?>) p).get("id"))), packages.toString());
        Map<?, ?> inspected = call("GET", "/v1/packages/" + pkg, Role.VIEWER, null, 200);
        assertEquals("hello-rest", ((Map<?, ?>) inspected.get("manifest")).get("name"));
        assertEquals("verified", call("POST", "/v1/packages/" + pkg + "/verify", Role.VIEWER, null, 200).get("verdict"));

        Map<?, ?> run = call("POST", "/v1/containers", Role.OPERATOR,
                "{\"package\":\"" + pkg + "\",\"name\":\"hello-rest-1\",\"args\":[\"x\",\"y\"]}", 201);
        String id = (String) run.get("id");
        assertEquals("hello-rest-1", run.get("name"));
        Map<?, ?> done = waitStopped(id);
        assertEquals(0L, done.get("exitCode"), done.toString());
        assertEquals("exited", done.get("stopReason"));
        Map<?, ?> logs = call("GET", "/v1/containers/" + id + "/logs", Role.VIEWER, null, 200);
        assertTrue(((String) logs.get("stdout")).startsWith("hello from wasm\narg[0]=hello-rest\narg[1]=x\narg[2]=y\n"),
                logs.toString());
        Map<?, ?> stats = call("GET", "/v1/containers/" + id + "/stats", Role.VIEWER, null, 200);
        assertTrue((Long) stats.get("hostCalls") > 0, stats.toString());
        assertEquals(64L, ((Map<?, ?>) stats.get("limits")).get("maxMemoryPages"));
        // the runtime's own figures: the engine, the bytes the guest wrote, its calls by function and decision
        assertEquals("chicory", stats.get("engine"), stats.toString());
        assertTrue((Long) stats.get("bytesOut") >= "hello from wasm\n".length(), stats.toString());
        Map<?, ?> writes = ((List<?>) stats.get("calls")).stream().map(m -> (Map<?, ?>) m)
                .filter(m -> m.get("call").toString().endsWith("fd_write")).findFirst().orElseThrow();
        assertEquals("allow", writes.get("decision"), stats.toString());
        assertTrue((Long) writes.get("count") > 0, stats.toString());
        List<?> running = (List<?>) call("GET", "/v1/containers", Role.VIEWER, null, 200).get("containers");
        assertFalse(running.toString().contains(id), "stopped containers are listed only with all=true");
        List<?> all = (List<?>) call("GET", "/v1/containers?all=true", Role.VIEWER, null, 200).get("containers");
        assertTrue(all.toString().contains(id));
        assertEquals("deleted", call("DELETE", "/v1/containers/" + id, Role.OPERATOR, null, 200).get("state"));
        assertError(send("GET", "/v1/containers/" + id, Role.VIEWER, null, null), 404, "container_not_found");
    }

    @Test
    @Order(4)
    public void followLogsWhileRunningThenStop() throws Exception {
        String pkg = upload(signedPackage("loop.wasm", "loop-rest"));
        String id = (String) call("POST", "/v1/containers", Role.OPERATOR, "{\"package\":\"" + pkg + "\"}", 201).get("id");
        HttpRequest follow = HttpRequest.newBuilder(base.resolve("/v1/containers/" + id + "/logs?follow=true"))
                .header("Authorization", "Bearer " + TOKENS.get(Role.VIEWER)).build();
        HttpResponse<InputStream> stream = http.send(follow, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            String line;
            boolean stopped = false;
            while ((line = in.readLine()) != null) {
                lines.add(line);
                if (!stopped && line.equals("data: \"looping\\n\"")) {
                    assertEquals("running", call("GET", "/v1/containers/" + id, Role.VIEWER, null, 200).get("state"));
                    Map<?, ?> after = call("POST", "/v1/containers/" + id + "/stop", Role.OPERATOR, null, 200);
                    assertEquals("stopped", after.get("state"));
                    assertEquals("killed", after.get("stopReason"));
                    stopped = true;
                }
            }
            assertTrue(stopped, "the stream showed the output while running: " + lines);
        }
        assertTrue(lines.contains("event: exit"), lines.toString());
        assertError(send("POST", "/v1/containers/" + id + "/kill", Role.OPERATOR, null, null), 409, "container_state");
        call("DELETE", "/v1/containers/" + id, Role.OPERATOR, null, 200);
    }

    @Test
    @Order(5)
    public void bareModulesAndKill() throws Exception {
        Path dir = Files.createTempDirectory("forge-rest-mod");
        byte[] loop = Files.readAllBytes(Node.wasm(dir, "loop.wasm"));
        Map<?, ?> module = call("POST", "/v1/modules", null, null, 401);
        assertEquals("unauthorized", ((Map<?, ?>) module.get("error")).get("code"));
        HttpResponse<byte[]> up = send("POST", "/v1/modules", Role.OPERATOR, "application/wasm", loop);
        assertEquals(201, up.statusCode());
        String moduleId = (String) json(up).get("id");
        Map<?, ?> run = call("POST", "/v1/containers", Role.OPERATOR,
                "{\"module\":\"" + moduleId + "\",\"timeoutMs\":60000,\"maxMemoryPages\":32}", 201);
        String id = (String) run.get("id");
        assertEquals("running", run.get("state"));
        Map<?, ?> killed = call("POST", "/v1/containers/" + id + "/kill", Role.OPERATOR, null, 200);
        assertTrue(Set.of("running", "stopped").contains(killed.get("state")), killed.toString());
        assertEquals("killed", waitStopped(id).get("stopReason"));
        call("DELETE", "/v1/containers/" + id, Role.OPERATOR, null, 200);
    }

    private static Map<?, ?> waitState(String id, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Map<?, ?> c = call("GET", "/v1/containers/" + id, Role.VIEWER, null, 200);
            if (state.equals(c.get("state"))) {
                return c;
            }
            assertTrue(System.nanoTime() < deadline, "container " + id + " never became " + state + ": " + c);
            Thread.sleep(20);
        }
    }

    /** Pause and resume, the quarantine routes and the trace routes, on a real kernel and observer. */
    @Test
    @Order(5)
    public void pauseResumeQuarantineAndTraces() throws Exception {
        Path dir = Files.createTempDirectory("forge-rest-tick");
        HttpResponse<byte[]> up = send("POST", "/v1/modules", Role.OPERATOR, "application/wasm",
                Files.readAllBytes(Node.wasm(dir, "ticker.wasm")));
        assertEquals(201, up.statusCode());
        String moduleId = (String) json(up).get("id");
        Map<?, ?> run = call("POST", "/v1/containers", Role.OPERATOR, "{\"module\":\"" + moduleId
                + "\",\"name\":\"ticker-rest\",\"args\":[\"3000\"],\"timeoutMs\":120000}", 201);
        String id = (String) run.get("id");
        assertTrue(run.containsKey("trustScore") && run.containsKey("suspendedAt") && run.containsKey("suspendReason"),
                run.toString());
        assertEquals(0L, ((Map<?, ?>) run.get("limits")).get("cpuTimeMs"));

        assertError(send("POST", "/v1/containers/" + id + "/pause", Role.VIEWER, null, null), 403, "forbidden");
        call("POST", "/v1/containers/" + id + "/pause", Role.OPERATOR, null, 200);
        Map<?, ?> paused = waitState(id, "paused");
        assertTrue(paused.get("suspendedAt") instanceof String, paused.toString());
        String ticks = (String) call("GET", "/v1/containers/" + id + "/logs", Role.VIEWER, null, 200).get("stdout");
        Thread.sleep(300);
        assertEquals(ticks, call("GET", "/v1/containers/" + id + "/logs", Role.VIEWER, null, 200).get("stdout"),
                "a paused container makes no progress");
        assertError(send("POST", "/v1/containers/" + id + "/pause", Role.OPERATOR, null, null), 409,
                "container_state");
        Map<?, ?> resumed = call("POST", "/v1/containers/" + id + "/resume", Role.OPERATOR, null, 200);
        assertEquals("running", resumed.get("state"));

        // quarantine: put there by the runtime (as the gate or forge:quarantine would), handled over REST
        assertError(send("POST", "/v1/quarantine/" + id + "/release", Role.ADMIN, null, null), 409, "container_state");
        assertError(send("POST", "/v1/quarantine/" + id + "/kill", Role.OPERATOR, null, null), 409, "container_state");
        Node.service(io.forgeone.api.container.ContainerRuntime.class).quarantine(id, "rest-it suspects it");
        waitState(id, "quarantined");
        List<?> quarantined = (List<?>) call("GET", "/v1/quarantine", Role.VIEWER, null, 200).get("containers");
        assertEquals(1, quarantined.size(), quarantined.toString());
        assertEquals("rest-it suspects it", ((Map<?, ?>) quarantined.get(0)).get("suspendReason"));
        assertError(send("POST", "/v1/quarantine/" + id + "/release", Role.OPERATOR, null, null), 403, "forbidden");
        call("POST", "/v1/quarantine/" + id + "/release", Role.ADMIN, null, 200);
        waitState(id, "running");
        assertEquals(List.of(), call("GET", "/v1/quarantine", Role.VIEWER, null, 200).get("containers"));
        Node.service(io.forgeone.api.container.ContainerRuntime.class).quarantine(id, "again");
        waitState(id, "quarantined");
        assertError(send("POST", "/v1/quarantine/" + id + "/kill", Role.VIEWER, null, null), 403, "forbidden");
        call("POST", "/v1/quarantine/" + id + "/kill", Role.OPERATOR, null, 200);
        assertEquals("killed", waitStopped(id).get("stopReason"));

        // its host calls, as the observer recorded them
        List<?> traces = (List<?>) call("GET", "/v1/traces", Role.VIEWER, null, 200).get("traces");
        assertTrue(traces.stream().anyMatch(t -> id.equals(((Map<?, ?>) t).get("containerId"))), traces.toString());
        Map<?, ?> page = call("GET", "/v1/containers/" + id + "/trace?limit=5", Role.VIEWER, null, 200);
        List<?> records = (List<?>) page.get("records");
        assertEquals(5, records.size(), page.toString());
        long next = (Long) page.get("next");
        Map<?, ?> second = call("GET", "/v1/containers/" + id + "/trace?limit=5&since=" + next, Role.VIEWER, null,
                200);
        assertTrue((Long) ((Map<?, ?>) ((List<?>) second.get("records")).get(0)).get("sequence") >= next);
        Map<?, ?> writes = call("GET", "/v1/containers/ticker-rest/trace?filter=call=fd_write&limit=20", Role.VIEWER,
                null, 200);
        List<?> writeRecords = (List<?>) writes.get("records");
        assertTrue(!writeRecords.isEmpty());
        for (Object r : writeRecords) {
            assertEquals("fd_write", ((Map<?, ?>) r).get("call"));
        }
        // only notable calls have sentences (routine writes and clocks have none)
        Map<?, ?> sentences = call("GET", "/v1/containers/" + id + "/trace?summary=true&limit=10000", Role.VIEWER,
                null, 200);
        for (Object s : (List<?>) sentences.get("summary")) {
            assertTrue(!((String) ((Map<?, ?>) s).get("summary")).isBlank(), sentences.toString());
        }
        // a run with a notable call (16 random bytes), to its end
        HttpResponse<byte[]> clockrand = send("POST", "/v1/modules", Role.OPERATOR, "application/wasm",
                Files.readAllBytes(Node.wasm(dir, "clockrand.wasm")));
        assertEquals(201, clockrand.statusCode());
        Map<?, ?> opener = call("POST", "/v1/containers", Role.OPERATOR, "{\"module\":\""
                + json(clockrand).get("id") + "\",\"name\":\"clockrand-rest\",\"timeoutMs\":60000}", 201);
        String openerId = (String) opener.get("id");
        assertEquals("exited", waitStopped(openerId).get("stopReason"));
        Map<?, ?> openerTrace = call("GET", "/v1/containers/" + openerId + "/trace?summary=true", Role.VIEWER, null,
                200);
        List<?> openerSentences = (List<?>) openerTrace.get("summary");
        assertTrue(openerSentences.stream().anyMatch(s -> ((String) ((Map<?, ?>) s).get("summary")).contains(
                "random bytes")), openerTrace.toString());
        assertEquals(true, openerTrace.get("ended"), openerTrace.toString());
        assertEquals(0L, openerTrace.get("exitCode"), openerTrace.toString());
        call("DELETE", "/v1/containers/" + openerId, Role.OPERATOR, null, 200);
        assertError(send("GET", "/v1/containers/" + id + "/trace?filter=fd_write", Role.VIEWER, null, null), 400,
                "invalid_field");
        assertError(send("GET", "/v1/containers/never-ran/trace", Role.VIEWER, null, null), 404, "trace_not_found");
        assertError(send("GET", "/v1/containers/" + id + "/trace", null, null, null), 401, "unauthorized");
        call("DELETE", "/v1/containers/" + id, Role.OPERATOR, null, 200);
    }

    @Test
    @Order(6)
    public void badRequestsGetJsonErrorsThatNameTheField() throws Exception {
        assertError(send("POST", "/v1/containers", Role.OPERATOR, "application/json", "{\"package\":".getBytes(
                StandardCharsets.UTF_8)), 400, "invalid_json");
        HttpResponse<byte[]> unknown = send("POST", "/v1/containers", Role.OPERATOR, "application/json",
                ("{\"package\":\"" + "a".repeat(64) + "\",\"privileged\":true}").getBytes(StandardCharsets.UTF_8));
        assertError(unknown, 400, "unknown_field");
        assertEquals("privileged", ((Map<?, ?>) json(unknown).get("error")).get("field"));
        HttpResponse<byte[]> traversal = send("POST", "/v1/containers", Role.OPERATOR, "application/json",
                "{\"package\":\"../../../etc/passwd\"}".getBytes(StandardCharsets.UTF_8));
        assertError(traversal, 400, "invalid_field");
        assertEquals("package", ((Map<?, ?>) json(traversal).get("error")).get("field"));
        assertError(send("POST", "/v1/containers", Role.OPERATOR, "application/json", new byte[65537]), 413,
                "body_too_large");
        assertError(send("POST", "/v1/packages", Role.OPERATOR, "application/octet-stream", "not a zip".getBytes(
                StandardCharsets.UTF_8)), 422, "package_refused");
        assertError(send("GET", "/v1/containers/%2e%2e", Role.VIEWER, null, null), 400, "invalid_id");
        assertError(send("GET", "/v1/packages/..%2f..%2fetc%2fpasswd", Role.VIEWER, null, null), 404, "not_found");
        assertError(send("GET", "/v1/packages/" + "0".repeat(64), Role.VIEWER, null, null), 404, "package_not_found");
        // the node still answers
        assertEquals(200, send("GET", "/v1/health", null, null, null).statusCode());
    }

    /**
     * Clients that send half a request and stall do not stop others from being served, and are cut off once the
     * request time limit passes (3 s on this node, sun.net.httpserver.maxReqTime).
     */
    @Test
    @Order(7)
    public void slowClientsDoNotBlockOthersAndAreCutOff() throws Exception {
        assertEquals("3", System.getProperty("sun.net.httpserver.maxReqTime"), "rest.bndrun sets the limit");
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Socket s = new Socket(base.getHost(), base.getPort());
                OutputStream out = s.getOutputStream();
                String partial = i % 2 == 0 ? "GET /v1/version HTTP/1.1\r\nHost: x\r\nAuthor"
                        : "POST /v1/containers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKENS.get(Role.OPERATOR)
                        + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"pa";
                out.write(partial.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                s.setSoTimeout(20_000);
                slow.add(s);
            }
            for (int i = 0; i < 5; i++) {
                assertEquals(200, send("GET", "/v1/version", Role.VIEWER, null, null).statusCode());
            }
            long start = System.nanoTime();
            for (Socket s : slow) {
                int b;
                try {
                    b = s.getInputStream().read();
                    while (b >= 0) {
                        b = s.getInputStream().read(); // a 4xx answer, if any, then the close
                    }
                } catch (java.net.SocketException e) {
                    b = -1; // reset: cut off as well
                }
                assertEquals(-1, b);
            }
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            assertTrue(seconds < 15, "stalled clients were cut off after " + seconds + " s");
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        assertEquals(200, send("GET", "/v1/health", null, null, null).statusCode());
    }

    @Test
    @Order(9)
    public void policies() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<?> list;
        do {
            list = (List<?>) call("GET", "/v1/policies", Role.VIEWER, null, 200).get("policies");
        } while (list.isEmpty() && System.nanoTime() < deadline && sleep(100));
        Map<?, ?> policy = (Map<?, ?>) list.get(0);
        assertEquals("rest-it", policy.get("name"));
        assertEquals("rest-it.yaml", policy.get("file"), "the node's folders are not shown");
        assertEquals("enforce", call("GET", "/v1/policies/rest-it", Role.VIEWER, null, 200).get("mode"));
        assertError(send("GET", "/v1/policies/none-such", Role.VIEWER, null, null), 404, "policy_not_found");
        HttpResponse<byte[]> good = send("POST", "/v1/policies/check", Role.OPERATOR, "application/yaml",
                "name: ok\ngrants:\n  stdout: true\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(true, json(good).get("valid"), new String(good.body(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> bad = send("POST", "/v1/policies/check", Role.OPERATOR, "application/yaml",
                "name: bad\ngrants:\n  stdout: maybe\n  teleport: true\n".getBytes(StandardCharsets.UTF_8));
        Map<?, ?> checked = json(bad);
        assertEquals(false, checked.get("valid"));
        Map<?, ?> problem = (Map<?, ?>) ((List<?>) checked.get("problems")).get(0);
        assertEquals("body", problem.get("file"));
        assertTrue((Long) problem.get("line") > 0, problem.toString());
        assertError(send("POST", "/v1/policies/check", Role.VIEWER, "application/yaml", "name: x\n".getBytes(
                StandardCharsets.UTF_8)), 403, "forbidden");
    }

    /** Services come and go while the server stays up: their routes answer 503 meanwhile, health says so. */
    @Test
    @Order(10)
    public void servicesComeAndGo() throws Exception {
        org.osgi.framework.Bundle trust = Node.bundle("io.forgeone.trust");
        trust.stop();
        try {
            assertError(send("GET", "/v1/policies", Role.VIEWER, null, null), 503, "service_unavailable");
            assertEquals(false, ((Map<?, ?>) call("GET", "/v1/health", null, null, 200).get("services")).get("policies"));
        } finally {
            trust.start();
        }
        awaitStatus("/v1/policies", 200);
        org.osgi.framework.Bundle kernel = Node.bundle("io.forgeone.kernel");
        kernel.stop();
        try {
            assertError(send("GET", "/v1/containers", Role.VIEWER, null, null), 503, "service_unavailable");
            Map<?, ?> health = call("GET", "/v1/health", null, null, 503);
            assertEquals("unavailable", health.get("status"));
        } finally {
            kernel.start();
        }
        awaitStatus("/v1/containers", 200);
        assertEquals("ok", call("GET", "/v1/health", null, null, 200).get("status"));
    }

    private static String counterOutput(int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            out.append("count ").append(i).append('\n');
        }
        return out.append("total ").append((long) n * (n + 1) / 2).append('\n').toString();
    }

    /**
     * Snapshots over REST: a counter (run through the runtime, for its preopen) is paused, snapshotted, killed, and
     * restored into a new container that finishes the count exactly; the file is listed, inspected and deleted, and a
     * damaged one answers 422.
     */
    @Test
    @Order(12)
    public void snapshotPauseKillRestoreOverRest() throws Exception {
        Path home = Path.of(Node.context().getProperty("forge.home"));
        Path policy = home.resolve("etc/policies/rest-snap-it.yaml");
        // the counter appends to a file in its preopen: a policy for it alone lets it (the rest-it one does not)
        Files.writeString(policy, "name: rest-snap-it\nmode: enforce\npriority: 10\nmatch:\n  name: \"*rest-snap*\"\n"
                + "grants:\n  args: true\n  clocks: true\n  random: true\n  stdout: true\n  stderr: true\n  fs:\n"
                + "    - path: /data/**\n      access: [read, write, create]\n");
        // snapshots need the complete call history: the counter's runs are durable (trace files), as in SnapshotIT
        Configuration observer = Node.service(ConfigurationAdmin.class).getConfiguration("io.forgeone.observer", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("durable", new String[] {"traced-*"});
        // and only they keep a history for snapshots, so that the refusal of an incomplete history can be shown
        props.put("history", new String[] {"traced-*"});
        props.put("flush.ms", 50L);
        observer.update(props);
        io.forgeone.api.container.ContainerRuntime runtime = Node.service(
                io.forgeone.api.container.ContainerRuntime.class);
        String original = null;
        String restored = null;
        String ring = null;
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (true) {
                ServiceReference<io.forgeone.api.observe.HostCallRecorder> ref = Node.context().getServiceReference(
                        io.forgeone.api.observe.HostCallRecorder.class);
                boolean durable = ref != null && ref.getProperty("durable") instanceof String[] d && d.length == 1
                        && d[0].equals("traced-*");
                if (durable && send("GET", "/v1/policies/rest-snap-it", Role.VIEWER, null, null).statusCode() == 200
                        && send("GET", "/v1/snapshots", Role.VIEWER, null, null).statusCode() == 200) {
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "the observer (durable traced-*), its snapshot service over"
                        + " REST and the rest-snap-it policy did not come up in 15 s");
                Thread.sleep(50);
            }
            Path dir = Files.createTempDirectory("forge-rest-snap");
            Path data = Files.createDirectories(dir.resolve("data"));
            // long enough that it is still counting when the pause arrives over HTTP, even on an idle machine
            // (3000 could finish between the log read and the pause); its output fits the 1 MiB log buffer
            int n = 30000;
            io.forgeone.api.container.ContainerSpec spec = io.forgeone.api.container.ContainerSpec
                    .of(Node.wasm(dir, "counter.wasm")).withName("traced-rest-snap")
                    .withPreopens(List.of(new io.forgeone.api.wasi.Preopen(data, "/data")))
                    .withArgs(List.of(Integer.toString(n), "/data/out.txt"));
            original = runtime.create(spec, io.forgeone.api.container.ContainerIO.DETACHED).id();
            runtime.start(original);
            deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                Map<?, ?> logs = call("GET", "/v1/containers/" + original + "/logs", Role.VIEWER, null, 200);
                if (((String) logs.get("stdout")).contains("count 200\n")) {
                    break;
                }
                Map<?, ?> state = call("GET", "/v1/containers/" + original, Role.VIEWER, null, 200);
                assertTrue(System.nanoTime() < deadline && "running".equals(state.get("state")),
                        "the counter did not reach 200: " + state + "; " + logs);
                Thread.sleep(2);
            }
            call("POST", "/v1/containers/" + original + "/pause", Role.OPERATOR, null, 200);
            waitState(original, "paused");

            assertError(send("POST", "/v1/containers/" + original + "/snapshot", Role.VIEWER, null, null), 403,
                    "forbidden");
            Map<?, ?> taken = call("POST", "/v1/containers/" + original + "/snapshot", Role.OPERATOR, null, 201);
            String file = (String) taken.get("file");
            assertTrue(file.startsWith("traced-rest-snap-") && file.endsWith(".fsnap") && !file.contains("/"), file);
            assertEquals("traced-rest-snap", taken.get("containerName"));
            long calls = (Long) taken.get("hostCalls");
            assertTrue(calls > 200, taken.toString());
            assertEquals(true, taken.get("signed"), "the node has the crypto bundle: " + taken);
            assertTrue(Files.isRegularFile(Path.of(Node.context().getProperty("forge.var"), "snapshots", file)),
                    "written into the node's snapshot folder");

            List<?> listed = (List<?>) call("GET", "/v1/snapshots", Role.VIEWER, null, 200).get("snapshots");
            assertTrue(listed.stream().anyMatch(s -> file.equals(((Map<?, ?>) s).get("file"))), listed.toString());
            Map<?, ?> inspected = call("GET", "/v1/snapshots/" + file, Role.VIEWER, null, 200);
            assertEquals(calls, inspected.get("hostCalls"));
            assertEquals(taken.get("signer"), inspected.get("signer"));

            // moving it between nodes over the API: the file as it is, then taken in under another name (signed by
            // this node's own key, which it trusts)
            assertError(send("GET", "/v1/snapshots/" + file + "/file", Role.VIEWER, null, null), 403, "forbidden");
            HttpResponse<byte[]> downloaded = send("GET", "/v1/snapshots/" + file + "/file", Role.OPERATOR, null, null);
            assertEquals(200, downloaded.statusCode());
            assertEquals("application/octet-stream", downloaded.headers().firstValue("Content-Type").orElse(""));
            assertArrayEquals(Files.readAllBytes(Path.of(Node.context().getProperty("forge.var"), "snapshots", file)),
                    downloaded.body());
            // (a run of this test that failed half-way leaves its copy in the node's folder under target/)
            Files.deleteIfExists(Path.of(Node.context().getProperty("forge.var"), "snapshots", "copy-of-it.fsnap"));
            HttpResponse<byte[]> uploaded = send("PUT", "/v1/snapshots/copy-of-it.fsnap", Role.OPERATOR,
                    "application/octet-stream", downloaded.body());
            assertEquals(201, uploaded.statusCode(), new String(uploaded.body(), StandardCharsets.UTF_8));
            assertEquals(calls, json(uploaded).get("hostCalls"));
            assertEquals("copy-of-it.fsnap", json(uploaded).get("file"));
            assertError(send("PUT", "/v1/snapshots/copy-of-it.fsnap", Role.OPERATOR, "application/octet-stream",
                    downloaded.body()), 409, "snapshot_exists");
            byte[] flipped = downloaded.body().clone();
            flipped[flipped.length / 2] ^= 1;
            HttpResponse<byte[]> tampered = send("PUT", "/v1/snapshots/tampered.fsnap", Role.OPERATOR,
                    "application/octet-stream", flipped);
            assertError(tampered, 422, "snapshot_unusable");
            String tamperedWhy = (String) ((Map<?, ?>) json(tampered).get("error")).get("message");
            assertTrue(tamperedWhy.startsWith("tampered.fsnap: ") && !tamperedWhy.contains("/"), tamperedWhy);
            assertError(send("PUT", "/v1/snapshots/empty.fsnap", Role.OPERATOR, "application/octet-stream",
                    new byte[0]), 400, "missing_body");
            int escape = send("PUT", "/v1/snapshots/..%2Fescape.fsnap", Role.OPERATOR, "application/octet-stream",
                    downloaded.body()).statusCode();
            assertTrue(escape == 400 || escape == 404, "no name outside the snapshot folder: " + escape);
            assertFalse(Files.exists(Path.of(Node.context().getProperty("forge.var"), "escape.fsnap")));
            assertError(send("PUT", "/v1/snapshots/.hidden.fsnap", Role.OPERATOR, "application/octet-stream",
                    downloaded.body()), 400, "invalid_id");
            assertFalse(Files.exists(Path.of(Node.context().getProperty("forge.var"), "snapshots", "tampered.fsnap")));
            call("DELETE", "/v1/snapshots/copy-of-it.fsnap", Role.OPERATOR, null, 200);

            call("POST", "/v1/containers/" + original + "/kill", Role.OPERATOR, null, 200);
            waitStopped(original);
            String before = (String) call("GET", "/v1/containers/" + original + "/logs", Role.VIEWER, null, 200)
                    .get("stdout");
            assertTrue(before.contains("count 200\n") && !before.contains("total"), before.length() + " chars");
            HttpResponse<byte[]> stopped = send("POST", "/v1/containers/" + original + "/snapshot", Role.OPERATOR,
                    null, null);
            assertError(stopped, 409, "container_state");

            Map<?, ?> back = call("POST", "/v1/snapshots/" + file + "/restore", Role.OPERATOR,
                    "{\"name\":\"traced-rest-snap-restored\"}", 201);
            restored = (String) back.get("id");
            assertEquals("traced-rest-snap-restored", back.get("name"));
            assertEquals(back.get("id"), call("GET", "/v1/containers/" + restored, Role.VIEWER, null, 200).get("id"));
            Map<?, ?> done = waitStopped(restored);
            assertEquals(0L, done.get("exitCode"), done.toString());
            String after = (String) call("GET", "/v1/containers/" + restored + "/logs", Role.VIEWER, null, 200)
                    .get("stdout");
            assertTrue(after.endsWith("total " + (long) n * (n + 1) / 2 + "\n"), after.substring(
                    Math.max(0, after.length() - 200)));
            // held at the snapshot's call until killed: the restored one goes on exactly from there
            assertEquals(counterOutput(n), before + after);
            String out = Files.readString(data.resolve("out.txt"));
            assertTrue(out.endsWith(n + " " + (long) n * (n + 1) / 2 + "\n"), out.substring(
                    Math.max(0, out.length() - 200)));

            // neither durable nor keeping a history: past the in-memory ring its history is incomplete; refused, and
            // it runs on
            ring = runtime.create(io.forgeone.api.container.ContainerSpec.of(Node.wasm(dir, "counter.wasm"))
                    .withName("rest-snap-ring").withPreopens(List.of(new io.forgeone.api.wasi.Preopen(data, "/data")))
                    .withArgs(List.of("100000", "/data/ring.txt")), io.forgeone.api.container.ContainerIO.DETACHED)
                    .id();
            runtime.start(ring);
            deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!runtime.logs(ring).stdout().contains("count 400\n")) {
                assertTrue(System.nanoTime() < deadline && runtime.state(ring).state()
                        == io.forgeone.api.container.ContainerState.RUNNING, "the ring counter did not reach 400: "
                        + runtime.state(ring) + "; " + runtime.logs(ring).stderr());
                Thread.sleep(2);
            }
            HttpResponse<byte[]> incomplete = send("POST", "/v1/containers/" + ring + "/snapshot", Role.OPERATOR,
                    null, null);
            assertError(incomplete, 409, "snapshot_refused");
            String why = (String) ((Map<?, ?>) json(incomplete).get("error")).get("message");
            assertTrue(why.contains("history is incomplete") && why.contains("durable"), why);
            assertEquals("running", call("GET", "/v1/containers/" + ring, Role.VIEWER, null, 200).get("state"),
                    "paused for the snapshot, resumed after the refusal");

            // damaged files, strict names, delete
            Path folder = Path.of(Node.context().getProperty("forge.var"), "snapshots");
            Files.writeString(folder.resolve("damaged.fsnap"), "not a snapshot");
            HttpResponse<byte[]> damaged = send("GET", "/v1/snapshots/damaged.fsnap", Role.VIEWER, null, null);
            assertError(damaged, 422, "snapshot_unusable");
            String message = (String) ((Map<?, ?>) json(damaged).get("error")).get("message");
            assertTrue(message.startsWith("damaged.fsnap") && !message.contains(folder.toString()), message);
            assertError(send("POST", "/v1/snapshots/damaged.fsnap/restore", Role.OPERATOR, null, null), 422,
                    "snapshot_unusable");
            Map<?, ?> all = call("GET", "/v1/snapshots", Role.VIEWER, null, 200);
            assertTrue(((List<?>) all.get("damaged")).stream().anyMatch(s -> "damaged.fsnap".equals(
                    ((Map<?, ?>) s).get("file"))), all.toString());
            assertError(send("GET", "/v1/snapshots/secret.txt", Role.VIEWER, null, null), 400, "invalid_field");
            assertError(send("GET", "/v1/snapshots/none-such.fsnap", Role.VIEWER, null, null), 404,
                    "snapshot_not_found");
            assertError(send("DELETE", "/v1/snapshots/" + file, Role.VIEWER, null, null), 403, "forbidden");
            for (String f : List.of("damaged.fsnap", file)) {
                assertEquals(true, call("DELETE", "/v1/snapshots/" + f, Role.OPERATOR, null, 200).get("removed"));
                assertError(send("GET", "/v1/snapshots/" + f, Role.VIEWER, null, null), 404, "snapshot_not_found");
            }
        } finally {
            for (String id : new String[] {original, restored, ring}) {
                if (id != null) {
                    send("DELETE", "/v1/containers/" + id + "?force=true", Role.OPERATOR, null, null);
                }
            }
            Files.deleteIfExists(policy);
        }
    }

    private static void awaitStatus(String path, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (send("GET", path, Role.VIEWER, null, null).statusCode() != status) {
            assertTrue(System.nanoTime() < deadline, path + " did not come back");
            Thread.sleep(50);
        }
    }

    private static boolean sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
        return true;
    }

    @Test
    @Order(8)
    public void tokensOverHttp() throws Exception {
        Map<?, ?> created = call("POST", "/v1/tokens", Role.ADMIN, "{\"role\":\"viewer\",\"name\":\"made-over-http\"}", 201);
        String token = (String) created.get("token");
        HttpRequest with = HttpRequest.newBuilder(base.resolve("/v1/version")).header("Authorization", "Bearer " + token)
                .build();
        assertEquals(200, http.send(with, HttpResponse.BodyHandlers.ofByteArray()).statusCode());
        List<?> list = (List<?>) call("GET", "/v1/tokens", Role.ADMIN, null, 200).get("tokens");
        assertFalse(list.toString().contains(token), "the list never shows a secret");
        call("DELETE", "/v1/tokens/" + created.get("id"), Role.ADMIN, null, 200);
        assertEquals(401, http.send(with, HttpResponse.BodyHandlers.ofByteArray()).statusCode());
        // the token file has the hash, not the token, and only its owner may read it
        Path file = Path.of(Node.context().getProperty("forge.home"), "etc", "tokens");
        assertFalse(Files.readString(file).contains(TOKENS.get(Role.ADMIN)));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    /** Last: it gets this address refused for a few seconds. */
    @Test
    @Order(100)
    public void failedAuthenticationIsRateLimited() throws Exception {
        Thread.sleep(3100); // any earlier failure has left the 3 s window
        for (int i = 0; i < 5; i++) {
            HttpRequest bad = HttpRequest.newBuilder(base.resolve("/v1/version"))
                    .header("Authorization", "Bearer fo1_0000000000000000_" + "A".repeat(43)).build();
            assertEquals(401, http.send(bad, HttpResponse.BodyHandlers.ofByteArray()).statusCode());
        }
        HttpResponse<byte[]> refused = send("GET", "/v1/version", Role.ADMIN, null, null);
        assertError(refused, 429, "too_many_failures");
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        assertEquals(200, send("GET", "/v1/health", null, null, null).statusCode(), "health stays open");
        Thread.sleep(3100);
        assertEquals(200, send("GET", "/v1/version", Role.ADMIN, null, null).statusCode());
    }

    private static SSLContext clientContext(IssuedCertificate client, String caPem) throws Exception {
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("forge-ca", x509.generateCertificate(new ByteArrayInputStream(
                caPem.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        if (client == null) {
            kmf = null;
        } else {
            String pem = client.privateKeyPem();
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(pem.indexOf('\n'), pem.indexOf("-----END")));
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("me", KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der)), new char[0],
                    new Certificate[] {x509.generateCertificate(new ByteArrayInputStream(
                            client.certificatePem().getBytes(StandardCharsets.US_ASCII)))});
            kmf.init(keys, new char[0]);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static HttpResponse<byte[]> https(HttpClient client, String path, Role role) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + base.getPort() + path))
                .timeout(Duration.ofSeconds(10));
        if (role != null) {
            b.header("Authorization", "Bearer " + TOKENS.get(role));
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Last, as it turns TLS on: HTTPS with the node's own certificate, client certificates from the node's CA
     * required, and bearer tokens still needed on top.
     */
    @Test
    @Order(200)
    public void mutualTls() throws Exception {
        NodeCertificates ca = Node.service(NodeCertificates.class);
        String caPem = ca.caCertificatePem();
        IssuedCertificate alice = ca.issueClient("alice", Duration.ofDays(1));
        Configuration config = Node.service(ConfigurationAdmin.class).getConfiguration("io.forgeone.rest", "?");
        Dictionary<String, Object> props = config.getProperties();
        props.put("tls", true);
        props.put("client.auth", "need");
        config.update(props);
        HttpClient withCert = HttpClient.newBuilder().sslContext(clientContext(alice, caPem))
                .connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                if (https(withCert, "/v1/health", null).statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no HTTPS on port " + base.getPort(), e);
                }
            }
            Thread.sleep(100);
        }
        assertEquals(200, https(withCert, "/v1/version", Role.VIEWER).statusCode());
        assertEquals(401, https(withCert, "/v1/version", null).statusCode(), "a certificate is not a token");

        HttpClient noCert = HttpClient.newBuilder().sslContext(clientContext(null, caPem))
                .connectTimeout(Duration.ofSeconds(5)).build();
        assertThrows(IOException.class, () -> https(noCert, "/v1/health", null), "no client certificate, no connection");
        assertThrows(IOException.class, () -> send("GET", "/v1/health", null, null, null), "no plain HTTP any more");

        // a certificate issued over the API by an admin works as well
        HttpRequest issue = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + base.getPort() + "/v1/certs"))
                .header("Authorization", "Bearer " + TOKENS.get(Role.ADMIN)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bob\",\"validityDays\":1}")).build();
        HttpResponse<byte[]> issued = withCert.send(issue, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(201, issued.statusCode(), new String(issued.body(), StandardCharsets.UTF_8));
        Map<?, ?> bob = json(issued);
        IssuedCertificate bobCert = new IssuedCertificate("bob", (String) bob.get("serial"), java.time.Instant.parse(
                (String) bob.get("notAfter")), (String) bob.get("certificate"), (String) bob.get("privateKey"));
        HttpClient asBob = HttpClient.newBuilder().sslContext(clientContext(bobCert, (String) bob.get("ca")))
                .connectTimeout(Duration.ofSeconds(5)).build();
        assertEquals(200, https(asBob, "/v1/containers", Role.VIEWER).statusCode());
    }
}
