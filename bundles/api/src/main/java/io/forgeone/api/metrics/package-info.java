/**
 * Metrics exposition: the node's per-container and per-node figures in the Prometheus text format.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.forgeone.api.metrics;
