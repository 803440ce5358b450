package io.forgeone.launcher;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;

/**
 * {@code var/log/forge.log}, shared by every forge process of an installation: opened for append (each line is
 * one {@code write} to an {@code O_APPEND} descriptor, so concurrent processes interleave whole lines), and every
 * line names its process. The same stream becomes {@code System.err} (and in command mode {@code System.out}), which
 * slf4j-simple writes to, so the launcher, the framework and the bundles log in one place and one format.
 */
final class LogFile {
    /** Past this size the log is moved to forge.log.1 (replacing the previous one) when a process starts. */
    private static final long ROTATE_BYTES = 10L << 20;

    /** slf4j-simple's dateTimeFormat (SimpleDateFormat), matching {@link #timestamp}. */
    static final String DATE_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSS";

    private final Path path;
    private final PrintStream stream;
    private final String pid;

    private LogFile(Path path, PrintStream stream) {
        this.path = path;
        this.stream = stream;
        this.pid = Long.toString(ProcessHandle.current().pid());
    }

    static LogFile open(Path path) throws IOException {
        rotateIfLarge(path);
        // the PrintStream is the one place that buffers: autoflush on println/write keeps lines whole and prompt
        return new LogFile(path, new PrintStream(new FileOutputStream(path.toFile(), true), true, StandardCharsets.UTF_8));
    }

    private static void rotateIfLarge(Path path) throws IOException {
        try {
            if (Files.size(path) > ROTATE_BYTES) {
                Files.move(path, path.resolveSibling(path.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (NoSuchFileException e) {
            // first run, or another forge process rotated it a moment ago: either way there is nothing to move
        }
    }

    Path path() {
        return path;
    }

    PrintStream stream() {
        return stream;
    }

    /** The process id, put in every line (slf4j-simple gets it through its date format). */
    String pid() {
        return pid;
    }

    void info(String message) {
        write("INFO", "launcher", message, null);
    }

    void warn(String message, Throwable cause) {
        write("WARN", "launcher", message, cause);
    }

    void error(String message, Throwable cause) {
        write("ERROR", "launcher", message, cause);
    }

    /** One line in slf4j-simple's layout: time, process, thread, level, source, message; then the stack trace. */
    void write(String level, String source, String message, Throwable cause) {
        String line = timestamp(LocalDateTime.now()) + " [pid " + pid + "] [" + Thread.currentThread().getName() + "] "
                + level + " " + source + " - " + message;
        synchronized (stream) {
            stream.println(line);
            if (cause != null) {
                cause.printStackTrace(stream);
            }
        }
    }

    /** {@code 2026-11-22T04:31:02.123}, as slf4j-simple's {@link #DATE_FORMAT} writes it, without java.time's formatters. */
    static String timestamp(LocalDateTime t) {
        StringBuilder out = new StringBuilder(23);
        out.append(t.getYear()).append('-');
        pad(out, t.getMonthValue(), 2).append('-');
        pad(out, t.getDayOfMonth(), 2).append('T');
        pad(out, t.getHour(), 2).append(':');
        pad(out, t.getMinute(), 2).append(':');
        pad(out, t.getSecond(), 2).append('.');
        return pad(out, t.getNano() / 1_000_000, 3).toString();
    }

    private static StringBuilder pad(StringBuilder out, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }
}
