package io.forgeone.api.container;

/** No container has the given id or name. */
public class ContainerNotFoundException extends ContainerException {
    private static final long serialVersionUID = 1L;

    public ContainerNotFoundException(String message) {
        super(message);
    }

    public ContainerNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
