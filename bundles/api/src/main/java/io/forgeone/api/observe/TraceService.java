package io.forgeone.api.observe;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** Reads the host calls recorded per container: from memory while kept, else from the trace files. */
@ProviderType
public interface TraceService {

    /** Every recorded run still known, the oldest first. */
    List<TraceInfo> list();

    /**
     * One run's trace, by container id, name or unique id prefix (the latest run of that container).
     *
     * @throws NoSuchTraceException when nothing is recorded for it
     */
    TraceInfo info(String container);

    /** Records of a run, as {@code query} selects them. */
    TracePage records(String container, TraceQuery query);

    /**
     * Like {@link #records}, but waits up to {@code timeout} for a record at or after {@code query.since()} when
     * there is none yet and the run has not ended: for following a running container.
     */
    TracePage await(String container, TraceQuery query, Duration timeout) throws InterruptedException;

    /**
     * Reads a trace file (or the folder of a run's trace files) written by any node.
     *
     * @throws TraceFormatException when a file is not a trace, or is corrupted or cut short
     */
    TracePage read(Path trace, TraceQuery query);

    /**
     * Writes the next run of a created container to trace files, whatever the observer's {@code durable} setting
     * says ({@code forge run --trace}): call it after creating the container and before starting it.
     *
     * @param containerId the container's id
     * @return the folder its trace files will be in
     */
    Path traceToFiles(String containerId);
}
