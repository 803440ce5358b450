package io.forgeone.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.auth.Role;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerLogs;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.StopReason;
import io.forgeone.api.policy.PolicyInfo;
import io.forgeone.api.policy.PolicyMode;
import io.forgeone.api.policy.PolicyProblem;
import io.forgeone.api.policy.PolicyService;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The request path with mock services: routing, authentication, roles, bodies, errors and each route's answer. */
class DispatcherTest {
    @TempDir
    Path dir;

    private FakeRuntime runtime;
    private FakePackages packages;
    private NodeServices services;
    private Dispatcher dispatcher;
    private RestOptions options;

    @BeforeEach
    void setUp() {
        runtime = new FakeRuntime();
        packages = new FakePackages(dir.resolve("packages"));
        services = new NodeServices(new MemoryTokens());
        services.containers = runtime;
        services.packages = packages;
        services.verifier = packages;
        services.packageDirectory = dir.resolve("packages");
        services.certificates = new NodeCa(dir.resolve("tls"), java.time.Clock.systemUTC());
        options = new RestOptions("127.0.0.1", 0, 4, 4096, 64 * 1024, dir, "", dir.resolve("modules"), 3,
                Duration.ofSeconds(60), 2, Duration.ofMillis(10), Duration.ofSeconds(5), 2, false, "need");
        dispatcher = RestServer.dispatcher(services, options, "1.2.3");
    }

    /** A request as the HTTP server would hand it over. */
    static class Req implements Dispatcher.Request {
        private final String method;
        private final String path;
        private final String query;
        private final Map<String, String> headers;
        private final byte[] bytes;
        private final String remote;

        Req(String method, String path, String query, Map<String, String> headers, byte[] bytes, String remote) {
            this.method = method;
            this.path = path;
            this.query = query;
            this.headers = headers;
            this.bytes = bytes;
            this.remote = remote;
        }

        @Override
        public String method() {
            return method;
        }

        @Override
        public String rawPath() {
            return path;
        }

        @Override
        public String rawQuery() {
            return query;
        }

        @Override
        public String header(String name) {
            return headers.get(name);
        }

        @Override
        public String remoteAddress() {
            return remote;
        }

        @Override
        public long contentLength() {
            return bytes.length;
        }

        @Override
        public InputStream body() {
            return new ByteArrayInputStream(bytes);
        }
    }

    private Reply call(String method, String pathAndQuery, Role role, String contentType, byte[] body) {
        int q = pathAndQuery.indexOf('?');
        Map<String, String> headers = new java.util.HashMap<>();
        if (role != null) {
            headers.put("Authorization", "Bearer " + MemoryTokens.tokenFor(role));
        }
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return dispatcher.dispatch(new Req(method, q < 0 ? pathAndQuery : pathAndQuery.substring(0, q),
                q < 0 ? null : pathAndQuery.substring(q + 1), headers, body, "10.0.0.1"));
    }

    private Reply get(String path, Role role) {
        return call("GET", path, role, null, new byte[0]);
    }

