package io.forgeone.api.engine;

/** A module or instance does not fit its limits; the message names the limit. */
public class LimitExceededException extends EngineException {
    private static final long serialVersionUID = 1L;

    public LimitExceededException(String message) {
        super(message);
    }

    public LimitExceededException(String message, Throwable cause) {
        super(message, cause);
    }
}
