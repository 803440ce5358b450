package io.forgeone.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerLogs;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.container.ContainerStats;
import io.forgeone.api.container.HostCallCount;
import io.forgeone.api.container.LatencyHistogram;
import io.forgeone.api.gate.Decision;
import io.forgeone.api.pkg.PackageStore;
import io.forgeone.api.pkg.PackageVerifier;
import io.forgeone.api.pkg.VerificationMode;
import io.forgeone.api.pkg.VerificationReport;
import io.forgeone.api.pkg.VerifiedPackage;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The collector against hand-made service figures: names, types, labels, values, and promtool's verdict. */
class NodeMetricsTest {
    private final StatsRuntime runtime = new StatsRuntime();
    private final AtomicReference<ContainerRuntime> containers = new AtomicReference<>(runtime);
    private final AtomicReference<PackageStore> packages = new AtomicReference<>(new ThreePackages());
    private final AtomicReference<PackageVerifier> verifier = new AtomicReference<>(new RejectingVerifier(2));

    private String scrape() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new NodeMetrics(containers::get, packages::get, verifier::get));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static ContainerStats hello(String id, ContainerState state) {
        return new ContainerStats(id, "hello-" + id, "hello", "chicory", state, 2_500_000_000L, 131072, 40_000_000,
                12, 345, 90, List.of(new HostCallCount("wasi_snapshot_preview1.fd_write", Decision.ALLOW, 3),
                        new HostCallCount("wasi_snapshot_preview1.path_open", Decision.DENY, 2),
                        new HostCallCount("wasi_snapshot_preview1.path_open", Decision.QUARANTINE, 1)));
    }

    @Test
    void perContainerFiguresCarryIdPackageAndEngine() throws Exception {
        runtime.stats.add(hello("c1", ContainerState.RUNNING));
        String text = scrape();
        String labels = "engine=\"chicory\",id=\"c1\",package=\"hello\"";
        assertLine(text, "forge_container_host_calls_total{call=\"wasi_snapshot_preview1.fd_write\",decision=\"allow\","
                + labels + "} 3.0");
        assertLine(text, "forge_container_host_calls_total{call=\"wasi_snapshot_preview1.path_open\",decision=\"deny\","
                + labels + "} 2.0");
        assertLine(text, "forge_container_host_calls_total{call=\"wasi_snapshot_preview1.path_open\","
                + "decision=\"quarantine\"," + labels + "} 1.0");
        assertLine(text, "forge_container_denied_host_calls_total{" + labels + "} 3.0");
        assertLine(text, "forge_container_memory_bytes{" + labels + "} 131072.0");
        assertLine(text, "forge_container_cpu_seconds_total{" + labels + "} 0.04");
        assertLine(text, "forge_container_read_bytes_total{" + labels + "} 12.0");
        assertLine(text, "forge_container_written_bytes_total{" + labels + "} 345.0");
        assertLine(text, "forge_container_uptime_seconds{" + labels + "} 2.5");
        assertLine(text, "forge_container_trust_score{" + labels + "} 90.0");
        assertLine(text, "forge_container_state{" + labels + ",state=\"running\"} 1.0");
        assertLine(text, "forge_container_state{" + labels + ",state=\"stopped\"} 0.0");
        assertLine(text, "forge_container_info{engine=\"chicory\",id=\"c1\",name=\"hello-c1\",package=\"hello\"} 1");
        assertTrue(text.contains("# TYPE forge_container_host_calls_total counter"), text);
        assertTrue(text.contains("# TYPE forge_container_memory_bytes gauge"), text);
        Promtool.check(text);
    }

    @Test
    void nodeFiguresCountContainersByStatePackagesAndRejections() throws Exception {
        runtime.stats.add(hello("c1", ContainerState.RUNNING));
        runtime.stats.add(hello("c2", ContainerState.STOPPED));
        runtime.stats.add(hello("c3", ContainerState.STOPPED));
        String text = scrape();
        assertLine(text, "forge_containers{state=\"running\"} 1.0");
        assertLine(text, "forge_containers{state=\"stopped\"} 2.0");
        assertLine(text, "forge_containers{state=\"quarantined\"} 0.0");
        assertLine(text, "forge_packages 3.0");
        assertLine(text, "forge_package_verification_failures_total 2.0");
        assertLine(text, "forge_metrics_source_up{source=\"containers\"} 1.0");
        Promtool.check(text);
    }

    @Test
    void gateLatencyIsAHistogramInSeconds() throws Exception {
        runtime.latency = new LatencyHistogram(List.of(25e-9, 50e-9, 1e-6), List.of(4L, 3L, 2L, 1L), 0.5);
        String text = scrape();
        assertTrue(text.contains("# TYPE forge_gate_decision_duration_seconds histogram"), text);
        // buckets are cumulative in the exposition
        assertLine(text, "forge_gate_decision_duration_seconds_bucket{le=\"2.5E-8\"} 4");
        assertLine(text, "forge_gate_decision_duration_seconds_bucket{le=\"5.0E-8\"} 7");
        assertLine(text, "forge_gate_decision_duration_seconds_bucket{le=\"1.0E-6\"} 9");
        assertLine(text, "forge_gate_decision_duration_seconds_bucket{le=\"+Inf\"} 10");
        assertLine(text, "forge_gate_decision_duration_seconds_count 10");
        assertLine(text, "forge_gate_decision_duration_seconds_sum 0.5");
        Promtool.check(text);
    }

    @Test
    void aRemovedContainerDisappearsFromTheNextScrape() throws Exception {
        runtime.stats.add(hello("c1", ContainerState.STOPPED));
        runtime.stats.add(hello("c2", ContainerState.RUNNING));
        assertTrue(scrape().contains("id=\"c1\""));
        runtime.stats.remove(0);
        String text = scrape();
        assertFalse(text.contains("id=\"c1\""), text);
        assertTrue(text.contains("id=\"c2\""), text);
    }

    @Test
    void absentOrFailingSourcesLeaveTheirMetricsOutAndSaySo() throws Exception {
        containers.set(null);
        packages.set(null);
        verifier.set(new RejectingVerifier(-1));
        String text = scrape();
        assertFalse(text.contains("forge_container"), text);
        assertFalse(text.contains("forge_packages "), text);
        assertFalse(text.contains("forge_package_verification_failures"), text);
        assertLine(text, "forge_metrics_source_up{source=\"containers\"} 0.0");
        assertLine(text, "forge_metrics_source_up{source=\"packages\"} 0.0");
        assertLine(text, "forge_metrics_source_up{source=\"verifier\"} 0.0");
        Promtool.check(text);
        // a runtime that keeps no statistics (the api's default) is a source that is down, not a failed scrape
        containers.set(new ContainerRuntimeWithoutStats());
        assertLine(scrape(), "forge_metrics_source_up{source=\"containers\"} 0.0");
    }

    @Test
    void labelValuesAreEscapedAndUnmeasuredFiguresLeftOut() throws Exception {
        runtime.stats.add(new ContainerStats("c9", "odd \"name\"\nwith a break\\", "", "chicory", ContainerState.CREATED,
                0, 0, -1, 0, 0, -1, List.of()));
        String text = scrape();
        assertLine(text, "forge_container_info{engine=\"chicory\",id=\"c9\",name=\"odd \\\"name\\\"\\nwith a break\\\\\","
                + "package=\"\"} 1");
        assertFalse(text.contains("forge_container_cpu_seconds_total{"), "no CPU figure: " + text);
        assertFalse(text.contains("forge_container_trust_score{"), "no trust score: " + text);
        Promtool.check(text);
    }

    private static void assertLine(String text, String line) {
        assertTrue(text.lines().anyMatch(line::equals), () -> "no line\n" + line + "\nin\n" + text);
    }

    // ---- test doubles ----------------------------------------------------------------------------------------

    /** The statistics part of a runtime; the lifecycle is not used by metrics. */
    private static class ContainerRuntimeWithoutStats implements ContainerRuntime {
        @Override
        public ContainerInfo create(ContainerSpec spec, ContainerIO io) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ContainerInfo start(String idOrName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ContainerInfo kill(String idOrName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ContainerInfo delete(String idOrName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ContainerInfo state(String idOrName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ContainerInfo> list() {
            throw new UnsupportedOperationException();
        }

        @Override
        public ContainerLogs logs(String idOrName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ContainerInfo await(String idOrName, Duration timeout) {
            throw new UnsupportedOperationException();
        }
    }

    private static final class StatsRuntime extends ContainerRuntimeWithoutStats {
        final List<ContainerStats> stats = new ArrayList<>();
        LatencyHistogram latency = new LatencyHistogram(List.of(1e-6), List.of(0L, 0L), 0);

        @Override
        public List<ContainerStats> stats() {
            return List.copyOf(stats);
        }

        @Override
        public LatencyHistogram gateLatency() {
            return latency;
        }
    }

    private static final class ThreePackages implements PackageStore {
        @Override
        public VerifiedPackage open(Path pkg) {
            throw new UnsupportedOperationException();
        }

        @Override
        public VerifiedPackage open(byte[] pkg) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> list() {
            return List.of("a", "b", "c");
        }

        @Override
        public boolean remove(String id) {
            throw new UnsupportedOperationException();
        }
    }

    /** Counts {@code rejected} rejections; a negative count is a verifier that keeps none (the api default). */
    private static final class RejectingVerifier implements PackageVerifier {
        private final long rejected;

        RejectingVerifier(long rejected) {
            this.rejected = rejected;
        }

        @Override
        public VerificationReport verify(byte[] pkg) {
            throw new UnsupportedOperationException();
        }

        @Override
        public VerificationMode mode() {
            return VerificationMode.ENFORCE;
        }

        @Override
        public long rejections() {
            return rejected < 0 ? PackageVerifier.super.rejections() : rejected;
        }
    }
}
