package io.forgeone.api.observe;

import java.nio.file.Path;

/** A trace file is not a trace, or is corrupted or cut short: says which file, where, and why. */
public class TraceFormatException extends TraceException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final long offset;

    public TraceFormatException(Path file, long offset, String why) {
        super(file + " at byte " + offset + ": " + why);
        this.file = file;
        this.offset = offset;
    }

    public TraceFormatException(Path file, long offset, String why, Throwable cause) {
        super(file + " at byte " + offset + ": " + why, cause);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    /** Byte offset in the file where the problem is. */
    public long offset() {
        return offset;
    }
}
