package io.forgeone.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.container.StopReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The node's container JSON read back, and the tables printed from it. */
class ContainerTableTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    /** What ContainerRoutes.json writes for a stopped container. */
    private static final String STOPPED = "{\"id\":\"c0ffee0123456789\",\"name\":\"hello-1\",\"state\":\"stopped\","
            + "\"module\":\"ab.wasm\",\"moduleSha256\":\"ab\",\"args\":[\"ab.wasm\",\"x\"],\"engine\":\"chicory\","
            + "\"executionMode\":\"COMPILED\",\"executionNote\":\"\",\"limits\":{\"maxMemoryPages\":64,"
            + "\"wallTimeoutMs\":30000,\"logBufferBytes\":1048576},\"createdAt\":\"2026-01-01T11:58:00Z\","
            + "\"startedAt\":\"2026-01-01T11:58:01Z\",\"finishedAt\":\"2026-01-01T11:59:00Z\",\"exitCode\":3,"
            + "\"stopReason\":\"exited\",\"message\":\"\",\"hostCalls\":12,\"deniedHostCalls\":1}";

    private static ContainerInfo parse(String json) {
        return ContainerTable.info((Map<?, ?>) JsonReader.parse(json));
    }

    @Test
    void readsWhatTheNodeWrites() {
        ContainerInfo c = parse(STOPPED);
        assertEquals("c0ffee0123456789", c.id());
        assertEquals(ContainerState.STOPPED, c.state());
        assertEquals(StopReason.EXITED, c.stopReason());
        assertEquals(3, c.exitCode());
        assertEquals(List.of("ab.wasm", "x"), c.args());
        assertEquals(64, c.limits().maxMemoryPages());
        assertEquals(Duration.ofSeconds(30), c.limits().wallTimeout());
        assertEquals(12, c.hostCalls());
        assertEquals(-1, c.trustScore(), "the node does not send one: not kept");
        assertNull(c.suspendedAt());
        assertEquals("Exited (3) 1m ago", ContainerTable.status(c, NOW));
    }

    @Test
    void statusesAsTheShellWritesThem() {
        String running = STOPPED.replace("\"stopped\"", "\"running\"").replace("\"exitCode\":3", "\"exitCode\":null")
                .replace("\"stopReason\":\"exited\"", "\"stopReason\":null");
        assertEquals("Up 1m", ContainerTable.status(parse(running), NOW));
        assertEquals("Up 1m (Paused)", ContainerTable.status(parse(running.replace("\"running\"", "\"paused\"")), NOW));
        assertEquals("Quarantined 5s ago", ContainerTable.status(parse(running.replace("\"running\"", "\"quarantined\"")
                .replace("\"message\"", "\"suspendedAt\":\"2026-01-01T11:59:55Z\",\"message\"")), NOW));
        assertEquals("Created", ContainerTable.status(parse(running.replace("\"running\"", "\"created\"")), NOW));
        assertEquals("Killed (137) 1m ago", ContainerTable.status(parse(STOPPED.replace("\"exited\"", "\"killed\"")
                .replace("\"exitCode\":3", "\"exitCode\":137")), NOW));
        assertEquals("Failed (3) 1m ago", ContainerTable.status(parse(STOPPED.replace("\"exited\"", "\"new_reason\"")),
                NOW), "a reason a newer node adds is shown as a failure, not an error");
    }

    @Test
    void theTableHasTheShellsColumns() {
        String table = ContainerTable.table(List.of(parse(STOPPED)), NOW);
        assertEquals(String.format("%-16s  %-24s  %-11s  %-8s  %-22s  %s%n", "ID", "NAME", "STATE", "ENGINE", "STATUS",
                "MODULE") + String.format("%-16s  %-24s  %-11s  %-8s  %-22s  %s%n", "c0ffee0123456789", "hello-1",
                "stopped", "chicory", "Exited (3) 1m ago", "ab.wasm"), table);
    }

    @Test
    void malformedContainersAreTheNodesFault() {
        NodeException noId = assertThrows(NodeException.class, () -> parse("{\"name\":\"x\",\"state\":\"running\"}"));
        assertEquals(NodeException.BAD_ANSWER, noId.code());
        NodeException state = assertThrows(NodeException.class, () -> parse(STOPPED.replace("\"stopped\"", "\"odd\"")));
        assertTrue(state.getMessage().contains("'odd'"), state.getMessage());
        NodeException time = assertThrows(NodeException.class,
                () -> parse(STOPPED.replace("2026-01-01T11:59:00Z", "yesterday")));
        assertEquals("finishedAt", time.field());
    }

    @Test
    void statsTable() {
        String table = ContainerTable.stats(List.of(Map.of("id", "c0ffee0123456789", "name", "web", "state", "running",
                "uptimeMs", 185_000L, "hostCalls", 42L, "deniedHostCalls", 0L, "stdoutBytes", 1536L, "stderrBytes", 0L)));
        List<String> lines = table.lines().toList();
        assertEquals(2, lines.size(), table);
        assertTrue(lines.get(0).startsWith("ID                NAME"), table);
        assertTrue(lines.get(1).matches("c0ffee0123456789  web +running +3m5s +42 +0 +1\\.5KiB +0B"), table);
        assertEquals("850ms", ContainerTable.uptime(850));
        assertEquals("2h5m", ContainerTable.uptime(Duration.ofMinutes(125).toMillis()));
        assertEquals("1d3h", ContainerTable.uptime(Duration.ofHours(27).toMillis()));
        assertEquals("12.0MiB", ContainerTable.bytes(12L << 20));
    }
}
