package io.forgeone.rest.internal;

import io.forgeone.api.auth.Role;
import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.observe.SnapshotException;
import io.forgeone.api.observe.SnapshotInfo;
import io.forgeone.api.observe.SnapshotService;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots from the observer: take one of a container into the node's snapshot folder, list and inspect the files
 * there, restore one into a new container (started, detached) and delete one. Files are named by their file name
 * only, checked strictly and resolved inside the snapshot folder; where the node keeps them is not the client's
 * business.
 */
final class SnapshotRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotRoutes.class);
    static final String EXTENSION = ".fsnap";
    /** A snapshot file's name: no separators, no leading dot (so no {@code ..}), ending {@code .fsnap}. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,121}\\.fsnap");

    private final NodeServices services;

    SnapshotRoutes(NodeServices services) {
        this.services = services;
    }

    void register(Routes routes) {
        routes.add("POST", "/v1/containers/{id}/snapshot", Role.OPERATOR, Route.Body.NONE, this::snapshot)
                .add("GET", "/v1/snapshots", Role.VIEWER, Route.Body.NONE, this::list)
                .add("GET", "/v1/snapshots/{name}", Role.VIEWER, Route.Body.NONE, this::inspect)
                .add("POST", "/v1/snapshots/{name}/restore", Role.OPERATOR, Route.Body.JSON, this::restore)
                .add("DELETE", "/v1/snapshots/{name}", Role.OPERATOR, Route.Body.NONE, this::delete)
                .add("GET", "/v1/snapshots/{name}/file", Role.OPERATOR, Route.Body.NONE, this::download)
                .add("PUT", "/v1/snapshots/{name}", Role.OPERATOR, Route.Body.UPLOAD, this::upload);
    }

    /**
     * The file itself, checked first (a damaged or unverifiable file is 422, never sent), for another node: PUT it
     * there. Operator, not viewer: a snapshot holds the container's whole memory.
     */
    Reply download(Call call) {
        SnapshotService snapshots = services.snapshots();
        Path file = existing(call);
        unusable(() -> snapshots.inspect(file));
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw notFound(file.getFileName().toString());
        } catch (IOException e) {
            throw new ApiError(500, "snapshot_error", "snapshot " + file.getFileName() + " cannot be read: "
                    + e.getClass().getSimpleName(), null, null, e);
        }
        LOG.info("{} downloaded snapshot {} ({} bytes)", caller(call), file.getFileName(), bytes.length);
        return Reply.bytes("application/octet-stream", bytes);
    }

    /**
     * Takes in a snapshot file from another node (the body, as GET .../file gave it) under {@code name}: it must be
     * signed by a key this node trusts (forge trust add), as {@code forge snapshot import} requires; 409 when the
     * name is taken.
     */
    Reply upload(Call call) {
        SnapshotService snapshots = services.snapshots();
        Path dir = services.snapshotDirectory();
        String name = call.param("name");
        Path target = resolve(dir, name);
        if (call.body().length == 0) {
            throw new ApiError(400, "missing_body", "send the .fsnap file's bytes as the request body", "body");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new ApiError(409, "snapshot_exists", "snapshot " + name + " is already in the node's snapshot folder;"
                    + " delete it first or upload under another name", "name");
        }
        Path staging = null;
        SnapshotInfo info;
        try {
            Files.createDirectories(dir);
            staging = Files.createTempDirectory(dir, ".upload");
            Path file = staging.resolve(name);
            Files.write(file, call.body());
            info = snapshots.importFile(file);
        } catch (SnapshotException e) {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                // uploaded under the same name meanwhile
                throw new ApiError(409, "snapshot_exists", "snapshot " + name + " is already in the node's snapshot"
                        + " folder", "name", null, e);
            }
            // the observer names the staged file by its path: the client gets the name it uploaded
            String message = ApiError.hideFolders(e.getMessage(), java.util.Arrays.asList(staging,
                    services.snapshotDirectory));
            throw new ApiError(422, "snapshot_unusable", message, "body", null, e);
        } catch (IOException e) {
            throw new ApiError(500, "snapshot_error", "the upload cannot be staged: " + e.getClass().getSimpleName(),
                    null, null, e);
        } finally {
            deleteQuietly(staging);
        }
        LOG.info("{} uploaded snapshot {} signed by {}", caller(call), name, info.signer());
        return Reply.created(json(info));
    }

    private static void deleteQuietly(Path staging) {
        if (staging == null) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(staging)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(staging);
        } catch (IOException e) {
            LOG.warn("Cannot remove the upload folder {}: {}", staging, e.getMessage());
        }
    }

    Reply snapshot(Call call) {
        SnapshotService snapshots = services.snapshots();
        ContainerRuntime runtime = services.containers();
        String id = call.param("id");
        ContainerInfo info = ContainerRoutes.guard(() -> runtime.state(id)); // 404 for an unknown id
        ContainerState state = info.state();
        if (state != ContainerState.RUNNING && state != ContainerState.PAUSED
                && state != ContainerState.QUARANTINED) {
            throw new ApiError(409, "container_state", "container " + info.name() + " is "
                    + state.name().toLowerCase(Locale.ROOT)
                    + "; only a running, paused or quarantined container can be snapshotted");
        }
        SnapshotInfo taken;
        try {
            // null: the observer writes it into its snapshot folder as NAME-CALLS.fsnap
            taken = snapshots.snapshot(info.id(), null);
        } catch (SnapshotException e) {
            throw new ApiError(409, "snapshot_refused", hideFolder(e.getMessage()), "id", null, e);
        }
        LOG.info("{} took snapshot {} of container {} ({}) at host call #{}", caller(call), fileName(taken.file()),
                info.id(), info.name(), taken.hostCalls());
        return Reply.created(json(taken));
    }

    Reply list(Call call) {
        SnapshotService snapshots = services.snapshots();
        Path dir = services.snapshotDirectory();
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + EXTENSION)) {
                for (Path p : stream) {
                    if (NAME.matcher(p.getFileName().toString()).matches()
                            && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        files.add(p);
                    }
                }
            } catch (IOException e) {
                throw new ApiError(500, "snapshot_error", "the snapshot folder cannot be read: " + e.getMessage(),
                        null, null, e);
            }
        }
        files.sort(null);
        List<Object> out = new ArrayList<>();
        List<Object> damaged = new ArrayList<>();
        for (Path p : files) {
            try {
                out.add(json(snapshots.inspect(p)));
            } catch (SnapshotException e) {
                // listed apart, with why it cannot be used: a damaged or untrusted file should be seen, not hidden
                Map<String, Object> bad = new LinkedHashMap<>();
                bad.put("file", p.getFileName().toString());
                bad.put("error", hideFolder(e.getMessage()));
                damaged.add(bad);
            }
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("snapshots", out);
        reply.put("damaged", damaged);
        return Reply.ok(reply);
    }

    Reply inspect(Call call) {
        SnapshotService snapshots = services.snapshots();
        Path file = existing(call);
        return Reply.ok(json(unusable(() -> snapshots.inspect(file))));
    }

    Reply restore(Call call) {
        SnapshotService snapshots = services.snapshots();
        JsonObject body = call.json().only(java.util.Set.of("name"));
        String name = body.string("name", Routes.ID, "1..128 of [A-Za-z0-9._-] starting with a letter or digit")
                .orElse(null);
        services.containers(); // 503 before any work when there is no runtime to restore into
        Path file = existing(call);
        ContainerInfo info;
        try {
            info = snapshots.restore(file, name, ContainerIO.DETACHED);
        } catch (SnapshotException e) {
            if (e.getCause() instanceof io.forgeone.api.container.ContainerSpecException) {
                // the runtime refused the new container (its name is taken, no such engine): as POST /v1/containers
                throw new ApiError(422, "container_spec", hideFolder(e.getMessage()), name == null ? null : "name",
                        null, e);
            }
            throw new ApiError(422, "snapshot_unusable", hideFolder(e.getMessage()), "name", null, e);
        }
        LOG.info("{} restored container {} ({}) from snapshot {}", caller(call), info.id(), info.name(),
                file.getFileName());
        return Reply.created(ContainerRoutes.json(info));
    }

    Reply delete(Call call) {
        services.snapshots();
        Path file = existing(call);
        try {
            Files.delete(file);
        } catch (NoSuchFileException e) {
            throw notFound(file.getFileName().toString());
        } catch (IOException e) {
            throw new ApiError(500, "snapshot_error", "snapshot " + file.getFileName() + " cannot be deleted: "
                    + e.getClass().getSimpleName(), null, null, e);
        }
        LOG.info("{} deleted snapshot {}", caller(call), file.getFileName());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", file.getFileName().toString());
        out.put("removed", true);
        return Reply.ok(out);
    }

    /** The named file inside the snapshot folder: 400 for a bad name, 404 when it is not there. */
    private Path existing(Call call) {
        String name = call.param("name");
        Path file = resolve(services.snapshotDirectory(), name);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw notFound(name);
        }
        return file;
    }

    /** Resolves a client's file name inside {@code dir}, refusing anything that is not a plain snapshot name. */
    static Path resolve(Path dir, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiError.badField("name", "a snapshot name is at most 128 of [A-Za-z0-9._-] starting with a letter or digit and"
                    + " ending .fsnap, was '" + Routes.printable(name == null ? "" : name) + "'");
        }
        Path base = dir.toAbsolutePath().normalize();
        Path file = base.resolve(name).normalize();
        if (!base.equals(file.getParent())) {
            throw ApiError.badField("name", "snapshot name '" + Routes.printable(name)
                    + "' does not name a file in the snapshot folder");
        }
        return file;
    }

    private static ApiError notFound(String name) {
        return new ApiError(404, "snapshot_not_found", "no snapshot " + name + " in the node's snapshot folder",
                "name");
    }

    /** A file the observer will not use (damaged, unverified, untrusted, or not restorable here): 422. */
    private <T> T unusable(java.util.function.Supplier<T> op) {
        try {
            return op.get();
        } catch (SnapshotException e) {
            throw new ApiError(422, "snapshot_unusable", hideFolder(e.getMessage()), "name", null, e);
        }
    }

    /** The observer's messages name files by their path: the client gets the file names only. */
    private String hideFolder(String message) {
        return ApiError.hideFolders(message, java.util.Collections.singletonList(services.snapshotDirectory));
    }

    private static String caller(Call call) {
        return call.caller() == null ? "?" : call.caller().id();
    }

    private static String fileName(Path file) {
        return file.getFileName() == null ? file.toString() : file.getFileName().toString();
    }

    static Map<String, Object> json(SnapshotInfo s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", fileName(s.file()));
        out.put("containerId", s.containerId());
        out.put("containerName", s.containerName());
        out.put("moduleSha256", s.moduleSha256());
        out.put("engine", s.engine());
        out.put("argv", List.copyOf(s.argv()));
        out.put("hostCalls", s.hostCalls());
        out.put("memoryBytes", s.memoryBytes());
        out.put("globals", (long) s.globals());
        out.put("descriptors", (long) s.descriptors());
        out.put("taken", s.taken().toString());
        out.put("signer", s.signer());
        out.put("signed", !s.signer().isEmpty());
        out.put("fileBytes", s.fileBytes());
        return out;
    }
}
