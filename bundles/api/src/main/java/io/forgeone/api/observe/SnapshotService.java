package io.forgeone.api.observe;

import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Snapshots of containers, taken at a host call: the container's module, configuration, memory, globals, WASI
 * descriptor table and the recorded history of its host calls, in one compressed, checksummed file. Restoring
 * re-executes the module against the recorded calls (touching nothing of the host) up to the snapshot's call,
 * proves the state there equals the snapshot's, restores the descriptor table and runs on live. See
 * docs/snapshots.md.
 *
 * @since 1.1
 */
@ProviderType
public interface SnapshotService {

    /**
     * Snapshots a container. A paused or quarantined one is taken where it is held; a running one is paused at its
     * next host call, taken, and resumed.
     *
     * @param container id, name or unique id prefix
     * @param file where to write it, or {@code null} for the node's snapshot folder ({@code var/snapshots})
     * @throws SnapshotException when the container cannot be snapshotted (not running, its call history is
     *     incomplete: the message says how to make it snapshottable) or the file cannot be written
     */
    SnapshotInfo snapshot(String container, Path file);

    /**
     * Starts a new container from a snapshot file and waits until it has re-executed to the snapshot's call and
     * proved its state (then it runs on, live). Nothing is started when the file is damaged, does not verify, or the
     * re-execution does not reach the snapshot's state.
     *
     * @param name the new container's name, or {@code null} for one chosen by the runtime
     * @throws SnapshotException naming the file and what is wrong
     */
    ContainerInfo restore(Path file, String name, ContainerIO io);

    /**
     * Reads and verifies a snapshot file (checksums, signature when signed) without restoring it.
     *
     * @throws SnapshotException naming the file and what is wrong
     */
    SnapshotInfo inspect(Path file);

    /**
     * Copies a snapshot file to {@code target} for another node, after checking it and its signature; the file
     * carries this node's signature, and the node's public key is written next to it ({@code TARGET.pub.pem}) for
     * the other node's operator to trust.
     *
     * @throws SnapshotException when the file is damaged, unsigned or does not verify, or cannot be written
     */
    SnapshotInfo export(Path file, Path target);

    /**
     * Takes in a snapshot file from another node: checks it, requires a signature by a key in this node's trust
     * store (or this node's own), and copies it into the node's snapshot folder.
     *
     * @return the imported file's description (its new place)
     * @throws SnapshotException when the file is damaged, unsigned, signed by an untrusted or revoked key, or does
     *     not verify
     */
    SnapshotInfo importFile(Path file);
}
