package io.forgeone.api.engine;

/** The guest trapped (unreachable, out-of-bounds access, stack overflow, a failed host call ...). */
public class TrapException extends EngineException {
    private static final long serialVersionUID = 1L;

    public TrapException(String message) {
        super(message);
    }

    public TrapException(String message, Throwable cause) {
        super(message, cause);
    }
}
