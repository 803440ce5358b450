package io.forgeone.api.metrics;

import java.io.IOException;
import java.io.OutputStream;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The node's metrics in a scrape format, gathered when they are written (nothing is pushed as calls happen).
 * Published by the metrics bundle; the REST bundle serves it at {@code GET /metrics}.
 */
@ProviderType
public interface MetricsExposition {

    /** The exposition's media type, for a {@code Content-Type} header. */
    String contentType();

    /**
     * Gathers the metrics now and writes them. Does not close {@code out}.
     *
     * @throws IOException when writing to {@code out} fails
     */
    void write(OutputStream out) throws IOException;
}
