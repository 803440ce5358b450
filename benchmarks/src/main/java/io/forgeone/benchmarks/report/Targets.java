package io.forgeone.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The targets, judged against one run: reported, never asserted (a slow or busy machine must not fail a
 * build). Each verdict names the benchmark a profile should look at when the target is missed.
 */
public final class Targets {

    public static final double GATE_OVERHEAD_NS = 50;
    public static final double COMPUTE_RATIO = 1.5;
    public static final double CONTAINER_RUN_NS = 1e6;
    public static final double PROCESS_NS = 500e6;
    public static final long IDLE_CONTAINERS = 10_000;

    public static final String COMPILED = "compiled";
    public static final String INTERPRETED = "interpreted";
    public static final List<String> MODES = List.of(COMPILED, INTERPRETED);
    /** The host-call variants, in table order. */
    public static final List<String> HOST_CALLS = List.of("raw", "permissiveGate", "policyAllow", "policyLog",
            "traceRing", "observerRecording", "policyDeny");
    /** The variants in which the call runs behind the gate: the ones the overhead target is about. */
    static final List<String> GUARDED = List.of("permissiveGate", "policyAllow", "policyLog", "traceRing");

    /**
     * One target's verdict.
     *
     * @param target the target as the issue states it
     * @param subject what was measured for it
     * @param measured the figure
     * @param met whether the target holds
     * @param margin by how much it is met or missed
     * @param profile the JMH benchmark to profile when missed ({@code Class.method}), or empty
     * @param profileMode its engine mode, or null
     */
    public record Verdict(String target, String subject, String measured, boolean met, String margin,
            Optional<String> profile, String profileMode) {
    }

    private Targets() {
    }

