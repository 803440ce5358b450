package io.forgeone.trust.internal;

import io.forgeone.api.policy.AuditListener;
import io.forgeone.api.policy.AuditLog;
import io.forgeone.api.policy.AuditProblem;
import io.forgeone.api.policy.AuditQuery;
import io.forgeone.api.policy.AuditRecord;
import io.forgeone.api.policy.AuditResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Reads the decision log back ({@link AuditLog}): the same file the policy gate writes, found from the same
 * configuration ({@code io.forgeone.trust}, {@code decision.log}, else {@code log/decisions.log} under the node's
 * state folder). Queries read the rotated files and the current one, all opened at once, oldest first; a follower
 * keeps the current file open and, when the name passes to a new file, reads the old one to its end (and any
 * file that was rotated past meanwhile) before it goes on with the new one, as {@code tail -F} does.
 */
@Component(service = AuditLog.class, configurationPid = "io.forgeone.trust")
public final class DecisionLogReader implements AuditLog {
    private static final Duration POLL = Duration.ofMillis(200);

    private final Path file;
    private final long pollMillis;
    private volatile boolean closed;

    @Activate
    public DecisionLogReader(TrustConfig config, BundleContext context) {
        this(logFile(config.decision_log(), context.getProperty("forge.var")), POLL);
    }

    DecisionLogReader(Path file, Duration poll) {
        this.file = Objects.requireNonNull(file, "file");
        this.pollMillis = Math.max(1, poll.toMillis());
    }

