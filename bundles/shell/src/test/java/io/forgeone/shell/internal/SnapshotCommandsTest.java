package io.forgeone.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerLimits;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.observe.SnapshotInfo;
import io.forgeone.api.observe.SnapshotService;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** forge:snapshot and forge:restore over a scripted snapshot service: arguments, what is asked, what is said. */
class SnapshotCommandsTest {
    private final List<String> asked = new ArrayList<>();

    private static SnapshotInfo info(Path file) {
        return new SnapshotInfo(file, "0123456789abcdef", "web-1", "ab".repeat(32), "chicory", List.of("app.wasm"),
                77, 131072, 3, 4, Instant.parse("2026-12-06T18:00:00Z"), "", 999);
    }

    private final SnapshotCommands commands = new SnapshotCommands(new SnapshotService() {
        @Override
        public SnapshotInfo snapshot(String container, Path file) {
            asked.add("snapshot " + container + " " + file);
            return info(file == null ? Path.of("var/snapshots/web-1-77.fsnap") : file);
        }

        @Override
        public ContainerInfo restore(Path file, String name, ContainerIO io) {
            asked.add("restore " + file + " " + name + " " + (io == ContainerIO.DETACHED));
            return new ContainerInfo("fedcba9876543210", name == null ? "web-1-abc" : name, ContainerState.RUNNING,
                    "app.wasm", "ab".repeat(32), List.of("app.wasm"), "chicory", "compiled", "",
                    ContainerLimits.DEFAULT, Instant.now(), Instant.now(), null, null, null, "", 0, 0, -1, null, "");
        }

        @Override
        public SnapshotInfo inspect(Path file) {
            asked.add("inspect " + file);
            return info(file);
        }

        @Override
        public SnapshotInfo export(Path file, Path target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SnapshotInfo importFile(Path file) {
            throw new UnsupportedOperationException();
        }
    });

    @Test
    void snapshotsAContainerToTheDefaultOrAGivenFile() {
        String out = commands.snapshot("web-1");
        assertTrue(out.contains("snapshot of web-1 at host call #77 written to var/snapshots/web-1-77.fsnap"), out);
        commands.snapshot("web-1", "/tmp/w.fsnap");
        assertEquals(List.of("snapshot web-1 null", "snapshot web-1 /tmp/w.fsnap"), asked);
    }

    @Test
    void inspectAndRestore() {
        assertTrue(commands.snapshot("inspect", "a.fsnap").contains("host calls:  77 (re-executed on restore)"));
        String restored = commands.restore("--name", "again", "a.fsnap");
        assertTrue(restored.startsWith("restored again (fedcba9876543210) from a.fsnap: running"), restored);
        assertEquals(List.of("inspect a.fsnap", "restore a.fsnap again true"), asked);
    }

    @Test
    void badArgumentsSayWhatIsExpected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.snapshot()).getMessage()
                .contains("usage: forge:snapshot"));
        assertThrows(IllegalArgumentException.class, () -> commands.snapshot("a", "b", "c"));
        assertThrows(IllegalArgumentException.class, () -> commands.snapshot("inspect"));
        assertThrows(IllegalArgumentException.class, () -> commands.restore());
        assertTrue(commands.restore("--help").contains("usage: forge:restore"));
        assertTrue(asked.isEmpty());
    }
}
