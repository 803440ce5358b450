package io.forgeone.provider.kv.internal;

/** What a forge:kv call returns to the guest: WASI preview1 error numbers, so guests can reuse their errno names. */
final class Errno {
    static final int SUCCESS = 0;
    /** The value (or key list) does not fit the guest's buffer; the length it needs was written. */
    static final int TOO_BIG = 1;
    /** A pointer or length lies outside the guest's memory. */
    static final int FAULT = 21;
    /** The value is larger than max_value_bytes. */
    static final int FILE_TOO_LARGE = 22;
    /** The key is empty, not UTF-8, or holds a NUL byte. */
    static final int INVALID = 28;
    /** The store could not be read or written. */
    static final int IO = 29;
    /** The key is longer than max_key_bytes. */
    static final int NAME_TOO_LONG = 37;
    /** No such key. */
    static final int NO_ENTRY = 44;
    /** The package's store is full (max_package_bytes or max_keys). */
    static final int NO_SPACE = 51;
    /** The policy denied the call. */
    static final int NOT_CAPABLE = 76;

    private Errno() {
    }
}
