package io.forgeone.api.container;

/** The operation is not allowed in the container's current state; nothing changed. */
public class ContainerStateException extends ContainerException {
    private static final long serialVersionUID = 1L;

    public ContainerStateException(String message) {
        super(message);
    }

    public ContainerStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
