package io.forgeone.api.observe;

/**
 * A snapshot could not be taken, read, verified or restored; the message names the file or container and why.
 *
 * @since 1.1
 */
public class SnapshotException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SnapshotException(String message) {
        super(message);
    }

    public SnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
