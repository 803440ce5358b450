package io.forgeone.benchmarks.report;

import java.util.Map;

/**
 * One JMH result: a benchmark method with its parameters, its primary score and the secondary metrics that
 * have a number (the GC profiler's allocation per operation, for one).
 *
 * @param benchmark {@code SimpleClassName.method}
 * @param params JMH parameters, for example {@code mode=compiled}
 * @param score the primary score in {@code unit}
 * @param error the half-width of JMH's 99.9% confidence interval, NaN when there were too few samples
 * @param unit JMH's unit, for example {@code ns/op}
 * @param secondary secondary metrics by name (without JMH's leading dot), in their own units
 */
public record Score(String benchmark, Map<String, String> params, double score, double error, String unit,
        Map<String, Double> secondary) {

    public Score {
        params = Map.copyOf(params);
        secondary = Map.copyOf(secondary);
    }

    /** The score in nanoseconds per operation (JMH's time units, for average and single-shot time). */
    public double nanos() {
        return score * nanosPer(unit);
    }

    /** The error in nanoseconds per operation. */
    public double errorNanos() {
        return error * nanosPer(unit);
    }

    /** Bytes allocated per operation, from JMH's GC profiler, or NaN without it. */
    public double allocatedBytesPerOp() {
        return secondary.getOrDefault("gc.alloc.rate.norm", Double.NaN);
    }

    static double nanosPer(String unit) {
        switch (unit) {
            case "ns/op":
                return 1;
            case "us/op":
                return 1e3;
            case "ms/op":
                return 1e6;
            case "s/op":
                return 1e9;
            default:
                throw new IllegalArgumentException("score unit '" + unit + "' is not a time per operation");
        }
    }
}