    /** The gate's rule: the configured file, else {@code log/decisions.log} under forge.var (or the working folder). */
    static Path logFile(String configured, String forgeVar) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(forgeVar == null ? "." : forgeVar).resolve("log/decisions.log");
    }

    @Deactivate
    void deactivate() {
        closed = true;
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public AuditResult query(AuditQuery query) {
        Objects.requireNonNull(query, "query");
        Collector collector = new Collector(query, null);
        closeQuietly(readFrom(openAll(null), collector));
        return new AuditResult(new ArrayList<>(collector.tail), collector.problems);
    }

    @Override
    public void read(AuditQuery query, AuditListener listener) {
        Objects.requireNonNull(query, "query");
        Collector collector = new Collector(query, Objects.requireNonNull(listener, "listener"));
        closeQuietly(readFrom(openAll(null), collector));
        collector.flushTail();
    }

    @Override
    public void follow(AuditQuery query, AuditListener listener) throws InterruptedException {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(listener, "listener");
        if (query.until() != null) {
            throw new IllegalArgumentException("a followed log has no end: give no until");
        }
        Collector collector = new Collector(query, listener);
        LogSource current = readFrom(openAll(null), collector);
        try {
            collector.flushTail();
            while (!closed && !collector.stopped) {
                int lines = current == null ? 0 : current.read(collector);
                if (collector.stopped) {
                    return;
                }
                Object now = LogSource.key(file);
                if (current != null && current.key().equals(now)) {
                    if (current.length() < current.consumed()) {
                        collector.problem(new AuditProblem(current.name(), 0, "the file was truncated; reading it"
                                + " again from its start"));
                        current.close();
                        current = null; // the next turn reads it anew, as a file not seen before
                    } else if (lines == 0 && !idle(listener)) {
                        return;
                    }
                    continue;
                }
                if (current == null && now == null) {
                    if (!idle(listener)) {
                        return;
                    }
                    continue;
                }
                if (current != null) {
                    // renamed by a rotation: the writer closed it before, so what it holds now is all it will hold
                    current.read(collector);
                    current.finish(collector);
                    collector.lastKey = current.key();
                    current.close();
                    current = null;
                }
                // whatever came after the last file read (several files, if rotations were quick), then the new one
                List<LogSource> newer;
                try {
                    newer = LogSource.openAll(file, collector.lastKey);
                } catch (LogSource.Unsettled e) {
                    if (!idle(listener)) {
                        return; // rotating in a burst: look again after a pause
                    }
                    continue;
                }
                current = readFrom(newer, collector);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the decision log " + file + ": " + e.getMessage(), e);
        } finally {
            closeQuietly(current);
        }
    }

    private boolean idle(AuditListener listener) throws InterruptedException {
        if (!listener.idle()) {
            return false;
        }
        Thread.sleep(pollMillis);
        return true;
    }

    /**
     * Reads the files of a snapshot ({@link LogSource#openAll}), oldest first. Rotated files are read to their end
     * and closed, and the last of them is remembered as read; the current file is read as far as it is written
     * and returned, still open, to be followed (or {@code null}).
     */
    private LogSource readFrom(List<LogSource> sources, Collector collector) {
        LogSource current = null;
        try {
            for (int i = 0; i < sources.size() && !collector.stopped; i++) {
                LogSource source = sources.get(i);
                if (source.path().equals(file)) {
                    source.read(collector);
                    current = source;
                } else {
                    if (!before(source, collector.query)) {
                        source.read(collector);
                        source.finish(collector); // a rotated file gets no more lines: a cut one stays cut
                    }
                    collector.lastKey = source.key();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the decision log " + file + ": " + e.getMessage(), e);
        } finally {
            for (LogSource source : sources) {
                if (source != current) {
                    source.close();
                }
            }
        }
        return current;
    }

    private static void closeQuietly(LogSource source) {
        if (source != null) {
            source.close();
        }
    }

    /**
     * Whether every record in a rotated file is older than {@code since}: a record's time is taken before it is
     * written, so none is newer than the file's last change.
     */
    private static boolean before(LogSource source, AuditQuery query) {
        if (query.since() == null) {
            return false;
        }
        try {
            return Files.getLastModifiedTime(source.path()).toInstant().isBefore(query.since());
        } catch (IOException e) {
            return false; // renamed meanwhile: read it rather than guess
        }
    }

    private List<LogSource> openAll(Object after) {
        try {
            return LogSource.openAll(file, after);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the decision log " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses and filters what the sources read. Without a listener it keeps the matching records (the last
     * {@code tail} of them); with one, it hands them on at once, or, with a tail, keeps only that many until
     * {@link #flushTail()}.
     */
    private static final class Collector implements LogSource.Lines {
        final AuditQuery query;
        private final AuditListener listener;
        final ArrayDeque<AuditRecord> tail = new ArrayDeque<>();
        final List<AuditProblem> problems = new ArrayList<>();
        /** Records go straight to the listener. */
        private boolean direct;
        boolean stopped;
        /** The newest rotated file read to its end, as {@link LogSource#key()}. */
        Object lastKey;

        Collector(AuditQuery query, AuditListener listener) {
            this.query = query;
            this.listener = listener;
            this.direct = listener != null && query.tail() == 0;
        }

        /** Hands the kept records to the listener; from now on records go to it directly. */
        void flushTail() {
            while (!tail.isEmpty() && !stopped) {
                stopped = !listener.record(tail.removeFirst());
            }
            tail.clear();
            direct = true;
        }

        @Override
        public void line(String file, long number, String text) {
            AuditRecord record;
            try {
                record = AuditRecords.parse(text);
            } catch (IllegalArgumentException e) {
                bad(file, number, e.getMessage());
                return;
            }
            if (stopped || !AuditRecords.matches(query, record)) {
                return;
            }
            if (direct) {
                stopped = !listener.record(record);
                return;
            }
            tail.addLast(record);
            if (query.tail() > 0 && tail.size() > query.tail()) {
                tail.removeFirst();
            }
        }

        @Override
        public void bad(String file, long number, String why) {
            problem(new AuditProblem(file, number, why));
        }

        void problem(AuditProblem problem) {
            if (listener != null) {
                listener.skipped(problem);
            } else {
                problems.add(problem);
            }
        }
    }
}
