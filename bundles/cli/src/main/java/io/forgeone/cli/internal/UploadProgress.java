package io.forgeone.cli.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * The progress line of an upload on standard error: on a terminal it is redrawn in place from the start; otherwise
 * (a log, a CI job) a plain line is written once a second, and only when the upload has taken more than a second,
 * so that quick uploads leave no trace in a script's output. Once every byte is sent it says what the node is
 * doing meanwhile (verifying a package, storing a module).
 */
final class UploadProgress implements LongConsumer, AutoCloseable {
    static final long QUIET_MS = 1000;
    private static final long TERMINAL_TICK_MS = 200;

    private final OutputStream err;
    private final String label;
    private final long size;
    private final boolean terminal;
    private final String after;
    private final long start = System.nanoTime();
    private final Thread ticker;
    private volatile long sent;
    private volatile boolean done;
    private boolean shown;
    private int lastLength;

    /**
     * @param label what is uploaded, e.g. the file's name
     * @param terminal whether standard error is a terminal (redraw in place)
     * @param after what the node does once it has every byte, e.g. "verifying"
     */
    UploadProgress(OutputStream err, String label, long size, boolean terminal, String after) {
        this.err = err;
        this.label = label;
        this.size = size;
        this.terminal = terminal;
        this.after = after;
        this.ticker = new Thread(this::tick, "forge-upload-progress");
        this.ticker.setDaemon(true);
    }

    UploadProgress start() {
        ticker.start();
        return this;
    }

    @Override
    public void accept(long total) {
        sent = total;
    }

    private void tick() {
        long tick = terminal ? TERMINAL_TICK_MS : QUIET_MS;
        try {
            Thread.sleep(terminal ? TERMINAL_TICK_MS : QUIET_MS);
            while (!done) {
                show(line(sent, (System.nanoTime() - start) / 1_000_000));
                Thread.sleep(tick);
            }
        } catch (InterruptedException e) {
            // close() ends the ticker
            Thread.currentThread().interrupt();
        }
    }

    /** The line for {@code bytes} sent after {@code elapsedMs}. */
    String line(long bytes, long elapsedMs) {
        String seconds = String.format(Locale.ROOT, "%.1fs", elapsedMs / 1000.0);
        if (bytes >= size) {
            return "forge: uploaded " + label + " (" + ContainerTable.bytes(size) + "), " + after + "... " + seconds;
        }
        long percent = size == 0 ? 100 : bytes * 100 / size;
        return "forge: uploading " + label + ": " + ContainerTable.bytes(bytes) + " of " + ContainerTable.bytes(size)
                + " (" + percent + "%) " + seconds;
    }

    private synchronized void show(String line) {
        if (done) {
            return;
        }
        if (terminal) {
            String pad = line.length() < lastLength ? " ".repeat(lastLength - line.length()) : "";
            write("\r" + line + pad);
            lastLength = line.length();
        } else {
            write(line + "\n");
        }
        shown = true;
    }

    @Override
    public void close() {
        done = true;
        ticker.interrupt();
        try {
            ticker.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (shown && terminal) {
                // the line goes: what follows (the guest's output, an error) starts on a clean line
                write("\r" + " ".repeat(lastLength) + "\r");
            }
        }
    }

    private void write(String text) {
        try {
            err.write(text.getBytes(StandardCharsets.UTF_8));
            err.flush();
        } catch (IOException e) {
            // standard error is gone (closed pipe): the progress line is not worth failing the upload for
            done = true;
        }
    }
}
