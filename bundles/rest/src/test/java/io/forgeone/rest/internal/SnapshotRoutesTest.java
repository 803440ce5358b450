package io.forgeone.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.auth.Role;
import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.observe.SnapshotException;
import io.forgeone.api.observe.SnapshotInfo;
import io.forgeone.api.observe.SnapshotService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot routes with a mock runtime and a mock snapshot service writing small files into a temp folder. */
class SnapshotRoutesTest {
    @TempDir
    Path dir;

    private FakeRuntime runtime;
    private FakeSnapshots snapshots;
    private NodeServices services;
    private Dispatcher dispatcher;
    private Path folder;

    @BeforeEach
    void setUp() {
        runtime = new FakeRuntime();
        services = new NodeServices(new MemoryTokens());
        services.containers = runtime;
        RestOptions options = new RestOptions("127.0.0.1", 0, 4, 4096, 64 * 1024, dir, "", dir.resolve("modules"), 3,
                Duration.ofSeconds(60), 2, Duration.ofMillis(10), Duration.ofSeconds(5), 2, false, "need");
        folder = options.snapshotDirectory(null);
        snapshots = new FakeSnapshots(folder, runtime);
        dispatcher = RestServer.dispatcher(services, options, "1.2.3");
    }

    /**
     * Snapshot files as the mock writes them: one line {@code good NAME CALLS}; anything else is "damaged", and
     * {@code untrusted} is signed by an unknown key.
     */
    private static final class FakeSnapshots implements SnapshotService {
        final Path folder;
        final FakeRuntime runtime;
        String refuse;
        Path lastRestored;
        String lastName;

        FakeSnapshots(Path folder, FakeRuntime runtime) {
            this.folder = folder;
            this.runtime = runtime;
        }

        @Override
        public SnapshotInfo snapshot(String container, Path file) {
            if (refuse != null) {
                throw new SnapshotException("container " + container + ": " + refuse);
            }
            ContainerInfo info = runtime.state(container);
            Path target = file != null ? file : folder.resolve(info.name() + "-7.fsnap");
            try {
                Files.createDirectories(target.getParent());
                Files.writeString(target, "good " + info.name() + " 7");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return inspect(target);
        }

        @Override
        public ContainerInfo restore(Path file, String name, ContainerIO io) {
            SnapshotInfo info = inspect(file);
            if ("taken".equals(name)) {
                throw new SnapshotException(file + ": cannot be restored here: container name 'taken' is already used",
                        new io.forgeone.api.container.ContainerSpecException("container name 'taken' is already used"));
            }
            lastRestored = file;
            lastName = name;
            ContainerInfo created = runtime.create(new ContainerSpec(name, Path.of("/m/counter.wasm"), info.argv(),
                    Map.of(), List.of(), null, FakeRuntime.limits()), io);
            return runtime.start(created.id());
        }

        @Override
        public SnapshotInfo inspect(Path file) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new SnapshotException(file + ": cannot be read: " + e.getMessage(), e);
            }
            if (text.equals("untrusted")) {
                throw new SnapshotException(file + ": signed by ed25519:abcd, which this node does not trust");
            }
            String[] parts = text.split(" ");
            if (parts.length != 3 || !parts[0].equals("good")) {
                throw new SnapshotException(file + ": not a snapshot file (bad magic)");
            }
            return new SnapshotInfo(file, "c0001", parts[1], "ab".repeat(32), "chicory", List.of("counter.wasm", "9"),
                    Long.parseLong(parts[2]), 65536, 2, 4, Instant.parse("2026-12-06T19:00:00Z"), "ed25519:beef",
                    text.length());
        }

        @Override
        public SnapshotInfo export(Path file, Path target) {
            throw new UnsupportedOperationException("not over REST");
        }

