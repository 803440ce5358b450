package io.forgeone.metrics.internal;

import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.container.ContainerStats;
import io.forgeone.api.container.HostCallCount;
import io.forgeone.api.container.LatencyHistogram;
import io.forgeone.api.pkg.PackageStore;
import io.forgeone.api.pkg.PackageVerifier;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the node's figures when scraped, one pass per source (so every metric of a scrape comes from the same
 * snapshot of the containers), and turns them into Prometheus snapshots. Nothing is kept between scrapes: a
 * container that is deleted is simply not in the next one. A source that is absent or fails leaves its metrics out
 * and shows 0 in {@code forge_metrics_source_up}.
 */
final class NodeMetrics implements MultiCollector {
    private static final Logger LOG = LoggerFactory.getLogger(NodeMetrics.class);
    static final String[] CONTAINER_LABELS = {"id", "package", "engine"};
    /** States a container can be seen in (deleted ones are gone). */
    private static final List<ContainerState> STATES = List.of(ContainerState.CREATED, ContainerState.RUNNING,
            ContainerState.PAUSED, ContainerState.QUARANTINED, ContainerState.STOPPED);

    private final Supplier<ContainerRuntime> containers;
    private final Supplier<PackageStore> packages;
    private final Supplier<PackageVerifier> verifier;

    NodeMetrics(Supplier<ContainerRuntime> containers, Supplier<PackageStore> packages,
            Supplier<PackageVerifier> verifier) {
        this.containers = containers;
        this.packages = packages;
        this.verifier = verifier;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        GaugeSnapshot.Builder up = GaugeSnapshot.builder().name("forge_metrics_source_up")
                .help("1 when the metrics could read the source (a node service), 0 when it is absent or failed");
        up.dataPoint(gauge(Labels.of("source", "containers"), containerMetrics(out) ? 1 : 0));
        up.dataPoint(gauge(Labels.of("source", "packages"), packageMetrics(out) ? 1 : 0));
        up.dataPoint(gauge(Labels.of("source", "verifier"), verifierMetrics(out) ? 1 : 0));
        out.add(up.build());
        return new MetricSnapshots(out);
    }

    // ---- containers ------------------------------------------------------------------------------------------

    private boolean containerMetrics(List<MetricSnapshot> out) {
        ContainerRuntime runtime = containers.get();
        if (runtime == null) {
            return false;
        }
        List<ContainerStats> all;
        LatencyHistogram latency;
        try {
            all = runtime.stats();
            latency = runtime.gateLatency();
        } catch (UnsupportedOperationException e) {
            LOG.debug("The container runtime keeps no statistics: {}", e.getMessage());
            return false;
        } catch (RuntimeException e) {
            // an absent statistic is a metric left out, not a failed scrape
            LOG.warn("Reading container statistics for metrics failed; container metrics are left out", e);
            return false;
        }
        CounterSnapshot.Builder calls = CounterSnapshot.builder().name("forge_container_host_calls")
                .help("Host calls the gate decided, by function (module.name) and decision (allow, deny, quarantine)");
        CounterSnapshot.Builder denials = CounterSnapshot.builder().name("forge_container_denied_host_calls")
                .help("Host calls the gate denied (decision deny or quarantine)");
        GaugeSnapshot.Builder memory = GaugeSnapshot.builder().name("forge_container_memory_bytes")
                .help("The guest's linear memory size (its last size once stopped)");
        CounterSnapshot.Builder cpu = CounterSnapshot.builder().name("forge_container_cpu_seconds")
                .help("CPU time the guest thread used (left out where the JVM cannot measure thread CPU time)");
        CounterSnapshot.Builder in = CounterSnapshot.builder().name("forge_container_read_bytes")
                .help("Bytes in: read by the guest through fd_read, fd_pread and sock_recv (files, stdin, sockets)");
        CounterSnapshot.Builder written = CounterSnapshot.builder().name("forge_container_written_bytes")
                .help("Bytes out: written by the guest through fd_write, fd_pwrite and sock_send (files, stdout, "
                        + "stderr, sockets)");
        GaugeSnapshot.Builder uptime = GaugeSnapshot.builder().name("forge_container_uptime_seconds")
                .help("Time since the container started (until it stopped, once stopped)");
        GaugeSnapshot.Builder trust = GaugeSnapshot.builder().name("forge_container_trust_score")
                .help("The gate's trust score (100 full trust; violations lower it); left out where the gate keeps none");
        GaugeSnapshot.Builder state = GaugeSnapshot.builder().name("forge_container_state")
                .help("1 for the container's current state, 0 for the others");
        // exposed as forge_container_info (the library adds the suffix of an info metric)
        InfoSnapshot.Builder info = InfoSnapshot.builder().name("forge_container")
                .help("Always 1: the container's name beside its id, package and engine");
        Map<ContainerState, Integer> byState = new EnumMap<>(ContainerState.class);
        STATES.forEach(s -> byState.put(s, 0));
        for (ContainerStats c : all) {
            if (c.state() == ContainerState.DELETED) {
                continue;
            }
            byState.merge(c.state(), 1, Integer::sum);
            Labels labels = Labels.of(CONTAINER_LABELS, new String[] {c.id(), c.packageName(), c.engine()});
            for (HostCallCount count : c.hostCalls()) {
                calls.dataPoint(counter(labels.add("call", count.call()).add("decision", word(count.decision())),
                        count.count()));
            }
            denials.dataPoint(counter(labels, c.deniedHostCalls()));
            memory.dataPoint(gauge(labels, c.memoryBytes()));
            if (c.cpuNanos() >= 0) {
                cpu.dataPoint(counter(labels, c.cpuNanos() / 1e9));
            }
            in.dataPoint(counter(labels, c.bytesIn()));
            written.dataPoint(counter(labels, c.bytesOut()));
            uptime.dataPoint(gauge(labels, c.uptimeNanos() / 1e9));
            if (c.trustScore() >= 0) {
                trust.dataPoint(gauge(labels, c.trustScore()));
            }
            for (ContainerState s : STATES) {
                state.dataPoint(gauge(labels.add("state", word(s)), s == c.state() ? 1 : 0));
            }
            info.dataPoint(InfoDataPointSnapshot.builder().labels(labels.add("name", c.name())).build());
        }
        out.add(calls.build());
        out.add(denials.build());
        out.add(memory.build());
        out.add(cpu.build());
        out.add(in.build());
        out.add(written.build());
        out.add(uptime.build());
        out.add(trust.build());
        out.add(state.build());
        out.add(info.build());
        GaugeSnapshot.Builder counts = GaugeSnapshot.builder().name("forge_containers")
                .help("Containers on the node by state");
        byState.forEach((s, n) -> counts.dataPoint(gauge(Labels.of("state", word(s)), n)));
        out.add(counts.build());
        out.add(histogram(latency));
        return true;
    }

