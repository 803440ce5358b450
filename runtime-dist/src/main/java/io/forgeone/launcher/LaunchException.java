package io.forgeone.launcher;

/** The launcher cannot go on; the message is the one line a person sees, the cause goes to the log. */
final class LaunchException extends Exception {
    private static final long serialVersionUID = 1L;

    LaunchException(String message) {
        super(message);
    }

    LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
