package io.forgeone.observer.internal;

import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.gate.Decision;
import io.forgeone.api.observe.CallRecording;
import io.forgeone.api.observe.MemoryAccesses;
import io.forgeone.api.observe.TraceException;
import io.forgeone.api.observe.TraceInfo;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One container run's recording: its ring, and for a durable run the file writer that drains the ring in batches
 * (on the observer's writer thread, and once more at the end on the guest's thread, so that a stopped container's
 * trace is complete when it is reported stopped).
 */
final class RunRecording implements CallRecording {
    private static final Logger LOG = LoggerFactory.getLogger(RunRecording.class);

    final TraceHeader header;
    final List<HostFunction> functions;
    final CallRing ring;
    final long base;
    final Path folder;
    private final TraceFileWriter writer;
    /** The run's complete history for snapshots, or null when it keeps none. */
    final HistoryLog history;
    private long written;
    private boolean fileClosed;
    private volatile boolean ended;
    private volatile int exitCode = -1;
    private volatile String outcome = "";
    private volatile boolean failed;
    /** The run's preopen names once known (see Observer), for summaries. */
    volatile Preopens preopens;

    RunRecording(TraceHeader header, List<HostFunction> functions, CallRing ring, long base, Path folder,
            TraceFileWriter writer, HistoryLog history) {
        this.history = history;
        this.header = header;
        this.functions = List.copyOf(functions);
        this.ring = ring;
        this.base = base;
        this.folder = folder;
        this.writer = writer;
    }

    @Override
    public void record(int function, long[] args, Decision decision, long[] results, Throwable failure,
            MemoryAccesses accesses) {
        ring.record(function, args, decision, results, failure, accesses);
        if (history != null) {
            history.append(function, args, results, failure, accesses);
        }
    }

    @Override
    public void close(int code, String why) {
        exitCode = code;
        outcome = why == null ? "" : why;
        if (history != null) {
            history.close();
        }
        if (writer != null) {
            synchronized (this) {
                drain();
                if (!failed) {
                    try {
                        if (ring.lost() > 0) {
                            writer.lost(written, ring.lost());
                        }
                        writer.end(written, code, outcome);
                        writer.close();
                        fileClosed = true;
                    } catch (TraceException e) {
                        fail(e);
                    }
                }
            }
        }
        ended = true;
    }

    /** Writes every call not written yet to the trace file; on the writer thread, or at the end. */
    synchronized void drain() {
        if (writer == null || failed || fileClosed) {
            return;
        }
        try {
            long published = ring.published();
            while (written < published) {
                RawCall call = ring.read(written, base);
                if (call == null) {
                    // cannot happen while the ring waits for this writer; say so rather than write a hole
                    throw new TraceException("call #" + written + " was overwritten before it was written to "
                            + folder);
                }
                long bytesEnd = ring.bytesEnd(written);
                writer.call(call);
                written++;
                ring.drained(call, bytesEnd);
            }
            writer.flush();
        } catch (TraceException e) {
            fail(e);
        }
    }

    private void fail(TraceException e) {
        failed = true;
        LOG.error("Trace of container {} ({}) stops here: {}", header.containerName(), header.containerId(),
                e.getMessage(), e);
        // the guest must not wait for a writer that has given up
        ring.drained(new RawCall(Long.MAX_VALUE - 1, 0, 0, Decision.ALLOW, new long[0], null, 0, 0, "",
                List.of(), 0, false), Long.MAX_VALUE / 2);
    }

    boolean durable() {
        return writer != null;
    }

    boolean ended() {
        return ended;
    }

    int exitCode() {
        return exitCode;
    }

    String outcome() {
        return outcome;
    }

    List<Path> files() {
        if (writer == null) {
            return List.of();
        }
        synchronized (this) {
            return writer.files();
        }
    }

    TraceInfo info() {
        long calls = ring.published();
        return new TraceInfo(header.containerId(), header.containerName(), header.moduleSha256(), calls,
                Math.min(calls, ring.capacity()), files(), ended, ended ? exitCode : -1, outcome);
    }
}
