package io.forgeone.api.engine;

/** An access through GuestMemory fell outside linear memory. */
public class MemoryAccessException extends EngineException {
    private static final long serialVersionUID = 1L;

    public MemoryAccessException(String message) {
        super(message);
    }

    public MemoryAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
