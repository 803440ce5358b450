package io.forgeone.api.gate;

/** Raised into the guest as a trap when the gate denies a call that has no error number to return. */
public class HostCallDeniedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HostCallDeniedException(String message) {
        super(message);
    }
}
