package io.forgeone.trust.internal;

/** What a filesystem grant allows on the paths it matches. */
enum Access {
    /** open for reading, stat, list, readlink */
    READ,
    /** open for writing or truncating, set times, set size */
    WRITE,
    /** make a file, directory or link */
    CREATE,
    /** unlink a file, remove a directory, rename away */
    DELETE
}
