package io.forgeone.provider.http.internal;

/** What forge:http.request returns to the guest: WASI preview1 error numbers. */
final class Errno {
    static final int SUCCESS = 0;
    /** The response body is larger than the guest's buffer or the provider's cap; what fitted was written. */
    static final int TOO_BIG = 1;
    /** The host refused the connection or could not be resolved. */
    static final int CONNECTION_REFUSED = 14;
    /** A pointer or length lies outside the guest's memory. */
    static final int FAULT = 21;
    /** The request body is larger than max_request_bytes. */
    static final int FILE_TOO_LARGE = 22;
    /** Not an http(s) URL with a host, an unknown method, or a malformed header. */
    static final int INVALID = 28;
    /** The exchange failed after connecting. */
    static final int IO = 29;
    /** The request took longer than its timeout. */
    static final int TIMED_OUT = 73;
    /** The policy has no net grant for the host and port. */
    static final int NOT_CAPABLE = 76;

    private Errno() {
    }
}
