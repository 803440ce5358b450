package io.forgeone.benchmarks.gate;

import io.forgeone.api.gate.HostCallGate;
import io.forgeone.benchmarks.Fixtures;
import io.forgeone.trust.internal.PolicyGate;
import io.forgeone.trust.internal.TrustConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.osgi.util.converter.Converters;

/**
 * The trust bundle's enforcing gate ({@code PolicyGate}), activated as SCR would with one policy file in a
 * scratch folder and its decision log next to it. The policies grant what the benchmark programs call:
 * {@code bench.constant} (hostcall.wasm) and the clocks (clockloop.wasm).
 */
public final class PolicyGates {

    /** Grants both benchmark calls; logs denials only (the default). */
    public static final String ALLOW = "name: bench-allow\ngrants:\n  clocks: true\n  functions: [bench.constant]\n";
    /** The same grants, and every allowed call written to the decision log too. */
    public static final String ALLOW_AND_LOG = ALLOW.replace("bench-allow", "bench-allow-log")
            + "log:\n  allows: true\n";
    /**
     * Grants nothing: every benchmark call is denied (ENOTCAPABLE) and logged. The trust score never quarantines
     * (threshold 0): with the default, the 100th denial would quarantine the guest, which the benchmark's call
     * boundary refuses (it measures denials, not suspensions).
     */
    public static final String DENY = "name: bench-deny\ngrants:\n  args: false\ntrust:\n  threshold: 0\n";

    private PolicyGates() {
    }

    /** A policy gate enforcing {@code policy}, keeping its files under {@code dir}. */
    public static HostCallGate open(String policy, Path dir) {
        try {
            Path policies = Files.createDirectories(dir.resolve("policies"));
            Files.writeString(policies.resolve("bench.yaml"), policy, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the benchmark policy under " + dir, e);
        }
        TrustConfig config = Converters.standardConverter().convert(Map.of(
                "policy.dir", dir.resolve("policies").toString(),
                "decision.log", dir.resolve("decisions.log").toString(),
                "reload.ms", 60_000L)).to(TrustConfig.class);
        PolicyGate gate = Fixtures.activate(PolicyGate.class, config);
        if (!gate.problems().isEmpty()) {
            throw new IllegalStateException("benchmark policy does not validate: " + gate.problems());
        }
        return gate;
    }

    /** Deactivates the gate as SCR would (its policy watcher stops, its decision log closes). */
    public static void close(HostCallGate gate) {
        Fixtures.deactivate(gate);
    }
}
