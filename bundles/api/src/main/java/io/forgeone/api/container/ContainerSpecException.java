package io.forgeone.api.container;

/** The spec cannot run: missing or invalid module, no _start, unknown engine, bad directory. */
public class ContainerSpecException extends ContainerException {
    private static final long serialVersionUID = 1L;

    public ContainerSpecException(String message) {
        super(message);
    }

    public ContainerSpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