    public static List<Verdict> judge(Results results, Optional<Density> density) {
        List<Verdict> verdicts = new ArrayList<>();
        String gate = "guarded host call at most 50 ns more than a raw one";
        for (String level : List.of("HostCallBenchmark", "ContainerHostCallBenchmark")) {
            for (String mode : MODES) {
                Optional<Score> raw = results.find(level + ".raw", mode);
                for (String variant : GUARDED) {
                    Optional<Score> gated = results.find(level + "." + variant, mode);
                    if (raw.isEmpty() || gated.isEmpty()) {
                        continue;
                    }
                    double delta = gated.get().nanos() - raw.get().nanos();
                    boolean met = delta <= GATE_OVERHEAD_NS;
                    double error = combined(gated.get(), raw.get());
                    verdicts.add(new Verdict(gate, (level.startsWith("Container") ? "WASI clock_time_get in a container"
                            : "constant import on the engine") + ", " + variantName(variant) + ", " + mode,
                            (delta >= 0 ? "+" : "") + Format.nanos(delta) + " (" + Format.nanos(gated.get().nanos())
                                    + " vs " + Format.nanos(raw.get().nanos()) + ")",
                            met, (met ? Format.nanos(GATE_OVERHEAD_NS - delta) + " to spare"
                                    : "missed by " + Format.nanos(delta - GATE_OVERHEAD_NS))
                                    + withinError(Math.abs(delta - GATE_OVERHEAD_NS), error),
                            met ? Optional.empty() : Optional.of(level + "." + variant), mode));
                }
            }
        }
        for (String program : List.of("fib", "sieve")) {
            Optional<Score> java = results.find("JavaComputeBenchmark." + program);
            if (java.isEmpty()) {
                continue;
            }
            String best = null;
            double bestRatio = Double.MAX_VALUE;
            for (String mode : MODES) {
                Optional<Score> wasm = results.find("ComputeBenchmark." + program, mode);
                if (wasm.isPresent() && wasm.get().nanos() / java.get().nanos() < bestRatio) {
                    bestRatio = wasm.get().nanos() / java.get().nanos();
                    best = mode;
                }
            }
            if (best == null) {
                continue;
            }
            boolean met = bestRatio <= COMPUTE_RATIO;
            verdicts.add(new Verdict("compute within 1.5x of plain Java on the best engine",
                    program + " on chicory " + best, Format.ratio(bestRatio) + " of Java", met,
                    met ? "within the 1.5x bound"
                            : "missed by " + String.format(Locale.ROOT, "%.0f%%", (bestRatio / COMPUTE_RATIO - 1) * 100)
                                    + " (" + Format.ratio(bestRatio) + " vs 1.5x)",
                    met ? Optional.empty() : Optional.of("ComputeBenchmark." + program), best));
        }
        results.find("StartupBenchmark.runInContainer", COMPILED).ifPresent(run -> {
            boolean met = run.nanos() < CONTAINER_RUN_NS;
            verdicts.add(new Verdict("warm container run under 1 ms", "hello.wasm, create/start/wait/delete, compiled",
                    Format.nanos(run.nanos()), met, (met ? Format.nanos(CONTAINER_RUN_NS - run.nanos()) + " to spare"
                            : "missed by " + Format.nanos(run.nanos() - CONTAINER_RUN_NS) + " ("
                                    + Format.ratio(run.nanos() / CONTAINER_RUN_NS) + " the target)")
                            + withinError(Math.abs(run.nanos() - CONTAINER_RUN_NS), run.errorNanos()),
                    met ? Optional.empty() : Optional.of("StartupBenchmark.runInContainer"), COMPILED));
        });
        results.find("ProcessStartupBenchmark.forgeRunHello").ifPresent(run -> {
            boolean met = run.nanos() < PROCESS_NS;
            verdicts.add(new Verdict("`bin/forge run hello.wasm` under 500 ms", "whole process, exec to exit",
                    Format.nanos(run.nanos()), met, met ? Format.nanos(PROCESS_NS - run.nanos()) + " to spare"
                            : "missed by " + Format.nanos(run.nanos() - PROCESS_NS) + " ("
                                    + Format.ratio(run.nanos() / PROCESS_NS) + " the target)",
                    Optional.empty(), null));
        });
        density.ifPresent(d -> {
            boolean met = d.in4GiB() >= IDLE_CONTAINERS;
            verdicts.add(new Verdict("at least 10,000 idle containers in a 4 GiB heap",
                    "hello.wasm instantiated with WASI and gate, " + Format.bytes(d.heapPerContainer()) + " each",
                    String.format(Locale.ROOT, "%,d extrapolated; %,d instantiated with %s (%s)", d.in4GiB(),
                            d.instantiated(), d.heapOption(), d.stoppedBy().equals("cap")
                                    ? "all asked for" : "stopped by " + d.stoppedBy()),
                    met, met ? String.format(Locale.ROOT, "%,d to spare", d.in4GiB() - IDLE_CONTAINERS)
                            : String.format(Locale.ROOT, "missed by %,d", IDLE_CONTAINERS - d.in4GiB()),
                    Optional.empty(), null));
        });
        return verdicts;
    }

    /** The half-widths of two scores' confidence intervals added: how far apart two noisy means can be. */
    private static double combined(Score a, Score b) {
        double ea = Double.isNaN(a.errorNanos()) ? 0 : a.errorNanos();
        double eb = Double.isNaN(b.errorNanos()) ? 0 : b.errorNanos();
        return ea + eb;
    }

    /** A warning when the margin is smaller than the measurement's error, so the verdict could go either way. */
    private static String withinError(double margin, double error) {
        return !Double.isNaN(error) && error > margin
                ? " (within the measurement error of ±" + Format.nanos(error) + ": could go either way)" : "";
    }

    /** A few words for a chart's axis. */
    static String shortName(String method) {
        switch (method) {
            case "permissiveGate":
                return "permissive gate";
            case "policyAllow":
                return "policy: allow";
            case "policyLog":
                return "policy: allow + log";
            case "traceRing":
                return "trace ring";
            case "observerRecording":
                return "observer recording";
            case "policyDeny":
                return "policy: deny + log";
            default:
                return method;
        }
    }

    static String variantName(String method) {
        switch (method) {
            case "raw":
                return "raw";
            case "permissiveGate":
                return "kernel's permissive gate";
            case "policyAllow":
                return "policy gate, allowed";
            case "policyLog":
                return "policy gate, allowed and logged";
            case "traceRing":
                return "trace ring (model recorder)";
            case "observerRecording":
                return "permissive gate + observer's recorder";
            case "policyDeny":
                return "policy gate, denied (logged)";
            default:
                return method;
        }
    }
}
