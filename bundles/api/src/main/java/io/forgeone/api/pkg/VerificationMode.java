package io.forgeone.api.pkg;

import java.util.Locale;

/**
 * How strictly the verifier treats authenticity (signatures, trust, revocation, validity period, hybrid rule).
 * Safety checks (zip structure, entry names, limits, the manifest, digests and extra entries) are enforced in
 * every mode: a package that fails them is never opened.
 */
public enum VerificationMode {
    /** Authenticity failures reject the package (the default). */
    ENFORCE,
    /** Authenticity failures are reported and logged; the package is accepted. */
    AUDIT,
    /** Authenticity is not checked. */
    OFF;

    /** The mode for a lowercase or uppercase name, e.g. {@code enforce}. */
    public static VerificationMode parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("verification mode must be enforce, audit or off, was '" + name + "'", e);
        }
    }
}
