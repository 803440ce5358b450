package io.forgeone.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's side of the wire against a stand-in server (the JDK's): how answers, errors, uploads and event
 * streams are read. RemoteCliIT does the same against a real node.
 */
class NodeClientTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private final Map<String, String> seen = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private NodeClient client(String token) {
        return new NodeClient(new NodeConnection(java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                token, null, null, null));
    }

    private void answer(String path, int status, String contentType, String body) {
        server.createContext(path, exchange -> {
            seen.put("auth", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            seen.put("length", String.valueOf(exchange.getRequestHeaders().getFirst("Content-Length")));
            seen.put("body", String.valueOf(exchange.getRequestBody().readAllBytes().length));
            reply(exchange, status, contentType, body);
        });
    }

    private static void reply(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void sendsTheTokenAndReadsTheAnswer() {
        answer("/v1/version", 200, "application/json", "{\"version\":\"1\",\"api\":\"v1\"}");
        assertEquals("v1", client("fo1_a_b").get("/v1/version").get("api"));
        assertEquals("Bearer fo1_a_b", seen.get("auth"));
        client(null).get("/v1/version");
        assertEquals("null", seen.get("auth"), "no token, no header");
    }

    @Test
    void theNodesErrorKeepsItsCodeFieldAndStatus() {
        answer("/v1/containers", 400, "application/json", "{\"error\":{\"code\":\"unknown_field\",\"message\":"
                + "\"unknown field 'x'\",\"field\":\"x\"}}");
        NodeException e = assertThrows(NodeException.class, () -> client("t").post("/v1/containers", "{\"x\":1}"));
        assertEquals("unknown_field", e.code());
        assertEquals("x", e.field());
        assertEquals(400, e.status());
        assertEquals("forge: error: unknown field 'x' [unknown_field, field x, HTTP 400]", e.line());

        answer("/v1/packages", 422, "application/json", "{\"error\":{\"code\":\"package_refused\",\"message\":"
                + "\"package p is not signed\",\"reason\":\"unsigned\"}}");
        NodeException refused = assertThrows(NodeException.class, () -> client("t").get("/v1/packages"));
        assertEquals("forge: error: package p is not signed (unsigned) [package_refused, HTTP 422]", refused.line());

        answer("/v1/tokens", 401, "application/json", "{\"error\":{\"code\":\"unauthorized\",\"message\":\"this route"
                + " needs a bearer token\"}}");
        NodeException none = assertThrows(NodeException.class, () -> client(null).get("/v1/tokens"));
        assertTrue(none.getMessage().endsWith("no token was sent: give one with --token-file FILE or FORGE_TOKEN"),
                none.getMessage());
    }

    @Test
    void anAnswerThatIsNotTheNodesSaysSo() {
        answer("/v1/proxy", 502, "text/html", "<html>\n<b>Bad gateway</b></html>");
        NodeException e = assertThrows(NodeException.class, () -> client("t").get("/v1/proxy"));
        assertEquals(NodeException.BAD_ANSWER, e.code());
        assertTrue(e.line().matches("forge: error: HTTP 502 from http://127\\.0\\.0\\.1:\\d+ without a ForgeOne error:"
                + " <html> <b>Bad gateway</b></html> \\[bad_answer, HTTP 502\\]"), e.line());
        answer("/v1/text", 200, "text/plain", "hello");
        NodeException text = assertThrows(NodeException.class, () -> client("t").get("/v1/text"));
        assertTrue(text.getMessage().contains("is not JSON"), text.getMessage());
    }

    @Test
    void uploadsWithALengthAndCountsTheBytes() throws IOException {
        answer("/v1/modules", 201, "application/json", "{\"id\":\"abc\",\"size\":300000}");
        Path file = Files.write(dir.resolve("m.wasm"), new byte[300_000]);
        AtomicLong sent = new AtomicLong();
        Map<String, Object> answer = client("t").upload("/v1/modules", file, sent::set);
        assertEquals("abc", answer.get("id"));
        assertEquals("300000", seen.get("length"));
        assertEquals("300000", seen.get("body"));
        assertEquals(300_000, sent.get());
    }

    @Test
    void followsServerSentEvents() {
        server.createContext("/v1/containers/c/logs", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write((": following\n\nevent: stdout\ndata: \"a\\n\"\n\n: keep-alive\n\nevent: gap\n"
                        + "data: {\"stream\":\"stdout\",\ndata: \"bytes\":5}\n\nevent: exit\ndata: {\"state\":\"stopped\"}"
                        + "\n\nevent: stdout\ndata: \"never read\"\n\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        List<String> events = new ArrayList<>();
        client("t").events("/v1/containers/c/logs?follow=true", (name, data) -> {
            events.add(name + "=" + data);
            return !name.equals("exit");
        });
        assertEquals(List.of("stdout=\"a\\n\"", "gap={\"stream\":\"stdout\",\n\"bytes\":5}", "exit={\"state\":\"stopped\"}"),
                events);
    }

    @Test
    void idsArePercentEncodedAsOneSegment() {
        assertEquals("..%2Fetc", NodeClient.segment("../etc"));
        assertEquals("a%20b", NodeClient.segment("a b"));
        assertEquals("web-1.x_y", NodeClient.segment("web-1.x_y"));
    }

    @Test
    void theProgressLineSaysWhatIsGoingOn() {
        UploadProgress p = new UploadProgress(OutputStream.nullOutputStream(), "app.forgepkg", 4L << 20, false,
                "verifying");
        assertEquals("forge: uploading app.forgepkg: 1.0MiB of 4.0MiB (25%) 1.5s", p.line(1L << 20, 1500));
        assertEquals("forge: uploaded app.forgepkg (4.0MiB), verifying... 2.0s", p.line(4L << 20, 2000));
    }

    @Test
    void aQuickUploadLeavesNoProgressLineOffATerminal() throws Exception {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        try (UploadProgress p = new UploadProgress(err, "a.wasm", 10, false, "storing").start()) {
            p.accept(10);
        }
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        java.io.ByteArrayOutputStream slow = new java.io.ByteArrayOutputStream();
        try (UploadProgress p = new UploadProgress(slow, "a.wasm", 10, false, "storing").start()) {
            p.accept(4);
            Thread.sleep(UploadProgress.QUIET_MS + 300);
        }
        assertTrue(slow.toString(StandardCharsets.UTF_8).startsWith("forge: uploading a.wasm: 4B of 10B (40%)"),
                slow.toString(StandardCharsets.UTF_8));
    }
}
