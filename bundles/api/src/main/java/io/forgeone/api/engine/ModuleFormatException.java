package io.forgeone.api.engine;

/** The bytes are not a valid WebAssembly module; the message says why. */
public class ModuleFormatException extends EngineException {
    private static final long serialVersionUID = 1L;

    public ModuleFormatException(String message) {
        super(message);
    }

    public ModuleFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
