package io.forgeone.wasi.internal;

/**
 * A WASI call failed with an errno. Thrown inside the implementation and turned into the call's i32 result
 * by {@link WasiFunction}; it never reaches the engine. No stack trace: it is control flow, not a bug.
 */
final class ErrnoException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    ErrnoException(int errno) {
        super(Errno.name(errno), null, false, false);
        this.errno = errno;
    }

    int errno() {
        return errno;
    }
}
