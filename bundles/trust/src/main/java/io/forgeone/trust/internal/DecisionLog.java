package io.forgeone.trust.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision log: one JSON object per line, appended and handed to the operating system before the call it
 * records goes on (so a crash of the node loses none), rotated by size ({@code decisions.log.1} ... {@code .N}).
 */
final class DecisionLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DecisionLog.class);
    private final Path file;
    private final long maxBytes;
    private final int keep;
    private OutputStream out;
    private long size;
    private long failures;

    DecisionLog(Path file, long maxBytes, int keep) {
        this.file = file;
        this.maxBytes = maxBytes;
        this.keep = Math.max(1, keep);
    }

    Path file() {
        return file;
    }

    /** Appends one record; the log's own failures are counted and logged, never thrown into the guest. */
    synchronized void append(Map<String, Object> record) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.putAll(record);
        StringBuilder text = new StringBuilder(256);
        Json.write(text, line);
        text.append('\n');
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        try {
            if (out == null) {
                open();
            }
            if (size > 0 && size + bytes.length > maxBytes) {
                rotate();
            }
            out.write(bytes);
            out.flush();
            size += bytes.length;
        } catch (IOException e) {
            failures++;
            LOG.error("Cannot write the decision log {} ({} records lost so far): {}", file, failures, e.toString());
            closeQuietly();
        }
    }

    private void open() throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(file);
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
                LOG.debug("Closing the decision log after a failure failed too", e);
            }
            out = null;
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
