package io.forgeone.api.pkg;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Verifies packages in memory against the trust store, in the configured {@link VerificationMode}. Nothing is
 * written anywhere.
 */
@ProviderType
public interface PackageVerifier {

    /**
     * Runs every check on a package's bytes. A package that fails is a {@link VerificationReport.Verdict#REJECTED}
     * report, not an exception.
     *
     * @throws PackageException ({@link PackageException.Reason#TRUST_STORE}) when the trust store cannot be read
     */
    VerificationReport verify(byte[] pkg);

    /** The mode this verifier runs in. */
    VerificationMode mode();
    /**
     * Packages this verifier has rejected since it started (a report with verdict
     * {@link VerificationReport.Verdict#REJECTED}), for metrics.
     *
     * @throws UnsupportedOperationException when this verifier does not count them
     */
    default long rejections() {
        throw new UnsupportedOperationException("this verifier does not count rejections");
    }
}
