package io.forgeone.api.observe;

/** Nothing is recorded for the container asked for. */
public class NoSuchTraceException extends TraceException {
    private static final long serialVersionUID = 1L;

    public NoSuchTraceException(String message) {
        super(message);
    }
}