    private Reply post(String path, Role role, String json) {
        return call("POST", path, role, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> error(Reply reply) {
        return (Map<String, Object>) reply.map().get("error");
    }

    private static void assertError(Reply reply, int status, String code) {
        assertEquals(status, reply.status(), () -> String.valueOf(reply.json()));
        assertEquals(code, error(reply).get("code"), () -> String.valueOf(reply.json()));
    }

    @Test
    void healthIsTheOnlyAnonymousRoute() {
        Reply health = get("/v1/health", null);
        assertEquals(200, health.status());
        assertEquals("ok", health.map().get("status"));
        for (Route r : dispatcher.routes()) {
            if (r.template().equals("/v1/health")) {
                assertNull(r.role());
            } else {
                assertTrue(r.role() != null, r.method() + " " + r.template() + " must need a role");
            }
        }
    }

    @Test
    void healthSaysUnavailableWithoutTheRuntime() {
        services.containers = null;
        Reply health = get("/v1/health", null);
        assertEquals(503, health.status());
        assertEquals("unavailable", health.map().get("status"));
    }

    /** Every route: 401 without a token, 403 with the role below its own, and past both with its own role. */
    @Test
    void everyRouteChecksItsRole() {
        for (Route r : dispatcher.routes()) {
            if (r.role() == null) {
                continue;
            }
            String path = r.template().replace("{id}", "c0001").replace("{name}", "p");
            String what = r.method() + " " + r.template();
            Reply anonymous = call(r.method(), path, null, null, new byte[0]);
            assertError(anonymous, 401, "unauthorized");
            if (r.role() != Role.VIEWER) {
                Role below = Role.values()[r.role().ordinal() - 1];
                Reply weak = call(r.method(), path, below, null, new byte[0]);
                assertEquals(403, weak.status(), what + " with " + below);
            }
            Reply allowed = call(r.method(), path, r.role(), null, new byte[0]);
            assertNotEquals(401, allowed.status(), what);
            assertNotEquals(403, allowed.status(), what + ": " + allowed.json());
            Reply admin = call(r.method(), path, Role.ADMIN, null, new byte[0]);
            assertNotEquals(403, admin.status(), what + " as admin");
        }
    }

    @Test
    void badTokensAreCountedAndTheAddressIsRefused() {
        Map<String, String> bad = Map.of("Authorization", "Bearer nope");
        for (int i = 0; i < 3; i++) {
            assertError(dispatcher.dispatch(new Req("GET", "/v1/version", null, bad, new byte[0], "10.9.9.9")), 401,
                    "unauthorized");
        }
        Reply refused = dispatcher.dispatch(new Req("GET", "/v1/version", null,
                Map.of("Authorization", "Bearer " + MemoryTokens.tokenFor(Role.ADMIN)), new byte[0], "10.9.9.9"));
        assertError(refused, 429, "too_many_failures");
        assertTrue(((Long) error(refused).get("retryAfterSeconds")) > 0);
        // another address is not affected, and health stays open
        assertEquals(200, get("/v1/version", Role.VIEWER).status());
        assertEquals(200, dispatcher.dispatch(new Req("GET", "/v1/health", null, Map.of(), new byte[0], "10.9.9.9"))
                .status());
    }

    @Test
    void unknownRoutesAndMethods() {
        assertError(get("/v1/nothing", Role.ADMIN), 404, "not_found");
        assertError(get("/v2/health", Role.ADMIN), 404, "not_found");
        assertError(call("PUT", "/v1/containers", Role.ADMIN, null, new byte[0]), 405, "method_not_allowed");
        assertError(get("/v1/containers/", Role.ADMIN), 404, "not_found");
    }

    @Test
    void idsThatArePathsAreRefused() {
        assertError(get("/v1/containers/..", Role.VIEWER), 400, "invalid_id");
        assertError(get("/v1/containers/%2e%2e", Role.VIEWER), 400, "invalid_id");
        assertError(get("/v1/containers/..%2F..%2Fetc", Role.VIEWER), 404, "not_found");
        assertError(get("/v1/containers/a%00b", Role.VIEWER), 404, "not_found");
        assertError(get("/v1/packages/..%5c..%5cwin", Role.VIEWER), 404, "not_found");
        assertError(get("/v1/packages/abc", Role.VIEWER), 400, "invalid_id");
        assertError(get("/v1/containers/%zz", Role.VIEWER), 400, "invalid_path");
        assertError(get("/v1/containers/" + "a".repeat(200), Role.VIEWER), 400, "invalid_id");
    }

    @Test
    void runFromAStoredPackage() throws IOException {
        String id = upload("GOOD package");
        Reply run = post("/v1/containers", Role.OPERATOR, "{\"package\":\"" + id + "\",\"name\":\"web\",\"args\":[\"a\",\"b\"],"
                + "\"env\":{\"GREETING\":\"hi\"},\"timeoutMs\":5000,\"maxMemoryPages\":16}");
        assertEquals(201, run.status(), () -> String.valueOf(run.json()));
        assertEquals("web", run.map().get("name"));
        assertEquals("running", run.map().get("state"));
        ContainerSpec spec = runtime.created.get(0);
        assertEquals(dir.resolve("packages").resolve(id + ".forgepkg"), spec.module());
        assertEquals(List.of("a", "b"), spec.args());
        assertEquals(Map.of("GREETING", "hi"), spec.env());
        assertEquals(Duration.ofMillis(5000), spec.limits().wallTimeout());
        assertEquals(16, spec.limits().maxMemoryPages());
        assertTrue(spec.preopens().isEmpty(), "no host directory is ever granted over REST");
        // the module's host path does not leak, only its file name
        assertEquals(id + ".forgepkg", run.map().get("module"));

        assertEquals(1, ((List<?>) get("/v1/containers", Role.VIEWER).map().get("containers")).size());
        assertEquals("web", get("/v1/containers/web", Role.VIEWER).map().get("name"));
    }

    private String upload(String content) {
        Reply up = call("POST", "/v1/packages", Role.OPERATOR, "application/octet-stream",
                content.getBytes(StandardCharsets.UTF_8));
        assertEquals(201, up.status(), () -> String.valueOf(up.json()));
        return (String) up.map().get("id");
    }

    @Test
    void runBodyErrorsNameTheField() {
        String id = upload("GOOD one");
        assertError(post("/v1/containers", Role.OPERATOR, "{"), 400, "invalid_json");
        assertError(post("/v1/containers", Role.OPERATOR, "[1]"), 400, "invalid_json");
        assertError(post("/v1/containers", Role.OPERATOR, "{\"package\":\"" + id + "\",\"pkg\":1}"), 400, "unknown_field");
        assertEquals("pkg", error(post("/v1/containers", Role.OPERATOR, "{\"package\":\"" + id + "\",\"pkg\":1}")).get("field"));
        assertError(post("/v1/containers", Role.OPERATOR, "{}"), 400, "missing_field");
        Reply badArg = post("/v1/containers", Role.OPERATOR, "{\"package\":\"" + id + "\",\"args\":[\"ok\",3]}");
        assertError(badArg, 400, "invalid_field");
        assertEquals("args[1]", error(badArg).get("field"));
        Reply badEnv = post("/v1/containers", Role.OPERATOR, "{\"package\":\"" + id + "\",\"env\":{\"A=B\":\"x\"}}");
        assertEquals("env.A=B", error(badEnv).get("field"));
        Reply pages = post("/v1/containers", Role.OPERATOR, "{\"package\":\"" + id + "\",\"maxMemoryPages\":0}");
        assertEquals("maxMemoryPages", error(pages).get("field"));
        Reply traversal = post("/v1/containers", Role.OPERATOR, "{\"package\":\"../../etc/passwd\"}");
        assertError(traversal, 400, "invalid_field");
        assertEquals("package", error(traversal).get("field"));
        assertError(post("/v1/containers", Role.OPERATOR, "{\"package\":\"" + "0".repeat(64) + "\"}"), 404,
                "package_not_found");
        Reply noEngine = post("/v1/containers", Role.OPERATOR, "{\"package\":\"" + id + "\",\"engine\":\"missing\"}");
        assertError(noEngine, 422, "container_spec");
        String message = String.valueOf(error(noEngine).get("message"));
        assertTrue(message.endsWith(".forgepkg: no engine named missing"), message);
        assertFalse(message.contains(dir.toAbsolutePath().toString()), "no host folder of the node in " + message);
        assertError(call("POST", "/v1/containers", Role.OPERATOR, "text/plain", "{}".getBytes(StandardCharsets.UTF_8)),
                415, "unsupported_media_type");
        assertError(post("/v1/containers", Role.OPERATOR, "{\"package\":\"" + id + "\",\"name\":\"" + "x".repeat(5000)
                + "\"}"), 413, "body_too_large");
        assertTrue(runtime.created.isEmpty(), "no bad request made a container");
    }

    @Test
    void modulesOnlyWhenAllowed() {
        byte[] wasm = {0, 'a', 's', 'm', 1, 0, 0, 0};
        Reply up = call("POST", "/v1/modules", Role.OPERATOR, "application/wasm", wasm);
        assertEquals(201, up.status());
        String id = (String) up.map().get("id");
        assertTrue(Files.isRegularFile(dir.resolve("modules").resolve(id + ".wasm")));
        assertError(call("POST", "/v1/modules", Role.OPERATOR, "application/wasm", "nope!!!!".getBytes(
                StandardCharsets.UTF_8)), 400, "not_wasm");
        assertEquals(201, post("/v1/containers", Role.OPERATOR, "{\"module\":\"" + id + "\"}").status());

        RestOptions noModules = new RestOptions("127.0.0.1", 0, 4, 4096, 64 * 1024, dir, "", null, 3,
                Duration.ofSeconds(60), 2, Duration.ofMillis(10), Duration.ofSeconds(5), 2, false, "need");
        dispatcher = RestServer.dispatcher(services, noModules, "1.2.3");
        assertError(call("POST", "/v1/modules", Role.OPERATOR, "application/wasm", wasm), 403, "modules_disabled");
        assertError(post("/v1/containers", Role.OPERATOR, "{\"module\":\"" + id + "\"}"), 403, "modules_disabled");
    }

    @Test
    void lifecycle() {
        String id = upload("GOOD life");
        String c = (String) post("/v1/containers", Role.OPERATOR, "{\"package\":\"" + id + "\"}").map().get("id");
        assertError(call("DELETE", "/v1/containers/" + c, Role.OPERATOR, null, new byte[0]), 409, "container_state");
        Reply stopped = post("/v1/containers/" + c + "/stop", Role.OPERATOR, "");
        assertEquals("stopped", stopped.map().get("state"));
        assertEquals("killed", stopped.map().get("stopReason"));
        assertError(post("/v1/containers/" + c + "/kill", Role.OPERATOR, ""), 409, "container_state");
        assertEquals(0, ((List<?>) get("/v1/containers", Role.VIEWER).map().get("containers")).size());
        assertEquals(1, ((List<?>) get("/v1/containers?all=true", Role.VIEWER).map().get("containers")).size());
        assertError(get("/v1/containers?all=maybe", Role.VIEWER), 400, "invalid_field");
        Reply stats = get("/v1/containers/" + c + "/stats", Role.VIEWER);
        assertEquals(3L, stats.map().get("hostCalls"));
        assertEquals(1L, stats.map().get("deniedHostCalls"));
        assertEquals("deleted", call("DELETE", "/v1/containers/" + c, Role.OPERATOR, null, new byte[0]).map().get("state"));
        assertError(get("/v1/containers/" + c, Role.VIEWER), 404, "container_not_found");

        String d = (String) post("/v1/containers", Role.OPERATOR, "{\"package\":\"" + id + "\"}").map().get("id");
        assertEquals("deleted", call("DELETE", "/v1/containers/" + d + "?force=true", Role.OPERATOR, null, new byte[0])
                .map().get("state"));
    }

    @Test
    void logs() {
        String id = upload("GOOD logs");
        String c = (String) post("/v1/containers", Role.OPERATOR, "{\"package\":\"" + id + "\"}").map().get("id");
        runtime.logs.put(c, new ContainerLogs("hello\n", "oops\n", 0, 2));
        Reply logs = get("/v1/containers/" + c + "/logs", Role.VIEWER);
        assertEquals("hello\n", logs.map().get("stdout"));
        assertEquals("oops\n", logs.map().get("stderr"));
        assertEquals(2L, logs.map().get("droppedStderrBytes"));
    }

    @Test
    @Timeout(10)
    void followStreamsNewOutputUntilTheContainerStops() throws Exception {
        String id = upload("GOOD follow");
        String c = (String) post("/v1/containers", Role.OPERATOR, "{\"package\":\"" + id + "\"}").map().get("id");
        runtime.logs.put(c, new ContainerLogs("one\n", "", 0, 0));
        Reply stream = get("/v1/containers/" + c + "/logs?follow=true", Role.VIEWER);
        assertEquals("text/event-stream; charset=utf-8", stream.contentType());
        Thread writer = new Thread(() -> {
            try {
                Thread.sleep(100);
                runtime.logs.put(c, new ContainerLogs("one\ntwo \"quoted\"\n", "", 0, 0));
                Thread.sleep(100);
                runtime.stop(c, 3, StopReason.EXITED);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        writer.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        stream.stream().write(out);
        writer.join();
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("event: stdout\ndata: \"one\\n\"\n\n"), text);
        assertTrue(text.contains("event: stdout\ndata: \"two \\\"quoted\\\"\\n\"\n\n"), text);
        assertTrue(text.contains("event: exit\ndata: {"), text);
        assertTrue(text.contains("\"exitCode\":3"), text);
    }

    @Test
    void streamsAreLimited() {
        String id = upload("GOOD streams");
        String c = (String) post("/v1/containers", Role.OPERATOR, "{\"package\":\"" + id + "\"}").map().get("id");
        assertEquals(200, get("/v1/containers/" + c + "/logs?follow=1", Role.VIEWER).status());
        assertEquals(200, get("/v1/containers/" + c + "/logs?follow=1", Role.VIEWER).status());
        assertError(get("/v1/containers/" + c + "/logs?follow=1", Role.VIEWER), 429, "too_many_streams");
    }

    @Test
    void packages() {
        String id = upload("GOOD pkg");
        Reply refused = call("POST", "/v1/packages", Role.OPERATOR, "application/octet-stream",
                "EVIL".getBytes(StandardCharsets.UTF_8));
        assertError(refused, 422, "package_refused");
        assertEquals("tampered", error(refused).get("reason"));
        assertError(call("POST", "/v1/packages", Role.OPERATOR, null, new byte[0]), 400, "missing_body");
        assertError(call("POST", "/v1/packages", Role.OPERATOR, null, new byte[64 * 1024 + 1]), 413, "body_too_large");

        List<?> list = (List<?>) get("/v1/packages", Role.VIEWER).map().get("packages");
        assertEquals(1, list.size());
        Reply inspect = get("/v1/packages/" + id, Role.VIEWER);
        assertEquals("hello", ((Map<?, ?>) inspect.map().get("manifest")).get("name"));
        assertEquals("verified", ((Map<?, ?>) inspect.map().get("verification")).get("verdict"));
        assertEquals("verified", post("/v1/packages/" + id + "/verify", Role.VIEWER, "").map().get("verdict"));
        assertError(get("/v1/packages/" + "1".repeat(64), Role.VIEWER), 404, "package_not_found");
        assertEquals(true, call("DELETE", "/v1/packages/" + id, Role.OPERATOR, null, new byte[0]).map().get("removed"));
        assertError(call("DELETE", "/v1/packages/" + id, Role.OPERATOR, null, new byte[0]), 404, "package_not_found");
    }

    @Test
    void policiesAnswer503WithoutAPolicyService() {
        assertError(get("/v1/policies", Role.VIEWER), 503, "service_unavailable");
        services.policies = new PolicyService() {
            @Override
            public List<PolicyInfo> list() {
                return List.of(new PolicyInfo("web", "/node/etc/policies/web.yaml", PolicyMode.ENFORCE, "name=web",
                        List.of("fs[0] read /data")));
            }

            @Override
            public Optional<PolicyInfo> get(String name) {
                return list().stream().filter(p -> p.name().equals(name)).findFirst();
            }

            @Override
            public List<PolicyProblem> problems() {
                return List.of();
            }

            @Override
            public List<PolicyProblem> check(Path file) {
                try {
                    String text = Files.readString(file);
                    return text.contains("bad") ? List.of(new PolicyProblem(file.toString(), 1, 3, "mode", "unknown mode"))
                            : List.of();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public io.forgeone.api.policy.Explanation explain(io.forgeone.api.gate.GateContext who, String function,
                    Map<String, Object> args) {
                throw new UnsupportedOperationException();
            }
        };
        Map<?, ?> web = (Map<?, ?>) ((List<?>) get("/v1/policies", Role.VIEWER).map().get("policies")).get(0);
        assertEquals("web.yaml", web.get("file"), "the node's folders are not shown");
        assertEquals("enforce", get("/v1/policies/web", Role.VIEWER).map().get("mode"));
        assertError(get("/v1/policies/none", Role.VIEWER), 404, "policy_not_found");
        Reply good = call("POST", "/v1/policies/check", Role.OPERATOR, "application/yaml",
                "name: x\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(true, good.map().get("valid"));
        Reply bad = call("POST", "/v1/policies/check", Role.OPERATOR, "application/yaml",
                "mode: bad\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(false, bad.map().get("valid"));
        assertEquals("body", ((Map<?, ?>) ((List<?>) bad.map().get("problems")).get(0)).get("file"));
    }

    @Test
    void tokens() {
        Reply created = post("/v1/tokens", Role.ADMIN, "{\"role\":\"operator\",\"name\":\"ci\"}");
        assertEquals(201, created.status());
        String token = (String) created.map().get("token");
        String tokenId = (String) created.map().get("id");
        Reply withNew = dispatcher.dispatch(new Req("GET", "/v1/containers", null, Map.of("Authorization", "Bearer " + token),
                new byte[0], "10.0.0.2"));
        assertEquals(200, withNew.status());
        List<?> tokens = (List<?>) get("/v1/tokens", Role.ADMIN).map().get("tokens");
        assertFalse(tokens.toString().contains(token), "a token list never shows secrets");
        assertError(post("/v1/tokens", Role.ADMIN, "{\"role\":\"root\"}"), 400, "invalid_field");
        assertError(post("/v1/tokens", Role.ADMIN, "{\"name\":\"x\"}"), 400, "missing_field");
        assertError(call("DELETE", "/v1/tokens/zz", Role.ADMIN, null, new byte[0]), 400, "invalid_id");
        assertEquals(true, call("DELETE", "/v1/tokens/" + tokenId, Role.ADMIN, null, new byte[0]).map().get("revoked"));
        assertError(call("DELETE", "/v1/tokens/" + tokenId, Role.ADMIN, null, new byte[0]), 404, "token_not_found");
    }

    @Test
    void certificates() {
        assertTrue(((String) get("/v1/certs/ca", Role.VIEWER).map().get("certificate")).startsWith(
                "-----BEGIN CERTIFICATE-----"));
        Reply issued = post("/v1/certs", Role.ADMIN, "{\"name\":\"alice\",\"validityDays\":30}");
        assertEquals(201, issued.status(), () -> String.valueOf(issued.json()));
        assertTrue(((String) issued.map().get("privateKey")).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertError(post("/v1/certs", Role.ADMIN, "{\"name\":\"a b\"}"), 400, "invalid_field");
        assertError(post("/v1/certs", Role.ADMIN, "{\"name\":\"a\",\"validityDays\":9999}"), 400, "invalid_field");
        assertError(post("/v1/certs", Role.OPERATOR, "{\"name\":\"a\"}"), 403, "forbidden");
    }

    /** Uploads hold their body in memory: past max.uploads at once, the next one is told to come back. */
    @Test
    @Timeout(10)
    void concurrentUploadsAreBounded() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(2);
        List<Thread> slow = new java.util.ArrayList<>();
        List<Reply> replies = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        for (int i = 0; i < 2; i++) {
            InputStream stalled = new InputStream() {
                private boolean started;

                @Override
                public int read() throws IOException {
                    if (!started) {
                        started = true;
                        reading.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                        return 'G';
                    }
                    return -1;
                }
            };
            Dispatcher.Request r = new Req("POST", "/v1/packages", null, Map.of("Authorization", "Bearer "
                    + MemoryTokens.tokenFor(Role.OPERATOR)), new byte[0], "10.0.0.3") {
                @Override
                public long contentLength() {
                    return -1;
                }

                @Override
                public InputStream body() {
                    return stalled;
                }
            };
            Thread t = new Thread(() -> replies.add(dispatcher.dispatch(r)));
            t.start();
            slow.add(t);
        }
        reading.await();
        assertError(call("POST", "/v1/packages", Role.OPERATOR, "application/octet-stream",
                "GOOD third".getBytes(StandardCharsets.UTF_8)), 429, "too_many_uploads");
        release.countDown();
        for (Thread t : slow) {
            t.join();
        }
        assertEquals(2, replies.size());
        // once those are done, uploads are taken again
        upload("GOOD after");
    }

    @Test
    void versionAndOpenApi() {
        assertEquals("1.2.3", get("/v1/version", Role.VIEWER).map().get("version"));
        Reply doc = get("/v1/openapi.json", Role.VIEWER);
        assertEquals(200, doc.status());
        assertTrue(new String(doc.raw(), StandardCharsets.UTF_8).contains("\"openapi\""));
    }

    @Test
    void aFailingServiceIsA500WithoutDetails() {
        services.containers = new FakeRuntime() {
            @Override
            public synchronized List<io.forgeone.api.container.ContainerInfo> list() {
                throw new IllegalStateException("secret internals");
            }
        };
        Reply r = get("/v1/containers", Role.VIEWER);
        assertError(r, 500, "internal");
        assertFalse(String.valueOf(r.json()).contains("secret"));
    }
    // ---- GET /metrics ----------------------------------------------------------------------------------------

    /** A metrics service that writes a fixed line, to see the route pass its type and bytes on. */
    private static final class OneLineMetrics implements io.forgeone.api.metrics.MetricsExposition {
        @Override
        public String contentType() {
            return "text/plain; version=0.0.4; charset=utf-8";
        }

        @Override
        public void write(java.io.OutputStream out) throws java.io.IOException {
            out.write("forge_packages 3\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void metricsNeedAViewerTokenAndPassTheExpositionOn() {
        services.metrics = new OneLineMetrics();
        assertEquals(401, get("/metrics", null).status());
        Reply r = get("/metrics", Role.VIEWER);
        assertEquals(200, r.status());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.contentType());
        assertEquals("forge_packages 3\n", new String(r.raw(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void metricsAreAnonymousWhenConfiguredOpen() {
        services.metrics = new OneLineMetrics();
        RestOptions open = new RestOptions("127.0.0.1", 0, 4, 4096, 64 * 1024, dir, "", null, 3, Duration.ofSeconds(60),
                2, Duration.ofMillis(10), Duration.ofSeconds(5), 2, false, "need", true);
        dispatcher = RestServer.dispatcher(services, open, "1.2.3");
        assertEquals(200, get("/metrics", null).status());
        // other routes still need their token
        assertEquals(401, get("/v1/version", null).status());
    }

    @Test
    void metricsWithoutTheMetricsBundleAre503() {
        Reply r = get("/metrics", Role.VIEWER);
        assertEquals(503, r.status());
        assertEquals("service_unavailable", ((Map<?, ?>) r.map().get("error")).get("code"));
    }

    @Test
    void aMetricsServiceThatFailsIsA500NotACutOffAnswer() {
        services.metrics = new io.forgeone.api.metrics.MetricsExposition() {
            @Override
            public String contentType() {
                return "text/plain";
            }

            @Override
            public void write(java.io.OutputStream out) throws java.io.IOException {
                out.write('x');
                throw new java.io.IOException("disk on fire");
            }
        };
        Reply r = get("/metrics", Role.VIEWER);
        assertEquals(500, r.status());
        assertEquals(null, r.raw());
    }

    private String running(String name) {
        ContainerInfo c = runtime.create(new ContainerSpec(name, dir.resolve("m.wasm"), List.of(), Map.of(), List.of(),
                "chicory", FakeRuntime.limits()), null);
        return runtime.start(c.id()).id();
    }

    @Test
    void pauseAndResumeShowTheSuspensionInTheContainer() {
        String id = running("web");
        assertError(call("POST", "/v1/containers/web/pause", Role.VIEWER, null, new byte[0]), 403, "forbidden");
        Reply paused = call("POST", "/v1/containers/web/pause", Role.OPERATOR, null, new byte[0]);
        assertEquals(200, paused.status(), () -> String.valueOf(paused.json()));
        assertEquals("paused", paused.map().get("state"));
        assertTrue(paused.map().get("suspendedAt") instanceof String);
        assertEquals("paused by an operator", paused.map().get("suspendReason"));
        assertError(call("POST", "/v1/containers/web/pause", Role.OPERATOR, null, new byte[0]), 409, "container_state");
        Reply resumed = call("POST", "/v1/containers/" + id + "/resume", Role.OPERATOR, null, new byte[0]);
        assertEquals("running", resumed.map().get("state"));
        assertNull(resumed.map().get("suspendedAt"));
        assertEquals(100L, resumed.map().get("trustScore"));
        assertEquals(0L, ((Map<?, ?>) resumed.map().get("limits")).get("cpuTimeMs"));
        assertError(call("POST", "/v1/containers/web/resume", Role.OPERATOR, null, new byte[0]), 409, "container_state");
        assertError(call("POST", "/v1/containers/nope/pause", Role.OPERATOR, null, new byte[0]), 404, "container_not_found");
        // a container no gate scores has no trust score
        runtime.create(new ContainerSpec("fresh", dir.resolve("m.wasm"), List.of(), Map.of(), List.of(),
                "chicory", FakeRuntime.limits()), null);
        assertTrue(((Map<?, ?>) get("/v1/containers/fresh", Role.VIEWER).map()).containsKey("trustScore"));
        assertNull(get("/v1/containers/fresh", Role.VIEWER).map().get("trustScore"));
    }

    @Test
    void quarantinedContainersAreListedReleasedByAnAdminAndKilledByAnOperator() {
        running("calm");
        String id = running("bad");
        runtime.quarantine(id, "denied path_open outside its preopens");
        Reply list = get("/v1/quarantine", Role.VIEWER);
        List<?> containers = (List<?>) list.map().get("containers");
        assertEquals(1, containers.size());
        assertEquals("bad", ((Map<?, ?>) containers.get(0)).get("name"));
        assertEquals("denied path_open outside its preopens", ((Map<?, ?>) containers.get(0)).get("suspendReason"));
        assertError(call("POST", "/v1/quarantine/bad/release", Role.OPERATOR, null, new byte[0]), 403, "forbidden");
        assertError(call("POST", "/v1/quarantine/calm/release", Role.ADMIN, null, new byte[0]), 409, "container_state");
        assertError(call("POST", "/v1/quarantine/calm/kill", Role.OPERATOR, null, new byte[0]), 409, "container_state");
        assertEquals("running", runtime.state("calm").state().name().toLowerCase(java.util.Locale.ROOT),
                "the quarantine door kills nothing that is not quarantined");
        Reply released = call("POST", "/v1/quarantine/bad/release", Role.ADMIN, null, new byte[0]);
        assertEquals("running", released.map().get("state"));
        assertEquals(List.of(), get("/v1/quarantine", Role.VIEWER).map().get("containers"));
        runtime.quarantine(id, "again");
        assertError(call("POST", "/v1/quarantine/bad/kill", Role.VIEWER, null, new byte[0]), 403, "forbidden");
        Reply killed = call("POST", "/v1/quarantine/bad/kill", Role.OPERATOR, null, new byte[0]);
        assertEquals("stopped", killed.map().get("state"));
        assertEquals("killed", killed.map().get("stopReason"));
    }

    /** A trace service over fixed records, as the observer would answer. */
    private static final class FixedTraces implements io.forgeone.api.observe.TraceService {
        final List<io.forgeone.api.observe.TraceRecord> records = new java.util.ArrayList<>();
        io.forgeone.api.observe.TraceQuery lastQuery;

        FixedTraces() {
            for (int i = 0; i < 5; i++) {
                String call = i % 2 == 0 ? "fd_write" : "path_open";
                records.add(new io.forgeone.api.observe.TraceRecord(i, 1000L * i, "wasi_snapshot_preview1", call,
                        List.of(1L, Long.MAX_VALUE), Map.of("fd", 1, "path", "data/x"),
                        i == 3 ? io.forgeone.api.gate.Decision.DENY : io.forgeone.api.gate.Decision.ALLOW,
                        List.of(0L), i == 3 ? 76 : 0, "", 5, i == 4 ? "" : call + " number " + i));
            }
        }

        private io.forgeone.api.observe.TraceInfo info() {
            return new io.forgeone.api.observe.TraceInfo("c0001", "web", "ab".repeat(32), 5, 5,
                    List.of(Path.of("/var/forge/traces/c0001/000001.trace")), false, 0, "running");
        }

        @Override
        public List<io.forgeone.api.observe.TraceInfo> list() {
            return List.of(info());
        }

        @Override
        public io.forgeone.api.observe.TraceInfo info(String container) {
            if (!container.equals("web") && !container.equals("c0001")) {
                throw new io.forgeone.api.observe.NoSuchTraceException("nothing recorded for " + container);
            }
            return info();
        }

        @Override
        public io.forgeone.api.observe.TracePage records(String container, io.forgeone.api.observe.TraceQuery q) {
            info(container);
            lastQuery = q;
            List<io.forgeone.api.observe.TraceRecord> out = new java.util.ArrayList<>();
            long next = q.since();
            for (io.forgeone.api.observe.TraceRecord r : records) {
                if (r.sequence() >= q.since() && q.matches(r.call()) && (q.limit() == 0 || out.size() < q.limit())) {
                    out.add(r);
                    next = r.sequence() + 1;
                }
            }
            return new io.forgeone.api.observe.TracePage(out, next, 0, false, 0, "running");
        }

        @Override
        public io.forgeone.api.observe.TracePage await(String container, io.forgeone.api.observe.TraceQuery q,
                Duration timeout) {
            return records(container, q);
        }

        @Override
        public io.forgeone.api.observe.TracePage read(Path trace, io.forgeone.api.observe.TraceQuery q) {
            throw new UnsupportedOperationException("not over REST");
        }

        @Override
        public Path traceToFiles(String containerId) {
            throw new UnsupportedOperationException("not over REST");
        }
    }

    @Test
    void tracesArePagedFilteredAndSummarised() {
        assertError(get("/v1/traces", Role.VIEWER), 503, "service_unavailable");
        FixedTraces traces = new FixedTraces();
        services.traces = traces;
        List<?> list = (List<?>) get("/v1/traces", Role.VIEWER).map().get("traces");
        assertEquals(1, list.size());
        Map<?, ?> info = (Map<?, ?>) list.get(0);
        assertEquals(List.of("000001.trace"), info.get("files"), "file names only, not the node's folders");
        assertNull(info.get("exitCode"), "no exit code while it runs");

        Reply page = get("/v1/containers/web/trace?since=1&limit=2", Role.VIEWER);
        assertEquals(200, page.status(), () -> String.valueOf(page.json()));
        List<?> records = (List<?>) page.map().get("records");
        assertEquals(2, records.size());
        Map<?, ?> first = (Map<?, ?>) records.get(0);
        assertEquals(1L, first.get("sequence"));
        assertEquals(List.of(1L, Long.toString(Long.MAX_VALUE)), first.get("args"), "beyond 2^53 as a string");
        assertEquals(3L, page.map().get("next"));
        String text = new String(Json.canonical(page.json()), StandardCharsets.UTF_8);
        assertTrue(text.contains("\"decision\":\"allow\""), text);

        Reply filtered = get("/v1/containers/web/trace?filter=call=path_open", Role.VIEWER);
        assertEquals("path_open", traces.lastQuery.call());
        assertEquals(TraceRoutes.DEFAULT_LIMIT, traces.lastQuery.limit());
        assertEquals(2, ((List<?>) filtered.map().get("records")).size());

        Reply summary = get("/v1/containers/web/trace?summary=true&filter=call=fd_write", Role.VIEWER);
        assertNull(summary.map().get("records"));
        List<?> sentences = (List<?>) summary.map().get("summary");
        assertEquals(2, sentences.size(), "the routine call (no sentence) is left out");
        assertEquals("fd_write number 2", ((Map<?, ?>) sentences.get(1)).get("summary"));
        assertEquals(5L, summary.map().get("next"), "next still counts it");

        assertError(get("/v1/containers/web/trace?filter=fd_write", Role.VIEWER), 400, "invalid_field");
        assertError(get("/v1/containers/web/trace?filter=call=../x", Role.VIEWER), 400, "invalid_field");
        assertError(get("/v1/containers/web/trace?since=-1", Role.VIEWER), 400, "invalid_field");
        assertError(get("/v1/containers/web/trace?limit=0", Role.VIEWER), 400, "invalid_field");
        assertError(get("/v1/containers/web/trace?limit=10001", Role.VIEWER), 400, "invalid_field");
        assertError(get("/v1/containers/web/trace?summary=maybe", Role.VIEWER), 400, "invalid_field");
        assertError(get("/v1/containers/other/trace", Role.VIEWER), 404, "trace_not_found");
        assertError(get("/v1/containers/web/trace", null), 401, "unauthorized");
    }
}
