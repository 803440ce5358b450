package io.forgeone.pkg.internal;

import io.forgeone.api.pkg.PackageException.Reason;

/** A zip that breaks a rule, with the check it fails and the kind of failure. */
final class ZipFormatException extends Exception {
    private static final long serialVersionUID = 1L;
    final String check;
    final transient Reason reason;

    ZipFormatException(String check, Reason reason, String message) {
        super(message);
        this.check = check;
        this.reason = reason;
    }
}
