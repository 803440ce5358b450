package io.forgeone.api.observe;

import java.util.List;
import java.util.Objects;

/**
 * Records read from a trace.
 *
 * @param records the records, by sequence number
 * @param next the sequence number to ask for next (to follow a running container)
 * @param lost records asked for that are no longer kept (the ring overwrote them and no trace file has them)
 * @param ended whether the run is over, so no record will follow
 * @param exitCode the run's exit code when it ended, else -1
 * @param outcome how the run ended ({@code EXITED}, {@code TRAPPED: ...}), or empty while it runs
 */
public record TracePage(List<TraceRecord> records, long next, long lost, boolean ended, int exitCode,
        String outcome) {
    public TracePage {
        records = List.copyOf(records);
        Objects.requireNonNull(outcome, "outcome");
    }
}
