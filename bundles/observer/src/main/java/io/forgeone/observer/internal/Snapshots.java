package io.forgeone.observer.internal;

import io.forgeone.api.container.ContainerException;
import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerImage;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.observe.HostCallRecorder;
import io.forgeone.api.observe.SnapshotException;
import io.forgeone.api.observe.SnapshotInfo;
import io.forgeone.api.observe.SnapshotService;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots: takes a held container's image from the kernel and its complete host-call history from the observer's
 * recording, and writes both to one file; restores by having the kernel re-execute that history (see
 * {@link SnapshotJournal}) in a new container and waiting until it has proved the snapshot's state.
 */
@Component(service = SnapshotService.class, configurationPid = "io.forgeone.observer")
public final class Snapshots implements SnapshotService {
    private static final Logger LOG = LoggerFactory.getLogger(Snapshots.class);
    /** How long a running container may take to reach a host call for its snapshot. */
    static final Duration PAUSE_WAIT = Duration.ofSeconds(10);

    private final ContainerRuntime runtime;
    private final Observer observer;
    private final Path snapshotDir;
    private final long restoreTimeoutMs;
    private final SnapshotSigner signer;

    @Activate
    public Snapshots(ObserverConfig config, BundleContext context, @Reference ContainerRuntime runtime,
            @Reference(target = "(component.name=io.forgeone.observer.internal.Observer)") HostCallRecorder recorder,
            @Reference SnapshotSigner signer) {
        this(config, snapshotDir(config.snapshot_dir(), context.getProperty("forge.var")), runtime, observer(recorder),
                signer);
    }

    Snapshots(ObserverConfig config, Path snapshotDir, ContainerRuntime runtime, Observer observer,
            SnapshotSigner signer) {
        this.runtime = runtime;
        this.observer = observer;
        this.snapshotDir = snapshotDir;
        this.restoreTimeoutMs = Math.max(1, config.restore_timeout_s()) * 1000L;
        this.signer = signer;
    }

    private static Observer observer(HostCallRecorder recorder) {
        if (recorder instanceof Observer o) {
            return o;
        }
        throw new IllegalStateException("snapshots need the observer's own recorder, got " + recorder);
    }

