package io.forgeone.api.policy;

import java.util.Objects;

/**
 * A line of the decision log that could not be read as a record; reading goes on after it.
 *
 * @param file the log file
 * @param line its 1-based line number in that file
 * @param message why it was skipped
 */
public record AuditProblem(String file, long line, String message) {
    public AuditProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }
}
