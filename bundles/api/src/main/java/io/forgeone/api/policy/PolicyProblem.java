package io.forgeone.api.policy;

import java.util.Objects;

/**
 * Why a policy file was refused.
 *
 * @param file the file
 * @param line 1-based line, or 0 when unknown
 * @param column 1-based column, or 0 when unknown
 * @param path where in the document, for example {@code grants.fs[1].access}
 * @param message why
 */
public record PolicyProblem(String file, int line, int column, String path, String message) {
    public PolicyProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": "
                + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