        @Override
        public SnapshotInfo importFile(Path file) {
            throw new UnsupportedOperationException("not over REST");
        }
    }

    private Reply call(String method, String path, Role role, String contentType, String body) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Authorization", "Bearer " + MemoryTokens.tokenFor(role));
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return dispatcher.dispatch(new DispatcherTest.Req(method, path, null, headers,
                body.getBytes(StandardCharsets.UTF_8), "10.0.0.1"));
    }

    private static void assertError(Reply reply, int status, String code) {
        assertEquals(status, reply.status(), () -> String.valueOf(reply.json()));
        assertEquals(code, ((Map<?, ?>) reply.map().get("error")).get("code"), () -> String.valueOf(reply.json()));
    }

    private static String message(Reply reply) {
        return String.valueOf(((Map<?, ?>) reply.map().get("error")).get("message"));
    }

    private String running(String name) {
        ContainerInfo c = runtime.create(new ContainerSpec(name, Path.of("/m/counter.wasm"), List.of("9"), Map.of(),
                List.of(), null, FakeRuntime.limits()), ContainerIO.DETACHED);
        runtime.start(c.id());
        return c.id();
    }

    @Test
    void everyRouteSaysUnavailableWithoutTheObserver() {
        String id = running("web");
        for (String[] r : new String[][] {{"POST", "/v1/containers/" + id + "/snapshot"}, {"GET", "/v1/snapshots"},
            {"GET", "/v1/snapshots/web-7.fsnap"}, {"POST", "/v1/snapshots/web-7.fsnap/restore"},
            {"DELETE", "/v1/snapshots/web-7.fsnap"}}) {
            Reply reply = call(r[0], r[1], Role.OPERATOR, null, "");
            assertError(reply, 503, "service_unavailable");
            assertTrue(message(reply).contains("observer"), message(reply));
        }
    }

    @Test
    void aSnapshotIsTakenListedInspectedRestoredAndDeleted() {
        services.snapshots = snapshots;
        services.snapshotDirectory = folder;
        String id = running("web");

        assertEquals(List.of(), call("GET", "/v1/snapshots", Role.VIEWER, null, "").map().get("snapshots"),
                "no folder yet: no snapshots");
        Reply taken = call("POST", "/v1/containers/" + id + "/snapshot", Role.OPERATOR, null, "");
        assertEquals(201, taken.status(), () -> String.valueOf(taken.json()));
        assertEquals("web-7.fsnap", taken.map().get("file"), "the file name only, not the node's folder");
        assertEquals("web", taken.map().get("containerName"));
        assertEquals(7L, taken.map().get("hostCalls"));
        assertEquals("ed25519:beef", taken.map().get("signer"));
        assertEquals(true, taken.map().get("signed"));
        assertEquals(List.of("counter.wasm", "9"), taken.map().get("argv"));
        String text = new String(Json.canonical(taken.json()), StandardCharsets.UTF_8);
        assertFalse(text.contains(dir.toString()), text);

        List<?> list = (List<?>) call("GET", "/v1/snapshots", Role.VIEWER, null, "").map().get("snapshots");
        assertEquals(1, list.size());
        assertEquals("web-7.fsnap", ((Map<?, ?>) list.get(0)).get("file"));

        Reply one = call("GET", "/v1/snapshots/web-7.fsnap", Role.VIEWER, null, "");
        assertEquals(200, one.status(), () -> String.valueOf(one.json()));
        assertEquals(65536L, one.map().get("memoryBytes"));

        Reply restored = call("POST", "/v1/snapshots/web-7.fsnap/restore", Role.OPERATOR, "application/json",
                "{\"name\":\"web2\"}");
        assertEquals(201, restored.status(), () -> String.valueOf(restored.json()));
        assertEquals("web2", restored.map().get("name"));
        assertEquals("running", restored.map().get("state"));
        assertEquals(folder.resolve("web-7.fsnap"), snapshots.lastRestored);

        Reply unnamed = call("POST", "/v1/snapshots/web-7.fsnap/restore", Role.OPERATOR, null, "");
        assertEquals(201, unnamed.status(), () -> String.valueOf(unnamed.json()));
        assertNull(snapshots.lastName, "no body: the runtime names it");

        assertError(call("POST", "/v1/snapshots/web-7.fsnap/restore", Role.OPERATOR, "application/json",
                "{\"name\":\"../x\"}"), 400, "invalid_field");
        Reply taken2 = call("POST", "/v1/snapshots/web-7.fsnap/restore", Role.OPERATOR, "application/json",
                "{\"name\":\"taken\"}");
        assertError(taken2, 422, "container_spec");
        assertEquals("web-7.fsnap: cannot be restored here: container name 'taken' is already used", message(taken2));
        assertError(call("POST", "/v1/snapshots/web-7.fsnap/restore", Role.OPERATOR, "application/json",
                "{\"name\":\"x\",\"start\":false}"), 400, "unknown_field");

        Reply deleted = call("DELETE", "/v1/snapshots/web-7.fsnap", Role.OPERATOR, null, "");
        assertEquals(200, deleted.status(), () -> String.valueOf(deleted.json()));
        assertEquals(true, deleted.map().get("removed"));
        assertFalse(Files.exists(folder.resolve("web-7.fsnap")));
        assertError(call("GET", "/v1/snapshots/web-7.fsnap", Role.VIEWER, null, ""), 404, "snapshot_not_found");
        assertError(call("DELETE", "/v1/snapshots/web-7.fsnap", Role.OPERATOR, null, ""), 404,
                "snapshot_not_found");
        assertError(call("POST", "/v1/snapshots/web-7.fsnap/restore", Role.OPERATOR, null, ""), 404,
                "snapshot_not_found");
    }

    @Test
    void snapshotsAnswer404ForUnknownAnd409ForStateOrIncompleteHistory() {
        services.snapshots = snapshots;
        services.snapshotDirectory = folder;
        assertError(call("POST", "/v1/containers/nope/snapshot", Role.OPERATOR, null, ""), 404,
                "container_not_found");

        String id = running("web");
        runtime.kill(id);
        Reply stopped = call("POST", "/v1/containers/" + id + "/snapshot", Role.OPERATOR, null, "");
        assertError(stopped, 409, "container_state");
        assertTrue(message(stopped).contains("stopped"), message(stopped));

        String other = running("db");
        snapshots.refuse = "its host-call history is incomplete (the observer started after it); run it again";
        Reply refused = call("POST", "/v1/containers/" + other + "/snapshot", Role.OPERATOR, null, "");
        assertError(refused, 409, "snapshot_refused");
        assertTrue(message(refused).contains("history is incomplete"), message(refused));
        assertFalse(Files.exists(folder), "nothing written");
    }

    @Test
    void damagedOrUntrustedFilesAre422AndNamesAreStrict() throws IOException {
        services.snapshots = snapshots;
        services.snapshotDirectory = folder;
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("broken.fsnap"), "garbage");
        Files.writeString(folder.resolve("foreign.fsnap"), "untrusted");
        Files.writeString(folder.resolve("notes.txt"), "not a snapshot");

        Reply broken = call("GET", "/v1/snapshots/broken.fsnap", Role.VIEWER, null, "");
        assertError(broken, 422, "snapshot_unusable");
        assertEquals("broken.fsnap: not a snapshot file (bad magic)", message(broken), "no host path in the message");
        Reply foreign = call("POST", "/v1/snapshots/foreign.fsnap/restore", Role.OPERATOR, null, "");
        assertError(foreign, 422, "snapshot_unusable");
        assertTrue(message(foreign).contains("does not trust"), message(foreign));
        assertEquals(0, runtime.containers.size(), "nothing restored");

        Files.writeString(folder.resolve("ok-3.fsnap"), "good ok 3");
        Map<?, ?> listed = call("GET", "/v1/snapshots", Role.VIEWER, null, "").map();
        List<?> list = (List<?>) listed.get("snapshots");
        assertEquals(1, list.size(), "the good .fsnap file: " + listed);
        assertEquals("ok-3.fsnap", ((Map<?, ?>) list.get(0)).get("file"));
        List<?> damaged = (List<?>) listed.get("damaged");
        assertEquals(2, damaged.size(), "the bad .fsnap files, not notes.txt: " + listed);
        assertEquals("broken.fsnap", ((Map<?, ?>) damaged.get(0)).get("file"));
        assertEquals("broken.fsnap: not a snapshot file (bad magic)", ((Map<?, ?>) damaged.get(0)).get("error"));

        assertError(call("GET", "/v1/snapshots/notes.txt", Role.VIEWER, null, ""), 400, "invalid_field");
        assertError(call("GET", "/v1/snapshots/..", Role.VIEWER, null, ""), 400, "invalid_id");
        assertError(call("GET", "/v1/snapshots/%2e%2e%2fsecret.fsnap", Role.VIEWER, null, ""), 404, "not_found");
        assertError(call("DELETE", "/v1/snapshots/missing.fsnap", Role.OPERATOR, null, ""), 404,
                "snapshot_not_found");
        assertThrows(ApiError.class, () -> SnapshotRoutes.resolve(folder, "../x.fsnap"));
        assertThrows(ApiError.class, () -> SnapshotRoutes.resolve(folder, ".hidden.fsnap"));
        assertThrows(ApiError.class, () -> SnapshotRoutes.resolve(folder, "a/b.fsnap"));
        assertEquals(folder.resolve("a..b.fsnap"), SnapshotRoutes.resolve(folder, "a..b.fsnap"));
        assertTrue(Files.exists(folder.resolve("notes.txt")), "a DELETE never reaches other files");
    }

    @Test
    void theFolderFollowsTheObserversConfiguration() {
        RestOptions options = new RestOptions("127.0.0.1", 0, 4, 4096, 64 * 1024, dir, "", null, 3,
                Duration.ofSeconds(60), 2, Duration.ofMillis(10), Duration.ofSeconds(5), 2, false, "need");
        assertEquals(dir.resolve("snapshots").toAbsolutePath().normalize(), options.snapshotDirectory(""));
        assertEquals(dir.resolve("elsewhere").toAbsolutePath(),
                options.snapshotDirectory(dir.resolve("elsewhere").toString()));
    }
}