    static Path snapshotDir(String configured, String var) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(var == null ? "." : var).resolve("snapshots");
    }

    Path snapshotDir() {
        return snapshotDir;
    }

    // ---- snapshot ---------------------------------------------------------------------------------------------

    @Override
    public SnapshotInfo snapshot(String container, Path file) {
        ContainerInfo info = state(container);
        boolean pausedHere = false;
        if (info.state() == ContainerState.RUNNING) {
            try {
                info = runtime.pause(info.id());
            } catch (ContainerException e) {
                throw new SnapshotException("container " + info.name() + " cannot be paused for a snapshot: "
                        + e.getMessage(), e);
            }
            info = awaitHeld(info);
            pausedHere = info.state() == ContainerState.PAUSED;
            if (!pausedHere) {
                if (info.state() == ContainerState.RUNNING) {
                    // it did not reach a host call in time; do not leave it to pause later on its own
                    resumeQuietly(info);
                    throw new SnapshotException("container " + info.name() + " made no host call within "
                            + PAUSE_WAIT.toSeconds() + " s; snapshots are taken at a host call, try again when it"
                            + " makes one (it runs on, unpaused)");
                }
                throw new SnapshotException("container " + info.name() + " is " + word(info.state())
                        + "; it ended before it reached a host call");
            }
        } else if (info.state() != ContainerState.PAUSED && info.state() != ContainerState.QUARANTINED) {
            throw new SnapshotException("container " + info.name() + " is " + word(info.state())
                    + "; only a running, paused or quarantined container can be snapshotted");
        }
        try {
            return write(info, file);
        } finally {
            if (pausedHere) {
                resumeQuietly(info);
            }
        }
    }

    /** A pause takes effect at the guest's next host call: waits for it a while longer than the runtime does. */
    private ContainerInfo awaitHeld(ContainerInfo info) {
        long deadline = System.nanoTime() + PAUSE_WAIT.toNanos();
        ContainerInfo now = info;
        while (now.state() == ContainerState.RUNNING && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            now = runtime.state(info.id());
        }
        return now;
    }

    private SnapshotInfo write(ContainerInfo info, Path file) {
        ContainerImage image;
        try {
            image = runtime.capture(info.id());
        } catch (ContainerException e) {
            throw new SnapshotException("container " + info.name() + ": " + e.getMessage(), e);
        } catch (io.forgeone.api.engine.EngineException e) {
            throw new SnapshotException("container " + info.name() + ": its instance cannot be captured: "
                    + e.getMessage(), e);
        }
        List<RawCall> calls = observer.history(image.containerId(), image.name(), image.hostCalls());
        List<HostFunction> functions = observer.runFunctions(image.containerId());
        List<SnapshotFile.Function> names = new ArrayList<>(functions.size());
        for (HostFunction f : functions) {
            names.add(new SnapshotFile.Function(f.module(), f.name()));
        }
        List<SnapshotFile.Call> history = new ArrayList<>(calls.size());
        for (RawCall c : calls) {
            if (c.function() < 0 || c.function() >= names.size()) {
                throw new SnapshotException("call #" + c.sequence() + " of container " + image.name()
                        + " names host function " + c.function() + ", which its recording does not list");
            }
            history.add(SnapshotFile.call(c));
        }
        SnapshotFile.Snapshot s = new SnapshotFile.Snapshot(image.containerId(), image.name(), image.engine(),
                image.moduleSha256(), Instant.now(), image.spec(), image.argv(), image.labels(), image.module(), names,
                history, image.instance(), image.wasi());
        Path target = file != null ? file : snapshotDir.resolve(image.name() + "-" + image.hostCalls()
                + SnapshotFile.EXTENSION);
        byte[] content = SnapshotFile.encode(s);
        byte[] digest = SnapshotFile.sha256(content, content.length);
        SnapshotSigner.Signature signature = signer.sign(digest);
        SnapshotFile.write(target, content, SnapshotFile.trailer(digest, signature.signer(), signature.bytes()));
        long size = content.length + SnapshotFile.trailer(digest, signature.signer(), signature.bytes()).length;
        LOG.info("Snapshot of container {} ({}) at host call #{} written to {} ({} bytes)", image.name(),
                image.containerId(), image.hostCalls(), target, size);
        return s.info(target, signature.signer(), size);
    }

    // ---- restore ----------------------------------------------------------------------------------------------

    @Override
    public ContainerInfo restore(Path file, String name, ContainerIO io) {
        SnapshotFile.Read read = readVerified(file);
        SnapshotFile.Snapshot s = read.snapshot();
        SnapshotJournal journal = new SnapshotJournal(file, s);
        ContainerImage image = new ContainerImage(s.containerId(), s.name(), s.spec(), s.argv(), s.module(),
                s.moduleSha256(), s.engine(), s.history().size(), s.instance(), s.wasi(), s.labels());
        ContainerInfo created;
        try {
            created = runtime.restore(image, name, journal, io);
        } catch (ContainerException | IllegalArgumentException e) {
            throw new SnapshotException(file + ": cannot be restored here: " + e.getMessage(), e);
        }
        try {
            runtime.start(created.id());
        } catch (ContainerException e) {
            deleteQuietly(created.id());
            throw new SnapshotException(file + ": the restored container cannot start: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + restoreTimeoutMs * 1_000_000L;
        try {
            while (!journal.awaitArrival(50)) {
                ContainerInfo now = runtime.state(created.id());
                if (now.state() == ContainerState.STOPPED && !journal.hasArrived()) {
                    deleteQuietly(created.id());
                    throw new SnapshotException(now.message().isEmpty() ? file + ": the restored container stopped ("
                            + now.stopReason() + ", exit " + now.exitCode() + ") before it reached the snapshot's call"
                            : now.message().startsWith(file.toString()) ? now.message() : file + ": " + now.message());
                }
                if (System.nanoTime() > deadline) {
                    runtime.kill(created.id());
                    deleteQuietly(created.id());
                    throw new SnapshotException(file + ": re-executing " + s.history().size() + " host calls took longer"
                            + " than " + restoreTimeoutMs / 1000 + " s (restore_timeout_s); stopped");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runtime.kill(created.id());
            deleteQuietly(created.id());
            throw new SnapshotException(file + ": restore interrupted", e);
        }
        LOG.info("Container {} restored from {} at host call #{}", created.name(), file, s.history().size());
        return runtime.state(created.id());
    }

    @Override
    public SnapshotInfo inspect(Path file) {
        SnapshotFile.Read read = readVerified(file);
        return read.snapshot().info(file, read.signer(), read.fileBytes());
    }

    @Override
    public SnapshotInfo export(Path file, Path target) {
        SnapshotFile.Read read = readVerified(file);
        if (read.signer().isEmpty()) {
            throw new SnapshotException(file + ": the snapshot is not signed (this node has no crypto bundle), so no"
                    + " other node would import it");
        }
        copy(file, target);
        signer.publicKeyPem().ifPresent(pem -> {
            Path key = target.resolveSibling(target.getFileName() + ".pub.pem");
            try {
                java.nio.file.Files.writeString(key, pem, java.nio.charset.StandardCharsets.US_ASCII);
            } catch (java.io.IOException e) {
                throw new SnapshotException(key + ": cannot write the node's public key: " + e.getMessage(), e);
            }
        });
        return read.snapshot().info(target, read.signer(), read.fileBytes());
    }

    @Override
    public SnapshotInfo importFile(Path file) {
        SnapshotFile.Read read = SnapshotFile.read(file);
        if (read.signer().isEmpty()) {
            throw new SnapshotException(file + ": the snapshot is not signed; only signed snapshots are imported");
        }
        signer.verify(file, read.signer(), read.signedDigest(), read.signature());
        Path name = file.getFileName();
        Path target = snapshotDir.resolve(name == null ? "imported" + SnapshotFile.EXTENSION : name.toString());
        if (java.nio.file.Files.exists(target)) {
            throw new SnapshotException(target + " already exists; remove it or rename the file to import");
        }
        copy(file, target);
        LOG.info("Imported snapshot {} signed by {} as {}", file, read.signer(), target);
        return read.snapshot().info(target, read.signer(), read.fileBytes());
    }

    private static void copy(Path file, Path target) {
        try {
            Path dir = target.toAbsolutePath().getParent();
            java.nio.file.Files.createDirectories(dir);
            Path tmp = java.nio.file.Files.createTempFile(dir, ".snapshot", ".tmp");
            try {
                java.nio.file.Files.copy(file, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                java.nio.file.Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } finally {
                java.nio.file.Files.deleteIfExists(tmp);
            }
        } catch (java.io.IOException e) {
            throw new SnapshotException(target + ": cannot write: " + e.getMessage(), e);
        }
    }

    private SnapshotFile.Read readVerified(Path file) {
        SnapshotFile.Read read = SnapshotFile.read(file);
        signer.verify(file, read.signer(), read.signedDigest(), read.signature());
        return read;
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private ContainerInfo state(String container) {
        try {
            return runtime.state(container);
        } catch (ContainerException e) {
            throw new SnapshotException(e.getMessage(), e);
        }
    }

    private void resumeQuietly(ContainerInfo info) {
        try {
            runtime.resume(info.id());
        } catch (ContainerException e) {
            LOG.debug("Container {} was not resumed after its snapshot: {}", info.name(), e.getMessage(), e);
        }
    }

    private void deleteQuietly(String id) {
        try {
            ContainerInfo info = runtime.state(id);
            if (info.state() != ContainerState.STOPPED && info.state() != ContainerState.CREATED) {
                runtime.kill(id);
                runtime.await(id, Duration.ofSeconds(5));
            }
            runtime.delete(id);
        } catch (ContainerException e) {
            LOG.debug("Restored container {} could not be removed: {}", id, e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String word(ContainerState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
