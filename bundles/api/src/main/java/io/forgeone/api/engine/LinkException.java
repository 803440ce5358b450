package io.forgeone.api.engine;

/** An import of the module cannot be satisfied; the message names it. */
public class LinkException extends EngineException {
    private static final long serialVersionUID = 1L;

    public LinkException(String message) {
        super(message);
    }

    public LinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
