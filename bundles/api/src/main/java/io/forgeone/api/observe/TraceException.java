package io.forgeone.api.observe;

/** Reading, writing or replaying a trace failed; the message names the trace or container and why. */
public class TraceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TraceException(String message) {
        super(message);
    }

    public TraceException(String message, Throwable cause) {
        super(message, cause);
    }
}
