package io.forgeone.rest.internal;

import io.forgeone.api.auth.TokenService;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.observe.TraceService;
import io.forgeone.api.pkg.PackageStore;
import io.forgeone.api.pkg.PackageVerifier;
import io.forgeone.api.policy.PolicyService;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The services the routes use. Every one but the token service may come and go while the node runs; a route
 * whose service is absent answers 503 {@code service_unavailable}.
 */
final class NodeServices {
    private final TokenService tokens;
    volatile ContainerRuntime containers;
    volatile PackageStore packages;
    volatile PackageVerifier verifier;
    volatile PolicyService policies;
    volatile io.forgeone.api.metrics.MetricsExposition metrics;
    volatile TraceService traces;
    volatile io.forgeone.api.observe.SnapshotService snapshots;
    /** The snapshot service's folder, set with {@link #snapshots}. */
    volatile Path snapshotDirectory;
    /** The node's CA; set once the server has it. */
    volatile io.forgeone.api.auth.NodeCertificates certificates;
    /** The package store's folder, set with {@link #packages}. */
    volatile Path packageDirectory;

    NodeServices(TokenService tokens) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    TokenService tokens() {
        return tokens;
    }

    ContainerRuntime containers() {
        ContainerRuntime c = containers;
        if (c == null) {
            throw ApiError.unavailable("the container runtime");
        }
        return c;
    }

    PackageStore packages() {
        PackageStore p = packages;
        if (p == null) {
            throw ApiError.unavailable("the package store");
        }
        return p;
    }

    /** Where the package store keeps {@code <id>.forgepkg}; 503 without a store. */
    Path packageDirectory() {
        packages();
        Path dir = packageDirectory;
        if (dir == null) {
            throw ApiError.unavailable("the package store");
        }
        return dir;
    }

    io.forgeone.api.auth.NodeCertificates certificates() {
        io.forgeone.api.auth.NodeCertificates c = certificates;
        if (c == null) {
            throw ApiError.unavailable("the node's certificate authority");
        }
        return c;
    }

    PackageVerifier verifier() {
        PackageVerifier v = verifier;
        if (v == null) {
            throw ApiError.unavailable("the package verifier");
        }
        return v;
    }

    TraceService traces() {
        TraceService t = traces;
        if (t == null) {
            throw ApiError.unavailable("the trace service (the observer bundle is not installed)");
        }
        return t;
    }

    io.forgeone.api.observe.SnapshotService snapshots() {
        io.forgeone.api.observe.SnapshotService s = snapshots;
        if (s == null) {
            throw ApiError.unavailable("the snapshot service (the observer bundle is not installed)");
        }
        return s;
    }

    /** Where the snapshot service keeps its {@code .fsnap} files; 503 without the service. */
    Path snapshotDirectory() {
        snapshots();
        Path dir = snapshotDirectory;
        if (dir == null) {
            throw ApiError.unavailable("the snapshot service (the observer bundle is not installed)");
        }
        return dir;
    }

    PolicyService policies() {
        PolicyService p = policies;
        if (p == null) {
            throw ApiError.unavailable("the policy service (no policy gate is installed)");
        }
        return p;
    }

    io.forgeone.api.metrics.MetricsExposition metrics() {
        io.forgeone.api.metrics.MetricsExposition m = metrics;
        if (m == null) {
            throw ApiError.unavailable("the metrics (bundle io.forgeone.metrics is not installed)");
        }
        return m;
    }
}
