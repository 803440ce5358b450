package io.forgeone.cli.internal;

import io.forgeone.api.wasi.OutputSink;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams of the {@code forge} process that a person sees. In command mode the launcher points
 * {@code System.out}/{@code System.err} at the log file, so the real terminal is reached through file descriptors
 * 1 and 2. Nothing is buffered: every write reaches the descriptor at once, so guest output and forge's own
 * messages come out in the order they were made.
 *
 * @param stdin what the guest reads, or {@code null} for nothing
 * @param stdout the process's standard output
 * @param stderr the process's standard error
 */
record Terminal(InputStream stdin, OutputStream stdout, OutputStream stderr) {
    private static final Logger LOG = LoggerFactory.getLogger(Terminal.class);

    Terminal {
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }

    /** File descriptors 0, 1 and 2 of this process. */
    static Terminal process() {
        return new Terminal(System.in, new FileOutputStream(FileDescriptor.out), new FileOutputStream(FileDescriptor.err));
    }

    /** Writes text (help, version) to standard output. */
    void print(String text) {
        write(stdout, text);
    }

    /** Writes text to standard output; false when it cannot be written (the reader of a pipe is gone). */
    boolean printChecked(String text) {
        try {
            stdout.write(text.getBytes(Charset.defaultCharset()));
            stdout.flush();
            return true;
        } catch (IOException e) {
            LOG.debug("Cannot write to the terminal", e);
            return false;
        }
    }

    /** Writes one line to standard error. */
    void error(String line) {
        write(stderr, line.endsWith("\n") ? line : line + "\n");
    }

    OutputSink stdoutSink() {
        return sink(stdout);
    }

    OutputSink stderrSink() {
        return sink(stderr);
    }

    private static OutputSink sink(OutputStream stream) {
        return (bytes, offset, length) -> {
            try {
                stream.write(bytes, offset, length);
                stream.flush();
            } catch (IOException e) {
                // a closed pipe (forge run x.wasm | head) must stop the guest's writes, as EPIPE would
                throw new UncheckedIOException("cannot write to the terminal: " + e.getMessage(), e);
            }
        };
    }

    private static void write(OutputStream stream, String text) {
        try {
            stream.write(text.getBytes(Charset.defaultCharset()));
            stream.flush();
        } catch (IOException e) {
            // the terminal is gone (closed pipe): nowhere left to show it, and the exit code still tells
            LOG.debug("Cannot write to the terminal", e);
        }
    }
}
