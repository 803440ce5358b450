package io.forgeone.rest.internal;

import io.forgeone.api.auth.Role;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code GET /metrics}: the node's metrics for Prometheus, outside {@code /v1} where scrapers look for them. A viewer
 * token is needed unless {@code metrics.open} is set.
 */
final class MetricsRoute {
    private final NodeServices services;
    private final boolean open;

    MetricsRoute(NodeServices services, boolean open) {
        this.services = services;
        this.open = open;
    }

    void register(Routes routes) {
        routes.add("GET", "/metrics", open ? null : Role.VIEWER, Route.Body.NONE, this::metrics);
    }

    Reply metrics(Call call) {
        var metrics = services.metrics();
        // gathered whole before the status is sent, so a failure is a 500 rather than a cut-off 200
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            metrics.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the metrics exposition failed", e);
        }
        return Reply.bytes(metrics.contentType(), out.toByteArray());
    }
}
