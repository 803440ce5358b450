package io.forgeone.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.forgeone.api.gate.Decision;
import io.forgeone.api.observe.TracePage;
import io.forgeone.api.observe.TraceRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * forge --node URL snapshot, restore and trace against a stand-in node (the JDK's HTTP server answering as
 * docs/rest.md says the node does): the requests they make, what they print, how they page and follow, and their
 * errors. RemoteCliIT does the same against a real node.
 */
@Timeout(30)
class RemoteObserverCommandsTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private HttpServer server;
    /** "METHOD path?query body" of every request, in order. */
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private String out;
    private String err;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String node() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers requests under {@code path} with what {@code answer} gives for the request's "METHOD uri". */
    private void route(String path, Function<String, Reply> answer) {
        server.createContext(path, exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String request = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            requests.add(request + (body.isEmpty() ? "" : " " + body));
            Reply reply = answer.apply(request);
            send(exchange, reply.status(), reply.type(), reply.body());
        });
    }

    record Reply(int status, String type, String body) {
        static Reply json(int status, String body) {
            return new Reply(status, "application/json", body);
        }

        static Reply error(int status, String code, String message, String field) {
            return json(status, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\""
                    + (field == null ? "" : ",\"field\":\"" + field + "\"") + "}}");
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream o = exchange.getResponseBody()) {
            o.write(bytes);
        }
    }

    private int forge(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(Map.of("FORGE_NODE", node(), "FORGE_TOKEN", "fo1_t_t"));
        int code = new RemoteMain(env, o, e, false, () -> NOW).applyAsInt(args);
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    /** The trace commands with a follow poll short enough for a test. */
    private int trace(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        NodeClient client = new NodeClient(new NodeConnection(URI.create(node()), "fo1_t_t", null, null, null));
        int code = new RemoteObserverCommands(() -> client, o, e, () -> NOW, Duration.ofMillis(5)).trace(List.of(args));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    private static final String SNAPSHOT = "{\"file\":\"web-5120.fsnap\",\"containerId\":\"c0ffee\","
            + "\"containerName\":\"web\",\"moduleSha256\":\"ab12\",\"engine\":\"chicory\",\"argv\":[\"web.wasm\",\"8080\"],"
            + "\"hostCalls\":5120,\"memoryBytes\":131072,\"globals\":3,\"descriptors\":4,"
            + "\"taken\":\"2026-12-06T11:58:00Z\",\"signer\":\"ed25519:9f8e\",\"signed\":true,\"fileBytes\":19034}";

    @Test
    void pullCopiesTheFileHereAndPushSendsOneUnderItsName(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws IOException {
        route("/v1/snapshots/", r -> r.equals("GET /v1/snapshots/web-5120.fsnap/file")
                ? new Reply(200, "application/octet-stream", "FORGESNP...bytes")
                : r.startsWith("PUT /v1/snapshots/") ? Reply.json(201, SNAPSHOT)
                : Reply.error(404, "snapshot_not_found", "no snapshot gone.fsnap in the node's snapshot folder", "name"));
        java.nio.file.Path target = tmp.resolve("copy.fsnap");
        assertEquals(0, forge("snapshot", "pull", "web-5120", target.toString()));
        assertEquals("FORGESNP...bytes", java.nio.file.Files.readString(target));
        assertEquals("pulled web-5120.fsnap to " + target + " (16 bytes)\n", out);

        assertEquals(2, forge("snapshot", "pull", "web-5120", target.toString()), "never over an existing file");
        assertTrue(err.contains("already exists"), err);
        java.nio.file.Path missing = tmp.resolve("gone.fsnap");
        assertEquals(1, forge("snapshot", "pull", "gone", missing.toString()));
        assertTrue(err.contains("snapshot_not_found"), err);
        try (var left = java.nio.file.Files.list(tmp)) {
            assertEquals(List.of(target), left.toList(), "a refused download leaves nothing behind");
        }

        assertEquals(0, forge("snapshot", "push", target.toString(), "web-again"));
        assertEquals("PUT /v1/snapshots/web-again.fsnap FORGESNP...bytes", requests.get(requests.size() - 1));
        assertTrue(out.startsWith("pushed " + target + " as web-5120.fsnap (snapshot of web at host call #5120, signed"
                + " by ed25519:9f8e)"), out);
        assertEquals(0, forge("snapshot", "push", target.toString()));
        assertEquals("PUT /v1/snapshots/copy.fsnap FORGESNP...bytes", requests.get(requests.size() - 1));
        assertEquals(2, forge("snapshot", "push", tmp.resolve("nope.fsnap").toString()));
        assertTrue(err.contains("no such file"), err);
    }

    @Test
    void snapshotTakesOneAndPrintsTheShellsLine() {
        route("/v1/containers/", r -> Reply.json(201, SNAPSHOT));
        assertEquals(0, forge("snapshot", "web"));
        assertEquals("POST /v1/containers/web/snapshot", requests.get(0));
        assertEquals("snapshot of web at host call #5120 written to web-5120.fsnap (19034 bytes)\n", out);
        assertEquals("", err);

        assertEquals(0, forge("snapshot", "web", "--json"));
        assertEquals(5120L, ((Map<?, ?>) JsonReader.parse(out)).get("hostCalls"));
        // after '--' a container may be called like a subcommand
        assertEquals(0, forge("snapshot", "--", "ls"));
        assertEquals("POST /v1/containers/ls/snapshot", requests.get(requests.size() - 1));
    }

    @Test
    void aRefusedSnapshotIsTheNodesReasonAndExitOne() {
        route("/v1/containers/", r -> Reply.error(409, "snapshot_refused", "container web's call history is"
                + " incomplete (make it durable)", "id"));
        assertEquals(1, forge("snapshot", "web"));
        assertEquals("forge: error: container web's call history is incomplete (make it durable) [snapshot_refused,"
                + " field id, HTTP 409]\n", err);
        assertEquals("", out);
    }

    @Test
    void lsShowsEverySnapshotAndTheDamagedOnesWithWhy() {
        route("/v1/snapshots", r -> Reply.json(200, "{\"snapshots\":[" + SNAPSHOT + "],\"damaged\":[{\"file\":"
                + "\"bad.fsnap\",\"error\":\"bad.fsnap: checksum mismatch\"}]}"));
        assertEquals(0, forge("snapshot", "ls"));
        List<String> lines = out.lines().toList();
        assertEquals(3, lines.size(), out);
        assertTrue(lines.get(0).matches("NAME +CONTAINER +HOST CALLS +SIZE +TAKEN +SIGNED BY"), out);
        assertTrue(lines.get(1).matches("web-5120.fsnap +web +5120 +18.6KiB +2m ago +ed25519:9f8e"), out);
        assertTrue(lines.get(2).matches("bad.fsnap +unusable: bad.fsnap: checksum mismatch"), out);

        assertEquals(0, forge("snapshot", "ls", "--json"));
        Map<?, ?> json = (Map<?, ?>) JsonReader.parse(out);
        assertEquals(1, ((List<?>) json.get("snapshots")).size());
        assertEquals(1, ((List<?>) json.get("damaged")).size());
        assertEquals(2, forge("snapshot", "ls", "extra"));
    }

    @Test
    void inspectPrintsWhatForgeSnapshotInspectPrints() {
        route("/v1/snapshots/", r -> r.startsWith("GET /v1/snapshots/web-5120.fsnap") ? Reply.json(200, SNAPSHOT)
                : Reply.error(404, "snapshot_not_found", "no snapshot x.fsnap in the node's snapshot folder", "name"));
        assertEquals(0, forge("snapshot", "inspect", "web-5120"));
        assertEquals("GET /v1/snapshots/web-5120.fsnap", requests.get(0), "'.fsnap' added");
        // the shell's SnapshotCommands.describe, line for line, with the name where the shell has the path
        assertEquals("file:        web-5120.fsnap (19034 bytes)\n"
                + "container:   web (c0ffee)\n"
                + "taken:       2026-12-06T11:58:00Z\n"
                + "module:      sha256 ab12 on chicory\n"
                + "argv:        web.wasm 8080\n"
                + "host calls:  5120 (re-executed on restore)\n"
                + "memory:      131072 bytes, 3 globals\n"
                + "descriptors: 4 open\n"
                + "signed by:   ed25519:9f8e\n", out);
        assertEquals(1, forge("snapshot", "inspect", "x.fsnap"));
        assertEquals("forge: error: no snapshot x.fsnap in the node's snapshot folder [snapshot_not_found, field name,"
                + " HTTP 404]\n", err);
        assertEquals(2, forge("snapshot", "inspect"));
        assertEquals("forge: error: no snapshot name given (snapshot inspect NAME) (see 'forge --node URL snapshot"
                + " --help')\n", err);
    }

    @Test
    void rmGoesOnAfterOneThatFails() {
        route("/v1/snapshots/", r -> r.contains("gone.fsnap")
                ? Reply.error(404, "snapshot_not_found", "no snapshot gone.fsnap in the node's snapshot folder", "name")
                : Reply.json(200, "{\"id\":\"" + r.substring(r.lastIndexOf('/') + 1) + "\",\"removed\":true}"));
        assertEquals(1, forge("snapshot", "rm", "a.fsnap", "gone", "b"));
        assertEquals(List.of("DELETE /v1/snapshots/a.fsnap", "DELETE /v1/snapshots/gone.fsnap",
                "DELETE /v1/snapshots/b.fsnap"), requests);
        assertEquals("a.fsnap\nb.fsnap\n", out);
        assertTrue(err.startsWith("forge: error: no snapshot gone.fsnap") && err.lines().count() == 1, err);
        assertEquals(2, forge("snapshot", "rm"));
    }

    @Test
    void theLocalFileCommandsAreNamedAsSuch() {
        assertEquals(2, forge("snapshot", "export", "a.fsnap", "b.fsnap"));
        assertTrue(err.startsWith("forge: error: 'snapshot export' works on snapshot files on this machine: run it"
                + " without --node"), err);
        assertEquals(2, forge("snapshot"));
        assertTrue(err.contains("snapshot CONTAINER, snapshot ls, snapshot inspect NAME or snapshot rm NAME"), err);
        assertEquals(2, forge("snapshot", "a", "b"));
        assertEquals(0, forge("snapshot", "--help"));
        assertTrue(out.startsWith("Usage: forge --node URL snapshot CONTAINER") && out.contains("init, inspect, export"
                + " and import work on\nsnapshot FILES on this machine"), out);
        assertTrue(requests.isEmpty(), "usage errors and help never call the node: " + requests);
    }

    private static final String RESTORED = "{\"id\":\"r1\",\"name\":\"again\",\"state\":\"running\","
            + "\"module\":\"counter.wasm\",\"limits\":{\"wallTimeoutMs\":30000}}";

    @Test
    void restoreDetachedPrintsTheNewId() {
        route("/v1/snapshots/", r -> Reply.json(201, RESTORED));
        assertEquals(0, forge("restore", "web-5120", "--name", "again", "-d"));
        assertEquals("POST /v1/snapshots/web-5120.fsnap/restore {\"name\":\"again\"}", requests.get(0));
        assertEquals("r1\n", out);
        assertEquals(0, forge("restore", "-d", "web-5120.fsnap"));
        assertEquals("POST /v1/snapshots/web-5120.fsnap/restore", requests.get(1), "no body without --name");
    }

    @Test
    void restoreAttachedFollowsTheOutputAndExitsWithTheContainersCode() {
        route("/v1/snapshots/", r -> Reply.json(201, RESTORED));
        route("/v1/containers/r1/logs", r -> new Reply(200, "text/event-stream", "event: stdout\ndata: \"count 201\\n"
                + "\"\n\nevent: stderr\ndata: \"warn\\n\"\n\nevent: stdout\ndata: \"total 20100\\n\"\n\nevent: exit\n"
                + "data: {\"id\":\"r1\",\"name\":\"again\",\"state\":\"stopped\",\"stopReason\":\"exited\",\"exitCode\":3}"
                + "\n\n"));
        assertEquals(3, forge("restore", "web-5120"));
        assertEquals("count 201\ntotal 20100\n", out);
        assertEquals("warn\n", err);
        assertEquals("GET /v1/containers/r1/logs?follow=true", requests.get(1));
    }

    @Test
    void aRestoreTheNodeRefusesIsItsReason() {
        route("/v1/snapshots/", r -> Reply.error(422, "snapshot_unusable", "web-5120.fsnap: checksum mismatch", "name"));
        assertEquals(1, forge("restore", "web-5120"));
        assertEquals("forge: error: web-5120.fsnap: checksum mismatch [snapshot_unusable, field name, HTTP 422]\n", err);
        assertEquals(2, forge("restore"));
        assertEquals("forge: error: no snapshot name given (see 'forge --node URL restore --help')\n", err);
        assertEquals(2, forge("restore", "a", "b"));
        assertEquals(2, forge("restore", "--bogus", "a"));
    }

    /** A run of {@code calls} host calls, {@code fd_write} every third, served as the node pages it. */
    private void run(int calls, boolean[] ended) {
        run(calls, ended, calls);
    }

    /** The same, with {@code GET /v1/traces} saying {@code recorded} calls (fewer: it is still running). */
    private void run(int calls, boolean[] ended, int recorded) {
        route("/v1/traces", r -> Reply.json(200, "{\"traces\":[{\"containerId\":\"other\",\"calls\":1},"
                + "{\"containerId\":\"c1\",\"containerName\":\"counter\",\"calls\":" + recorded + "}]}"));
        route("/v1/containers/", r -> {
            Map<String, String> q = query(r);
            boolean summary = "true".equals(q.get("summary"));
            long since = Long.parseLong(q.getOrDefault("since", "0"));
            int limit = Integer.parseInt(q.getOrDefault("limit", "1000"));
            String call = q.containsKey("filter") ? q.get("filter").substring("call=".length()) : null;
            StringBuilder records = new StringBuilder();
            long next = since;
            int n = 0;
            for (long s = since; s < calls && n < limit; s++) {
                next = s + 1;
                String name = s % 3 == 0 ? "fd_write" : "clock_time_get";
                if (call != null && !call.equals(name)) {
                    continue;
                }
                if (!summary) {
                    records.append(n == 0 ? "" : ",").append(record(s, name));
                } else if (s == 7) {
                    records.append("{\"sequence\":7,\"summary\":\"opened /data/out.txt for writing as fd 3\"}");
                }
                n++;
            }
            boolean end = ended[0] && next >= calls;
            return Reply.json(200, "{\"containerId\":\"c1\",\"containerName\":\"counter\",\""
                    + (summary ? "summary" : "records") + "\":[" + records + "],\"next\":" + next + ",\"lost\":0,\"ended\":" + end + ",\"exitCode\":" + (end ? "0" : "null")
                    + ",\"outcome\":\"" + (end ? "EXITED" : "") + "\"}");
        });
    }

    private static String record(long s, String name) {
        return "{\"sequence\":" + s + ",\"timeNanos\":" + (s * 1000) + ",\"module\":\"wasi_snapshot_preview1\","
                + "\"call\":\"" + name + "\",\"args\":[1],\"arguments\":{\"fd\":1},\"decision\":\"allow\",\"results\":[0],"
                + "\"errno\":0,\"failure\":\"\",\"bytesReturned\":" + (name.equals("fd_write") ? 4 : 0) + ",\"summary\":"
                + (s == 7 ? "\"opened /data/out.txt for writing as fd 3\"" : "\"\"") + "}";
    }

    private static Map<String, String> query(String request) {
        Map<String, String> out = new HashMap<>();
        int q = request.indexOf('?');
        if (q < 0) {
            return out;
        }
        for (String pair : request.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void traceLinesAreForgeTracesLines() {
        // the same calls through the local formatter (forge trace FILE, and forge:trace's text) and over the wire
        Map<String, Object> decoded = new java.util.LinkedHashMap<>();
        decoded.put("path", "input.txt");
        decoded.put("fd", 3L);
        TraceRecord open = new TraceRecord(3, 1_500_000, "wasi_snapshot_preview1", "path_open", List.of(3L, 0L),
                decoded, Decision.ALLOW, List.of(0L), 0, "", 4,
                "opened /data/input.txt for reading as fd 4");
        TraceRecord exit = new TraceRecord(4, 2_000_000, "wasi_snapshot_preview1", "proc_exit", List.of(0L),
                Map.of("code", 0L), Decision.ALLOW, List.of(), -1, "exit 0", 0, "exited with 0");
        String local = TraceCommand.format(new TracePage(List.of(open, exit), 5, 0, true, 0, "EXITED"), false);
        route("/v1/containers/", r -> r.endsWith("&summary=true") ? Reply.json(200, "{\"containerId\":\"c1\","
                + "\"containerName\":\"x\",\"summary\":[{\"sequence\":3,\"summary\":\"opened /data/input.txt for"
                + " reading as fd 4\"},{\"sequence\":4,\"summary\":\"exited with 0\"}],\"next\":5,\"lost\":0,"
                + "\"ended\":true,\"exitCode\":0,\"outcome\":\"EXITED\"}")
                : Reply.json(200, "{\"containerId\":\"c1\",\"containerName\":\"x\",\"records\":["
                + "{\"sequence\":3,\"timeNanos\":1500000,\"module\":\"wasi_snapshot_preview1\",\"call\":\"path_open\","
                + "\"args\":[3,0],\"argumentOrder\":[\"path\",\"fd\"],\"arguments\":{\"fd\":3,\"path\":\"input.txt\"},"
                + "\"decision\":\"allow\",\"results\":[0],"
                + "\"errno\":0,\"failure\":\"\",\"bytesReturned\":4,\"summary\":\"opened /data/input.txt for reading as"
                + " fd 4\"},{\"sequence\":4,\"timeNanos\":2000000,\"module\":\"wasi_snapshot_preview1\",\"call\":"
                + "\"proc_exit\",\"args\":[0],\"arguments\":{\"code\":0},\"decision\":\"allow\",\"results\":[],"
                + "\"errno\":-1,\"failure\":\"exit 0\",\"bytesReturned\":0,\"summary\":\"exited with 0\"}],\"next\":5,"
                + "\"lost\":0,\"ended\":true,\"exitCode\":0,\"outcome\":\"EXITED\"}"));
        assertEquals(0, forge("trace", "x"));
        assertEquals(local, out);
        assertTrue(out.contains("#3           1.500ms  path_open(path=input.txt fd=3) -> errno 0  allow, 4 B to guest\n"),
                "the function's order, not the JSON's sorted one: " + out);
        assertTrue(out.endsWith("-- end: EXITED (exit 0)\n"), out);
        assertEquals(0, forge("trace", "x", "--summary"));
        assertEquals(TraceCommand.format(new TracePage(List.of(open, exit), 5, 0, true, 0, "EXITED"), true), out);
    }

    @Test
    void traceReadsEveryPageOrAsManyCallsAsAskedFor() {
        run(12_005, new boolean[] {true});
        assertEquals(0, trace("counter"));
        assertEquals(List.of("GET /v1/containers/counter/trace?since=0&limit=10000", "GET /v1/traces",
                "GET /v1/containers/counter/trace?since=10000&limit=10000"), requests);
        List<String> lines = out.lines().toList();
        assertEquals(12_006, lines.size());
        assertTrue(lines.get(12_004).startsWith("#12004 "), lines.get(12_004));
        assertEquals("-- end: EXITED (exit 0)", lines.get(12_005));

        requests.clear();
        assertEquals(0, trace("counter", "--since", "100", "--limit", "3", "--filter", "call=fd_write"));
        assertEquals(List.of("GET /v1/containers/counter/trace?since=100&limit=3&filter=call%3Dfd_write"), requests);
        assertEquals(3, out.lines().count(), out);
        assertTrue(out.startsWith("#102    ") && out.contains("fd_write(fd=1) -> errno 0  allow, 4 B to guest"), out);

        assertEquals(0, trace("counter", "--summary", "--limit", "20"));
        assertEquals("#7 opened /data/out.txt for writing as fd 3\n", out);
        assertTrue(requests.get(requests.size() - 1).endsWith("?since=0&limit=20&summary=true"), requests.toString());
        requests.clear();
        assertEquals(0, trace("counter", "--summary"));
        assertEquals("#7 opened /data/out.txt for writing as fd 3\nthe run ended: EXITED (exit 0)\n", out);
        assertEquals(List.of("GET /v1/containers/counter/trace?since=0&limit=10000&summary=true", "GET /v1/traces",
                "GET /v1/containers/counter/trace?since=10000&limit=10000&summary=true"), requests);
        // filtered, the sentences come from the records: a filtered summary page does not say how far it read
        assertEquals(0, trace("counter", "--summary", "--filter", "call=clock_time_get", "--limit", "10"));
        assertEquals("#7 opened /data/out.txt for writing as fd 3\n", out);
        assertTrue(requests.get(requests.size() - 1).endsWith("&filter=call%3Dclock_time_get"), requests.toString());

        assertEquals(0, trace("counter", "--json", "--limit", "2"));
        Map<?, ?> json = (Map<?, ?>) JsonReader.parse(out);
        assertEquals(2, ((List<?>) json.get("records")).size());
        assertEquals(2L, json.get("next"));
        assertEquals(false, json.get("ended"));
    }

    @Test
    void aRunningContainerIsShownAsFarAsItHadGotNotChased() {
        // the node has 25,000 calls by the time the pages are read, but had recorded 12,000 when asked
        run(25_000, new boolean[] {false}, 12_000);
        assertEquals(0, trace("counter"));
        assertEquals(20_000, out.lines().count(), "two pages, no third");
        assertEquals(3, requests.size(), requests.toString());
    }

    @Test
    void traceOfARunningContainerStopsAtWhatIsRecordedUnlessFollowed() throws Exception {
        boolean[] ended = {false};
        run(50, ended);
        assertEquals(0, trace("counter"));
        assertEquals(50, out.lines().count(), "no end line while it runs: " + out);
        assertFalse(out.contains("-- end"), out);

        requests.clear();
        Thread finisher = new Thread(() -> {
            try {
                while (requests.size() < 3) {
                    Thread.sleep(1);
                }
                ended[0] = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        finisher.start();
        assertEquals(0, trace("counter", "--follow", "--since", "45"));
        finisher.join();
        assertTrue(requests.size() >= 3, requests.toString());
        assertTrue(requests.stream().skip(1).allMatch(r -> r.contains("since=50&")), "asks again from next: " + requests);
        assertEquals(6, out.lines().count(), out);
        assertTrue(out.startsWith("#45 ") && out.endsWith("-- end: EXITED (exit 0)\n"), out);
    }

    @Test
    void traceWithoutAContainerListsTheRecordedRuns() {
        route("/v1/traces", r -> Reply.json(200, "{\"traces\":[{\"containerId\":\"c1\",\"containerName\":\"counter\","
                + "\"moduleSha256\":\"ab\",\"calls\":1200,\"kept\":1200,\"files\":[],\"ended\":true,\"exitCode\":0,"
                + "\"outcome\":\"EXITED\"},{\"containerId\":\"c2\",\"containerName\":\"web\",\"moduleSha256\":\"cd\","
                + "\"calls\":7,\"kept\":7,\"files\":[\"c2-0.trace\"],\"ended\":false,\"exitCode\":null,"
                + "\"outcome\":\"\"}]}"));
        assertEquals(0, forge("trace"));
        assertEquals(TraceFormat.listHeader() + TraceFormat.listRow("c1", "counter", 1200, 0, true, "EXITED")
                + TraceFormat.listRow("c2", "web", 7, 1, false, ""), out);
        assertTrue(out.lines().skip(1).findFirst().orElseThrow().matches("c1 +counter +1200 +- +ended: EXITED"), out);
        assertEquals(0, forge("trace", "--json"));
        assertEquals(2, ((List<?>) JsonReader.parse(out)).size());
    }

    @Test
    void traceUsageErrorsNeverCallTheNode() {
        assertEquals(2, forge("trace", "--summary"));
        assertTrue(err.startsWith("forge: error: --summary needs a container"), err);
        assertEquals(2, forge("trace", "--limit", "5"));
        assertEquals(2, forge("trace", "a", "b"));
        assertEquals(2, forge("trace", "a", "--since", "-1"));
        assertEquals("forge: error: --since '-1': expected a number, 0 or more (see 'forge --node URL trace"
                + " --help')\n", err);
        assertEquals(2, forge("trace", "a", "--filter", "name=fd_write"));
        assertEquals(2, forge("trace", "a", "--filter", "call=../x"));
        assertTrue(err.startsWith("forge: error: --filter 'call=../x': expected call=NAME"), err);
        assertEquals(2, forge("trace", "a", "--json", "--follow"));
        assertEquals(0, forge("trace", "--help"));
        assertTrue(out.startsWith("Usage: forge --node URL trace CONTAINER"), out);
        assertTrue(requests.isEmpty(), requests.toString());
    }
}
