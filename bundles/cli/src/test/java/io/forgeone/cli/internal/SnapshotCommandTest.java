package io.forgeone.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.observe.SnapshotException;
import io.forgeone.api.observe.SnapshotInfo;
import io.forgeone.api.observe.SnapshotService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** forge snapshot: argument handling, exit codes and messages, over a scripted snapshot service. */
class SnapshotCommandTest {
    @TempDir
    Path dir;
    private final Console console = new Console();
    private final OptionalServices services = new OptionalServices(Duration.ZERO, OptionalServices.OBSERVER_BUNDLE);
    private SnapshotCommand command;
    private Path good;

    private SnapshotInfo info(Path file) {
        return new SnapshotInfo(file, "0123456789abcdef", "web-1", "ab".repeat(32), "chicory",
                List.of("app.wasm", "5"), 512, 131072, 3, 5, Instant.parse("2026-12-06T18:00:00Z"),
                "ed25519:" + "cd".repeat(32), 4242);
    }

    @BeforeEach
    void setUp() throws Exception {
        good = Files.writeString(dir.resolve("good.fsnap"), "x");
        Files.writeString(dir.resolve("bad.fsnap"), "x");
        services.bind(SnapshotService.class, new SnapshotService() {
            @Override
            public SnapshotInfo snapshot(String container, Path file) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ContainerInfo restore(Path file, String name, ContainerIO io) {
                throw new UnsupportedOperationException();
            }

            @Override
            public SnapshotInfo inspect(Path file) {
                if (file.getFileName().toString().equals("bad.fsnap")) {
                    throw new SnapshotException(file + ": checksum mismatch (stored SHA-256 aa, computed bb): the"
                            + " file is corrupted");
                }
                return info(file);
            }

            @Override
            public SnapshotInfo export(Path file, Path target) {
                return info(target);
            }

            @Override
            public SnapshotInfo importFile(Path file) {
                throw new SnapshotException(file + ": signed by key cd, which is neither this node's nor in its trust"
                        + " store");
            }
        });
        command = new SnapshotCommand(new FakeRuntime(), services, console.terminal, dir);
    }

    @Test
    void inspectShowsWhatTheFileHolds() {
        assertEquals(0, command.execute(List.of("inspect", "good.fsnap")), console.err());
        assertTrue(console.out().contains("host calls:  512 (re-executed on restore)"), console.out());
        assertTrue(console.out().contains("signed by:   ed25519:cdcd"), console.out());
    }

    @Test
    void aDamagedFileExitsOneNamingTheFileAndTheProblem() {
        assertEquals(1, command.execute(List.of("inspect", "bad.fsnap")));
        assertTrue(console.err().contains(dir.resolve("bad.fsnap") + ": checksum mismatch"), console.err());
        assertEquals(1, command.execute(List.of("import", "good.fsnap")));
        assertTrue(console.err().contains("neither this node's nor in its trust store"), console.err());
        assertEquals(1, command.execute(List.of("inspect", "missing.fsnap")));
        assertTrue(console.err().contains("missing.fsnap: no such snapshot file"), console.err());
    }

    @Test
    void exportNamesWhereTheFileAndKeyWent() {
        assertEquals(0, command.execute(List.of("export", "good.fsnap", "out/web.fsnap")), console.err());
        assertTrue(console.out().contains("exported " + dir.resolve("out/web.fsnap")), console.out());
        assertTrue(console.out().contains("web.fsnap.pub.pem"), console.out());
        assertEquals(good, dir.resolve("good.fsnap"));
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, command.execute(List.of()));
        assertEquals(2, command.execute(List.of("take", "web-1")));
        assertTrue(console.err().contains("forge:snapshot"), console.err());
        assertEquals(2, command.execute(List.of("inspect")));
        assertEquals(2, command.execute(List.of("export", "good.fsnap")));
        assertEquals(2, command.execute(List.of("init")));
        assertEquals(2, command.execute(List.of("init", "--bogus", "a.wasm")));
        assertEquals(2, command.execute(List.of("ls")));
        assertTrue(console.err().contains("forge --node URL snapshot CONTAINER|ls|inspect NAME|rm NAME"),
                "names the remote form: " + console.err());
        assertEquals(2, command.execute(List.of("inspect", "web-5120.fsnap", "--node", "http://n:1")));
        assertTrue(console.err().contains("--node goes before the command for a node's snapshots"), console.err());
        assertEquals(0, command.execute(List.of("--help")));
        assertTrue(console.out().contains("forge snapshot init [--export NAME]"), console.out());
        assertTrue(console.out().contains("forge --node URL restore NAME"), console.out());
    }
}
