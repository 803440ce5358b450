package io.forgeone.observer.internal;

import io.forgeone.api.observe.TraceException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Appends one run's trace to numbered files in its folder ({@code 000001.trace}, {@code 000002.trace}, ...):
 * when a file reaches the size cap the next one starts, with the header again so that each file can be read
 * alone, and the oldest files beyond the number kept are deleted. Not thread-safe: its owner serialises calls.
 */
final class TraceFileWriter implements AutoCloseable {
    private final Path dir;
    private final TraceHeader header;
    private final long maxBytes;
    private final int keep;
    private final Codec.Out out = new Codec.Out();
    private final Deque<Path> files = new ArrayDeque<>();
    private OutputStream stream;
    private long size;
    private long headerEnd;
    private int part;

    TraceFileWriter(Path dir, TraceHeader header, long maxBytes, int keep) {
        this.dir = dir;
        this.header = header;
        this.maxBytes = maxBytes;
        this.keep = Math.max(1, keep);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new TraceException("cannot create trace folder " + dir + ": " + e.getMessage(), e);
        }
        open(0);
    }

    static String fileName(int part) {
        return String.format(Locale.ROOT, "%06d.trace", part);
    }

    private void open(long firstSequence) {
        part++;
        Path file = dir.resolve(fileName(part));
        try {
            stream = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), 64 * 1024);
            stream.write(TraceFormat.MAGIC);
            stream.write(TraceFormat.VERSION);
            size = TraceFormat.PREAMBLE;
        } catch (IOException e) {
            throw new TraceException("cannot create trace file " + file + ": " + e.getMessage(), e);
        }
        files.addLast(file);
        out.reset();
        TraceFormat.writeHeader(out, header.withPart(part, firstSequence));
        frame();
        headerEnd = size;
        while (files.size() > keep) {
            Path oldest = files.removeFirst();
            try {
                Files.deleteIfExists(oldest);
            } catch (IOException e) {
                throw new TraceException("cannot delete rotated trace file " + oldest + ": " + e.getMessage(), e);
            }
        }
    }

    void call(RawCall call) {
        out.reset();
        TraceFormat.writeCall(out, call);
        rotateFor(call.sequence());
        frame();
    }

    void lost(long from, long count) {
        out.reset();
        TraceFormat.writeLost(out, from, count);
        frame();
    }

    void end(long calls, int exitCode, String outcome) {
        out.reset();
        TraceFormat.writeEnd(out, calls, exitCode, outcome);
        frame();
    }

    private void rotateFor(long sequence) {
        if (size + TraceFormat.FRAME_HEAD + out.size() > maxBytes && size > headerEnd) {
            byte[] pending = java.util.Arrays.copyOf(out.array(), out.size());
            closeStream();
            open(sequence);
            out.reset();
            out.bytes(pending, 0, pending.length);
        }
    }

    private void frame() {
        try {
            byte[] head = new byte[TraceFormat.FRAME_HEAD];
            int length = out.size();
            long crc = TraceFormat.crc(out.array(), 0, length);
            for (int i = 0; i < 4; i++) {
                head[i] = (byte) (length >>> (24 - 8 * i));
                head[4 + i] = (byte) (crc >>> (24 - 8 * i));
            }
            stream.write(head);
            stream.write(out.array(), 0, length);
            size += TraceFormat.FRAME_HEAD + length;
        } catch (IOException e) {
            throw new TraceException("cannot write trace file " + files.peekLast() + ": " + e.getMessage(), e);
        }
    }

    void flush() {
        try {
            stream.flush();
        } catch (IOException e) {
            throw new TraceException("cannot write trace file " + files.peekLast() + ": " + e.getMessage(), e);
        }
    }

    List<Path> files() {
        return List.copyOf(files);
    }

    private void closeStream() {
        try {
            stream.close();
        } catch (IOException e) {
            throw new TraceException("cannot close trace file " + files.peekLast() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeStream();
    }
}
