package io.forgeone.provider.kv.internal;

/** A store operation that fails with an error number for the guest. */
final class KvException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int errno;

    KvException(int errno, String message) {
        super(message);
        this.errno = errno;
    }

    KvException(int errno, String message, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }
}
