package io.forgeone.api.engine;

/**
 * Thrown by a host function to end the guest with an exit code (WASI {@code proc_exit}). Engines let it
 * propagate unchanged out of {@link WasmInstance#call}, unwrapping it if their runtime wrapped it.
 */
public class GuestExitException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public GuestExitException(int exitCode) {
        super("guest exited with code " + exitCode, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
