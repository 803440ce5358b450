package io.forgeone.pkg.internal;

import io.forgeone.api.pkg.VerificationMode;
import java.time.Duration;
import java.util.Objects;

/**
 * The verifier's settings, copied once from its configuration.
 *
 * @param mode how authenticity failures are treated
 * @param requireHybrid whether a classical and a post-quantum signature are both required
 * @param clockSkew how far in the future a package's creation time may be
 * @param maxPackageSize the largest package file, in bytes
 * @param zip the limits on entries
 * @param maxManifestSize the largest {@code forge.json}, in bytes
 * @param maxSignatureSize the largest signature entry, in bytes
 */
record VerifierOptions(VerificationMode mode, boolean requireHybrid, Duration clockSkew, long maxPackageSize,
        StrictZip.Limits zip, long maxManifestSize, long maxSignatureSize) {
    private static final long MIB = 1024 * 1024;

    VerifierOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(clockSkew, "clockSkew");
        Objects.requireNonNull(zip, "zip");
        if (maxPackageSize > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("max package size must be under 2 GiB: " + maxPackageSize);
        }
    }

    static VerifierOptions of(VerifierConfig c) {
        return new VerifierOptions(VerificationMode.parse(c.mode()), c.require_hybrid(),
                Duration.ofSeconds(Math.max(0, c.clock_skew_seconds())), Math.max(1, c.max_package_mib()) * MIB,
                new StrictZip.Limits(Math.max(1, c.max_entries()), Math.max(1, c.max_entry_mib()) * MIB,
                        Math.max(1, c.max_total_mib()) * MIB),
                Math.max(1, c.max_manifest_kib()) * 1024L, 64 * 1024L);
    }
}
