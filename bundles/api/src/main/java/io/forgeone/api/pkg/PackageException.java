package io.forgeone.api.pkg;

import java.util.Objects;
import java.util.Optional;

/**
 * Root of the errors the package layer raises. The {@link #reason()} says which kind of failure it is (commands
 * derive their exit codes from it); the message names the package, entry or key.
 */
public class PackageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a package was refused or could not be handled. */
    public enum Reason {
        /** Not a well-formed package: broken zip, bad entry name, missing or invalid manifest. */
        MALFORMED,
        /** Over a limit: package size, entry count, an entry's size, or an entry that inflates past its size. */
        TOO_LARGE,
        /** The content does not match the manifest (digest, size, missing or extra entry) or a signature is wrong. */
        TAMPERED,
        /** No signature at all. */
        UNSIGNED,
        /** Signed, but by no key the trust store trusts for the manifest's publisher. */
        UNTRUSTED_KEY,
        /** Signed by a key that was revoked. */
        REVOKED_KEY,
        /** Past the manifest's expiry time. */
        EXPIRED,
        /** Created later than now (beyond the allowed clock skew). */
        NOT_YET_VALID,
        /** The hybrid rule is on and a classical or a post-quantum signature by the publisher is missing. */
        HYBRID_MISSING,
        /** The trust store cannot be read, so no decision can be made. */
        TRUST_STORE,
        /** A file cannot be read or written. */
        IO
    }

    private final Reason reason;
    private final transient VerificationReport report;

    public PackageException(Reason reason, String message) {
        this(reason, message, null, null);
    }

    public PackageException(Reason reason, String message, Throwable cause) {
        this(reason, message, null, cause);
    }

    public PackageException(Reason reason, String message, VerificationReport report, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.report = report;
    }

    public Reason reason() {
        return reason;
    }

    /** The full report when the failure came from verification. */
    public Optional<VerificationReport> report() {
        return Optional.ofNullable(report);
    }
}
