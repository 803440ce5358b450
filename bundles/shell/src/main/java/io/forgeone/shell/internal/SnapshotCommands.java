package io.forgeone.shell.internal;

import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.observe.SnapshotInfo;
import io.forgeone.api.observe.SnapshotService;
import java.nio.file.Path;
import java.util.Set;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code forge:snapshot} and {@code forge:restore}: snapshot a container at a host call into a file, look into a
 * snapshot file, and start a new container from one. Present when the observer bundle is installed.
 */
@Component(service = SnapshotCommands.class, property = {
    "osgi.command.scope=forge",
    "osgi.command.function=snapshot",
    "osgi.command.function=restore"
})
public final class SnapshotCommands {
    static final String SNAPSHOT_USAGE = "usage: forge:snapshot CONTAINER [FILE]     snapshot a running, paused or"
            + " quarantined container\n       forge:snapshot inspect FILE       what a snapshot file holds (checked and"
            + " verified)\nFILE defaults to var/snapshots/NAME-CALLS.fsnap. A running container is paused at its next"
            + " host call, snapshotted and resumed.";
    static final String RESTORE_USAGE = "usage: forge:restore [--name NAME] FILE\nStarts a new container from a"
            + " snapshot: it re-executes the recorded host calls without touching the host, proves its state equals the"
            + " snapshot's, then runs on, detached (forge:logs shows its output).";

    private final SnapshotService snapshots;

    @Activate
    public SnapshotCommands(@Reference SnapshotService snapshots) {
        this.snapshots = snapshots;
    }

    @Descriptor("Snapshot a container at a host call into a file, or inspect a snapshot file.\n" + SNAPSHOT_USAGE)
    public String snapshot(@Descriptor("CONTAINER [FILE] | inspect FILE") String... args) {
        ShellArgs parsed = ShellArgs.parse(args == null ? new String[0] : args, 0, Set.of(), Set.of("--help"));
        if (parsed.flag("--help")) {
            return SNAPSHOT_USAGE + "\n";
        }
        if (parsed.operands().isEmpty()) {
            throw new IllegalArgumentException("forge:snapshot needs a container\n" + SNAPSHOT_USAGE);
        }
        if (parsed.operands().get(0).equals("inspect")) {
            if (parsed.operands().size() != 2) {
                throw new IllegalArgumentException("forge:snapshot inspect takes one file\n" + SNAPSHOT_USAGE);
            }
            return describe(snapshots.inspect(Path.of(parsed.operands().get(1))));
        }
        if (parsed.operands().size() > 2) {
            throw new IllegalArgumentException("forge:snapshot takes a container and at most one file, got "
                    + parsed.operands() + "\n" + SNAPSHOT_USAGE);
        }
        Path file = parsed.operands().size() == 2 ? Path.of(parsed.operands().get(1)) : null;
        SnapshotInfo info = snapshots.snapshot(parsed.operands().get(0), file);
        return "snapshot of " + info.containerName() + " at host call #" + info.hostCalls() + " written to "
                + info.file() + " (" + info.fileBytes() + " bytes)\n";
    }

    @Descriptor("Start a new container from a snapshot file.\n" + RESTORE_USAGE)
    public String restore(@Descriptor("[--name NAME] FILE") String... args) {
        ShellArgs parsed = ShellArgs.parse(args == null ? new String[0] : args, 0, Set.of("--name"), Set.of("--help"));
        if (parsed.flag("--help")) {
            return RESTORE_USAGE + "\n";
        }
        if (parsed.operands().size() != 1) {
            throw new IllegalArgumentException("forge:restore takes one snapshot file\n" + RESTORE_USAGE);
        }
        ContainerInfo info = snapshots.restore(Path.of(parsed.operands().get(0)), parsed.value("--name"),
                ContainerIO.DETACHED);
        return "restored " + info.name() + " (" + info.id() + ") from " + parsed.operands().get(0) + ": "
                + info.state().name().toLowerCase(java.util.Locale.ROOT) + "\n";
    }

    static String describe(SnapshotInfo s) {
        StringBuilder out = new StringBuilder();
        out.append("file:        ").append(s.file()).append(" (").append(s.fileBytes()).append(" bytes)\n");
        out.append("container:   ").append(s.containerName()).append(" (").append(s.containerId()).append(")\n");
        out.append("taken:       ").append(s.taken()).append('\n');
        out.append("module:      sha256 ").append(s.moduleSha256()).append(" on ").append(s.engine()).append('\n');
        out.append("argv:        ").append(String.join(" ", s.argv())).append('\n');
        out.append("host calls:  ").append(s.hostCalls()).append(" (re-executed on restore)\n");
        out.append("memory:      ").append(s.memoryBytes()).append(" bytes, ").append(s.globals())
                .append(" globals\n");
        out.append("descriptors: ").append(s.descriptors()).append(" open\n");
        out.append("signed by:   ").append(s.signer().isEmpty() ? "(unsigned)" : s.signer()).append('\n');
        return out.toString();
    }
}
