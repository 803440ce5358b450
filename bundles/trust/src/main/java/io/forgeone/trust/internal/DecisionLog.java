package io.forgeone.trust.internal;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision log: one JSON object per line, rotated by size ({@code decisions.log.1} ... {@code .N}).
 *
 * <p>Writing is a group commit. A record goes into a bounded queue and a writer thread writes whatever has
 * queued up in one write, so that logging allowed calls costs the calling guest little more than the queueing.
 * Records that are not {@code allow} (denials, and anything an operator must be able to rely on) are handed to
 * the operating system before {@link #append} returns, as every record was before: the calling thread takes
 * the writer's lock and writes the queue up to and including its own record, so the log keeps the order in
 * which records were appended. When the queue is full the calling thread writes the queue itself (backpressure:
 * a record is never dropped). {@link #flush()} and {@link #close()} write everything appended before them.
 *
 * <p>Writes go through a {@link FileOutputStream}, which, unlike a {@code FileChannel}, a guest thread being
 * interrupted (stopped, timed out) cannot close half-way.
 */
final class DecisionLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DecisionLog.class);
    /** Records waiting for the writer; at about 300 bytes each a full queue is about a megabyte. */
    static final int QUEUE = 4096;
    /** How long the idle writer sleeps before it looks again (appends wake it sooner). */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long CLOSE_WAIT_MS = 5_000;
    /** Records per write at most, which bounds the text buffer. */
    private static final int BATCH = 1024;
    private static final String ALLOW = "allow";

    private record Pending(Instant time, Map<String, Object> record) {
    }

    private final Path file;
    private final long maxBytes;
    private final int keep;
    private final BlockingQueue<Pending> queue;
    /** Held while records are taken off the queue and written, so that batches are written in queue order. */
    private final ReentrantLock io = new ReentrantLock();
    private final List<Pending> batch = new ArrayList<>();
    private final StringBuilder text = new StringBuilder(64 * 1024);
    private OutputStream out;
    private final InstantText times = new InstantText();
    private long size;
    private long lost;

    private volatile Thread writer;
    private volatile boolean writerIdle;
    private volatile boolean closed;

    DecisionLog(Path file, long maxBytes, int keep) {
        this(file, maxBytes, keep, QUEUE);
    }

    DecisionLog(Path file, long maxBytes, int keep, int queueCapacity) {
        this.file = file;
        this.maxBytes = maxBytes;
        this.keep = Math.max(1, keep);
        this.queue = new ArrayBlockingQueue<>(Math.max(1, queueCapacity));
    }

    Path file() {
        return file;
    }

    /**
     * Appends one record, with the current time as its {@code time}; the record is this log's from now on (the
     * caller must not change it). An {@code allow} record is queued; any other is on the operating system when
     * this returns. The log's own failures are counted and logged, never thrown into the guest.
     */
    void append(Map<String, Object> record) {
        if (ALLOW.equals(record.get("decision"))) {
            appendQueued(record);
        } else {
            appendDurable(record);
        }
    }

    /** Queues a record for the writer thread. */
    void appendQueued(Map<String, Object> record) {
        enqueue(new Pending(Instant.now(), record));
        if (closed) {
            // close() may already have taken its last look at the queue: write this one here
            writeQueued(true);
            return;
        }
        Thread w = writer;
        if (w == null) {
            w = startWriter();
        }
        if (writerIdle && w != null) {
            LockSupport.unpark(w);
        }
    }

    /** Appends a record and returns once it (and everything appended before it) is on the operating system. */
    void appendDurable(Map<String, Object> record) {
        enqueue(new Pending(Instant.now(), record));
        writeQueued(closed);
    }

    /** Returns once every record appended before this call is on the operating system. */
    void flush() {
        writeQueued(closed);
    }

    /** How many records could not be written (the log's own I/O failures) since it was opened. */
    long lost() {
        io.lock();
        try {
            return lost;
        } finally {
            io.unlock();
        }
    }

    private void enqueue(Pending pending) {
        while (!queue.offer(pending)) {
            // full: the guest writes the backlog itself rather than lose a record or wait for the writer
            writeQueued(false);
        }
    }

    private synchronized Thread startWriter() {
        if (writer == null && !closed) {
            Thread t = new Thread(this::writeLoop, "forge-decision-log");
            t.setDaemon(true);
            writer = t;
            t.start();
        }
        return writer;
    }

    private void writeLoop() {
        while (!closed) {
            if (queue.isEmpty()) {
                writerIdle = true;
                // an append that saw writerIdle false queued before this check, so its record is seen here
                if (queue.isEmpty() && !closed) {
                    LockSupport.parkNanos(this, IDLE_NANOS);
                }
                writerIdle = false;
            }
            writeQueued(false);
        }
    }

    /** Takes everything queued so far and writes it; with {@code thenClose}, closes the file afterwards. */
    private void writeQueued(boolean thenClose) {
        io.lock();
        try {
            while (queue.drainTo(batch, BATCH) > 0) {
                write(batch);
                batch.clear();
            }
            if (thenClose) {
                closeQuietly();
            }
        } finally {
            batch.clear();
            io.unlock();
        }
    }

    /** Writes a batch in as few writes as rotation allows. Called with {@link #io} held. */
    private void write(List<Pending> records) {
        int unwritten = records.size();
        try {
            if (out == null) {
                open();
            }
            text.setLength(0);
            int inText = 0;
            long inBytes = 0;
            for (Pending p : records) {
                int mark = text.length();
                try {
                    line(p);
                } catch (RuntimeException e) {
                    // a value whose toString() fails: lose this record, not the batch
                    text.setLength(mark);
                    lost++;
                    unwritten--;
                    LOG.error("Cannot write a decision log record as JSON ({} records lost so far)", lost, e);
                    continue;
                }
                long lineBytes = utf8Length(text, mark);
                if (size + inBytes > 0 && size + inBytes + lineBytes > maxBytes) {
                    String line = text.substring(mark);
                    text.setLength(mark);
                    writeText();
                    unwritten -= inText;
                    inText = 0;
                    inBytes = 0;
                    rotate();
                    text.append(line);
                }
                inText++;
                inBytes += lineBytes;
            }
            writeText();
        } catch (IOException e) {
            // the file system failed (full disk, a folder gone, no permission)
            lost += unwritten;
            LOG.error("Cannot write the decision log {} ({} records lost so far): {}", file, lost, e.toString());
            closeQuietly();
        }
    }

    /** Appends one record as a line of JSON to {@link #text}, its time first. */
    private void line(Pending p) {
        text.append("{\"time\":\"");
        times.append(text, p.time());
        text.append('"');
        for (Map.Entry<String, Object> e : p.record().entrySet()) {
            if (e.getKey().equals("time")) {
                continue; // the log's own time is the one that counts
            }
            text.append(',');
            Json.string(text, e.getKey());
            text.append(':');
            Json.write(text, e.getValue());
        }
        text.append("}\n");
    }

    private void writeText() throws IOException {
        if (text.length() == 0) {
            return;
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        text.setLength(0);
        out.write(bytes);
        size += bytes.length;
    }

    private static long utf8Length(CharSequence s, int from) {
        long n = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private void open() throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        out = new FileOutputStream(file.toFile(), true);
        size = Files.size(file);
        if (size > 0 && !endsWithNewline()) {
            // a crash cut the last line short: end it, so that the next record starts a line of its own
            out.write('\n');
            size++;
        }
    }

    private boolean endsWithNewline() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            f.seek(f.length() - 1);
            return f.read() == '\n';
        }
    }

    private void rotate() throws IOException {
        out.close();
        out = null;
        for (int i = keep - 1; i >= 1; i--) {
            Path from = sibling(i);
            if (Files.exists(from)) {
                Files.move(from, sibling(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, sibling(1), StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    private Path sibling(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.debug("Closing the decision log failed; its records were written before", e);
            }
            out = null;
        }
    }

    /**
     * Writes every record appended so far and closes the file. Appends after this still reach the file: each
     * is written at once, and the file closed again.
     */
    @Override
    public void close() {
        closed = true;
        Thread w;
        synchronized (this) {
            w = writer;
        }
        if (w != null) {
            LockSupport.unpark(w);
            try {
                w.join(CLOSE_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.debug("Interrupted while the decision log writer finished; writing the rest here", e);
            }
        }
        writeQueued(true);
    }
}
