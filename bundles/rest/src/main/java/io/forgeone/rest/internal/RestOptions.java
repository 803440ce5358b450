package io.forgeone.rest.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The REST configuration, checked and copied once.
 *
 * @param host the address to bind
 * @param port the port (0: any free one)
 * @param threads worker threads
 * @param maxJsonBytes the largest JSON request body
 * @param maxUploadBytes the largest package or module upload
 * @param varBase the node's variable-data folder ({@code forge.var}), which relative folders are taken from
 * @param packageDirectory the package store's folder as configured here, or blank to follow the store's own
 * @param moduleDirectory where uploaded bare modules are kept, or {@code null} when bare modules are refused
 * @param maxAuthFailures failed authentications from one address within {@code authWindow} before it is refused
 * @param authWindow the window of {@code maxAuthFailures}, also how long an address stays refused
 * @param maxStreams how many log streams may be open at once
 * @param streamPoll how often a log stream looks for new output
 * @param requestTimeout how long a client may take to send a request body
 * @param maxUploads how many uploads may be read at once (each holds its body in memory)
 * @param tls whether to serve HTTPS
 * @param clientAuth with TLS: {@code need}, {@code want} or {@code none} client certificates
 * @param metricsOpen whether {@code GET /metrics} is served without a token
 */
record RestOptions(String host, int port, int threads, int maxJsonBytes, long maxUploadBytes, Path varBase, String packageDirectory,
        Path moduleDirectory, int maxAuthFailures, Duration authWindow, int maxStreams, Duration streamPoll,
        Duration requestTimeout, int maxUploads, boolean tls, String clientAuth, boolean metricsOpen) {

    /** Options with {@code GET /metrics} behind a viewer token. */
    RestOptions(String host, int port, int threads, int maxJsonBytes, long maxUploadBytes, Path varBase,
            String packageDirectory, Path moduleDirectory, int maxAuthFailures, Duration authWindow, int maxStreams,
            Duration streamPoll, Duration requestTimeout, int maxUploads, boolean tls, String clientAuth) {
        this(host, port, threads, maxJsonBytes, maxUploadBytes, varBase, packageDirectory, moduleDirectory,
                maxAuthFailures, authWindow, maxStreams, streamPoll, requestTimeout, maxUploads, tls, clientAuth, false);
    }

    RestOptions {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (threads < 2 || threads > 256) {
            throw new IllegalArgumentException("threads must be 2..256, was " + threads);
        }
        if (maxJsonBytes < 1024) {
            throw new IllegalArgumentException("max.json.bytes must be at least 1024, was " + maxJsonBytes);
        }
        if (maxUploadBytes < 1024 || maxUploadBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("max.upload.bytes must be 1024.." + (Integer.MAX_VALUE - 16) + ", was "
                    + maxUploadBytes);
        }
        Objects.requireNonNull(varBase, "varBase");
        Objects.requireNonNull(packageDirectory, "packageDirectory");
        if (maxAuthFailures < 1) {
            throw new IllegalArgumentException("auth.max.failures must be at least 1, was " + maxAuthFailures);
        }
        Objects.requireNonNull(authWindow, "authWindow");
        if (maxStreams < 0) {
            throw new IllegalArgumentException("max.streams must not be negative, was " + maxStreams);
        }
        Objects.requireNonNull(streamPoll, "streamPoll");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (maxUploads < 1) {
            throw new IllegalArgumentException("max.uploads must be at least 1, was " + maxUploads);
        }
        if (!java.util.Set.of("need", "want", "none").contains(clientAuth)) {
            throw new IllegalArgumentException("client.auth must be need, want or none, was '" + clientAuth + "'");
        }
    }

    /**
     * The folder of stored packages: the one configured here, else the package store's {@code directory} service
     * property (its configuration), else its default {@code packages}; relative to {@link #varBase()}.
     */
    Path packageDirectory(Object storeDirectory) {
        String dir = !packageDirectory.isBlank() ? packageDirectory
                : storeDirectory instanceof String s && !s.isBlank() ? s : "packages";
        return varBase.resolve(dir).toAbsolutePath().normalize();
    }

    /**
     * The snapshot service's folder: its {@code snapshot.dir} property (the observer's configuration) when set,
     * else {@code snapshots} in {@link #varBase()}, as the observer decides it (a relative {@code snapshot.dir} is
     * taken from the working folder, as the observer takes it).
     */
    Path snapshotDirectory(Object configured) {
        if (configured instanceof String s && !s.isBlank()) {
            return Path.of(s).toAbsolutePath().normalize();
        }
        return varBase.resolve("snapshots").toAbsolutePath().normalize();
    }
}
