package io.forgeone.api.container;

import java.util.List;

/**
 * A histogram of durations: {@code counts.get(i)} observations fell at or below {@code upperBoundsSeconds.get(i)}
 * and above the bound before it (not cumulative); the last count is those above every bound.
 *
 * @param upperBoundsSeconds ascending bucket bounds in seconds
 * @param counts one count per bound, and one more for above the last bound
 * @param sumSeconds the sum of every observation
 */
public record LatencyHistogram(List<Double> upperBoundsSeconds, List<Long> counts, double sumSeconds) {
    public LatencyHistogram {
        upperBoundsSeconds = List.copyOf(upperBoundsSeconds);
        counts = List.copyOf(counts);
        if (counts.size() != upperBoundsSeconds.size() + 1) {
            throw new IllegalArgumentException("a histogram needs one count per bound and one above them: "
                    + upperBoundsSeconds.size() + " bounds, " + counts.size() + " counts");
        }
        for (int i = 1; i < upperBoundsSeconds.size(); i++) {
            if (!(upperBoundsSeconds.get(i) > upperBoundsSeconds.get(i - 1))) {
                throw new IllegalArgumentException("histogram bounds must ascend: " + upperBoundsSeconds);
            }
        }
    }

    /** Every observation. */
    public long count() {
        return counts.stream().mapToLong(Long::longValue).sum();
    }
}