    /** The gate's decision times, as the kernel sampled them. */
    static HistogramSnapshot histogram(LatencyHistogram latency) {
        int n = latency.upperBoundsSeconds().size();
        double[] bounds = new double[n + 1];
        long[] counts = new long[n + 1];
        for (int i = 0; i < n; i++) {
            bounds[i] = latency.upperBoundsSeconds().get(i);
            counts[i] = latency.counts().get(i);
        }
        bounds[n] = Double.POSITIVE_INFINITY;
        counts[n] = latency.counts().get(n);
        return HistogramSnapshot.builder().name("forge_gate_decision_duration_seconds")
                .help("Time the gate took to decide a host call, over a sample of the calls (one in 64 per container)")
                .dataPoint(HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                        .sum(latency.sumSeconds()).build())
                .build();
    }

    // ---- packages --------------------------------------------------------------------------------------------

    private boolean packageMetrics(List<MetricSnapshot> out) {
        PackageStore store = packages.get();
        if (store == null) {
            return false;
        }
        int stored;
        try {
            stored = store.list().size();
        } catch (RuntimeException e) {
            LOG.warn("Listing the package store for metrics failed; forge_packages is left out", e);
            return false;
        }
        out.add(GaugeSnapshot.builder().name("forge_packages").help("Packages in the node's package store")
                .dataPoint(gauge(Labels.EMPTY, stored)).build());
        return true;
    }

    private boolean verifierMetrics(List<MetricSnapshot> out) {
        PackageVerifier v = verifier.get();
        if (v == null) {
            return false;
        }
        long rejected;
        try {
            rejected = v.rejections();
        } catch (UnsupportedOperationException e) {
            LOG.debug("The package verifier counts no rejections: {}", e.getMessage());
            return false;
        } catch (RuntimeException e) {
            LOG.warn("Reading the package verifier's rejections for metrics failed; they are left out", e);
            return false;
        }
        out.add(CounterSnapshot.builder().name("forge_package_verification_failures")
                .help("Packages the verifier rejected since it (re)started")
                .dataPoint(counter(Labels.EMPTY, rejected)).build());
        return true;
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static String word(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static GaugeDataPointSnapshot gauge(Labels labels, double value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private static CounterDataPointSnapshot counter(Labels labels, double value) {
        return CounterDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
