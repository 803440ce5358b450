package io.forgeone.api.pkg;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the verifier found.
 *
 * @param packageId lowercase hex SHA-256 of the package's bytes
 * @param manifest the manifest, or {@code null} when it could not be read
 * @param mode the mode the verifier ran in
 * @param checks every check in the order run; checks after a failed safety check are {@link Outcome#SKIPPED}
 * @param verdict the conclusion
 * @param fromStore whether the cryptographic work was taken from the package store (an earlier verification of
 *        the same bytes); the trust decisions are always made afresh
 */
public record VerificationReport(String packageId, PackageManifest manifest, VerificationMode mode, List<Check> checks,
        Verdict verdict, boolean fromStore) {

    public VerificationReport {
        Objects.requireNonNull(packageId, "packageId");
        Objects.requireNonNull(mode, "mode");
        checks = List.copyOf(Objects.requireNonNull(checks, "checks"));
        Objects.requireNonNull(verdict, "verdict");
    }

    /** The conclusion of a verification. */
    public enum Verdict {
        /** Every check passed. */
        VERIFIED,
        /** Authenticity checks failed but the mode is {@link VerificationMode#AUDIT}: accepted, and logged. */
        AUDITED,
        /** Authenticity was not checked ({@link VerificationMode#OFF}); the safety checks passed. */
        UNVERIFIED,
        /** Refused. */
        REJECTED;

        /** Whether the package may be opened. */
        public boolean accepted() {
            return this != REJECTED;
        }
    }

    /** How a check ended. */
    public enum Outcome { PASSED, FAILED, SKIPPED }

    /**
     * One named check.
     *
     * @param name one of the constants of this record, e.g. {@value #ENTRIES_PINNED}
     * @param outcome how it ended
     * @param detail for people: what was checked or what was wrong
     * @param reason the failure's kind when {@link Outcome#FAILED}, else {@code null}
     */
    public record Check(String name, Outcome outcome, String detail, PackageException.Reason reason) {
        /** The zip itself: end record, central directory, local headers agree, no encryption, stored or deflated. */
        public static final String ARCHIVE = "archive";
        /** Entry names: no duplicate (also ignoring case), absolute, {@code ..}, backslash, drive letter or directory. */
        public static final String ENTRY_NAMES = "entry-names";
        /** Package size, entry count and entry sizes, from the central directory and again while inflating. */
        public static final String LIMITS = "limits";
        /** {@code forge.json} is present, strict canonical JSON, and a valid manifest. */
        public static final String MANIFEST = "manifest";
        /** Every entry the manifest lists is present with its SHA-256 and size. */
        public static final String ENTRIES_PINNED = "entries-pinned";
        /** Nothing besides the manifest, the pinned entries and signatures by the publisher's listed keys. */
        public static final String NO_EXTRA_ENTRIES = "no-extra-entries";
        /** At least one signature, and every signature by a known key is valid over the manifest. */
        public static final String SIGNATURES = "signatures";
        /** A valid signature by a key the trust store trusts for the manifest's publisher. */
        public static final String TRUSTED_KEY = "trusted-key";
        /** No signature by a revoked key. */
        public static final String NOT_REVOKED = "not-revoked";
        /** Not expired and not created in the future (beyond the clock skew). */
        public static final String VALIDITY = "validity";
        /** When required: valid trusted signatures by both a classical and a post-quantum key. */
        public static final String HYBRID = "hybrid";

        public Check {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(detail, "detail");
            if ((outcome == Outcome.FAILED) != (reason != null)) {
                throw new IllegalArgumentException("a failed check needs a reason and only a failed check has one: "
                        + name + " " + outcome + " " + reason);
            }
        }

        public static Check passed(String name, String detail) {
            return new Check(name, Outcome.PASSED, detail, null);
        }

        public static Check failed(String name, PackageException.Reason reason, String detail) {
            return new Check(name, Outcome.FAILED, detail, Objects.requireNonNull(reason, "reason"));
        }

        public static Check skipped(String name, String detail) {
            return new Check(name, Outcome.SKIPPED, detail, null);
        }

        public boolean passed() {
            return outcome == Outcome.PASSED;
        }
    }

    /** The checks that failed, in order. */
    public List<Check> failures() {
        return checks.stream().filter(c -> c.outcome() == Outcome.FAILED).toList();
    }

    /** The first failed check, which names the reason a rejected package was refused. */
    public Optional<Check> firstFailure() {
        return checks.stream().filter(c -> c.outcome() == Outcome.FAILED).findFirst();
    }

    /** The check of that name, if it was run or skipped. */
    public Optional<Check> check(String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
