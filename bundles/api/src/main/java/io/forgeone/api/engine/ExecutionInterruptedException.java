package io.forgeone.api.engine;

/** A call was stopped because its thread was interrupted (timeout, kill). */
public class ExecutionInterruptedException extends EngineException {
    private static final long serialVersionUID = 1L;

    public ExecutionInterruptedException(String message) {
        super(message);
    }

    public ExecutionInterruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
