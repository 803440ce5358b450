package io.forgeone.api.container;

import java.util.List;
import java.util.Objects;

/**
 * A container's running figures, as {@code forge stats} and the metrics exposition show them. Counters are read
 * while the guest runs, without stopping it, so the figures of one snapshot may be a few calls apart.
 *
 * @param id unique id
 * @param name name for people
 * @param packageName the package's name for a container run from a package, empty for a bare module
 * @param engine engine name
 * @param state lifecycle state
 * @param uptimeNanos time since it started (until it stopped, once stopped); 0 if it never started
 * @param memoryBytes the guest's linear memory size now (its last size once stopped), 0 before it ran
 * @param cpuNanos CPU time its guest thread used, -1 where the JVM does not measure thread CPU time
 * @param bytesIn bytes the guest read through host calls ({@code fd_read}, {@code fd_pread}, {@code sock_recv})
 * @param bytesOut bytes the guest wrote through host calls ({@code fd_write}, {@code fd_pwrite}, {@code sock_send})
 * @param trustScore the gate's trust score for it, -1 if the gate keeps none
 * @param hostCalls host calls by function and decision; only pairs that happened
 */
public record ContainerStats(String id, String name, String packageName, String engine, ContainerState state,
        long uptimeNanos, long memoryBytes, long cpuNanos, long bytesIn, long bytesOut, int trustScore,
        List<HostCallCount> hostCalls) {
    public ContainerStats {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        packageName = packageName == null ? "" : packageName;
        engine = engine == null ? "" : engine;
        hostCalls = List.copyOf(hostCalls);
    }

    /** Calls the gate denied (including those it quarantined at). */
    public long deniedHostCalls() {
        return hostCalls.stream().filter(c -> c.decision() != io.forgeone.api.gate.Decision.ALLOW)
                .mapToLong(HostCallCount::count).sum();
    }
}
