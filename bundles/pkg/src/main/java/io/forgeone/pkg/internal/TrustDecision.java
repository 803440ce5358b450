package io.forgeone.pkg.internal;

import static io.forgeone.api.pkg.VerificationReport.Check.HYBRID;
import static io.forgeone.api.pkg.VerificationReport.Check.NOT_REVOKED;
import static io.forgeone.api.pkg.VerificationReport.Check.SIGNATURES;
import static io.forgeone.api.pkg.VerificationReport.Check.TRUSTED_KEY;
import static io.forgeone.api.pkg.VerificationReport.Check.VALIDITY;

import io.forgeone.api.crypto.CryptoException;
import io.forgeone.api.crypto.SignatureScheme;
import io.forgeone.api.pkg.PackageException.Reason;
import io.forgeone.api.pkg.PackageManifest;
import io.forgeone.api.pkg.TrustedKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The authenticity checks: signatures, trust, revocation, validity period and the hybrid rule, made on a package's
 * facts against one reading of the trust store.
 *
 * <p>A signature counts for a package when its key is listed in the manifest's publisher keys, the trust store
 * holds the key under the manifest's publisher name, the signature's scheme is the key's, and it verifies over the
 * manifest's canonical bytes. A signature by a revoked key rejects the package even when another signature counts
 * (the revoked key's holder may be the one who built it). A signature whose key the store does not hold cannot be
 * checked and is ignored, so packages may carry signatures for other nodes' trust stores.
 *
 * <p>Signature results are pure facts (a key id names one public key exactly, and the manifest bytes are fixed by
 * the package id), so they are cached by key id and never recomputed for the same package.
 */
final class TrustDecision {

    /** One reading of the trust store. */
    record TrustSnapshot(Map<String, TrustedKey> keys, Set<String> revoked) {
    }

    private TrustDecision() {
    }

    /**
     * Runs the authenticity checks into {@code checks}.
     *
     * @param known signature results by key id from earlier checks of the same package; updated with new ones
     */
    static void run(PackageFacts facts, TrustSnapshot trust, Function<String, SignatureScheme> schemes,
            boolean requireHybrid, Duration skew, Instant now, Map<String, Boolean> known, CheckList checks) {
        PackageManifest manifest = facts.manifest();
        String publisher = manifest.publisher().name();
        List<String> problems = new ArrayList<>();
        Reason signatureReason = null;
        List<TrustedKey> counted = new ArrayList<>();
        List<String> wrongName = new ArrayList<>();
        List<String> revokedKeys = new ArrayList<>();
        int checked = 0;
        for (PackageFacts.SignatureFile sig : facts.signatures()) {
            if (trust.revoked().contains(sig.keyId())) {
                revokedKeys.add(sig.keyId());
            }
            if (!manifest.publisher().keys().contains(sig.keyId())) {
                problems.add(sig.entry() + ": key not listed among the publisher's keys");
                signatureReason = first(signatureReason, Reason.UNTRUSTED_KEY);
                continue;
            }
            TrustedKey key = trust.keys().get(sig.keyId());
            if (key == null) {
                continue;
            }
            if (!key.info().algorithm().equals(sig.scheme())) {
                problems.add(sig.entry() + ": the trusted key is " + key.info().algorithm() + ", not " + sig.scheme());
                signatureReason = first(signatureReason, Reason.TAMPERED);
                continue;
            }
            SignatureScheme scheme = schemes.apply(sig.scheme());
            Boolean valid = known.get(sig.keyId());
            if (valid == null) {
                if (scheme == null) {
                    problems.add(sig.entry() + ": no " + sig.scheme() + " signature scheme is available on this node");
                    signatureReason = first(signatureReason, Reason.UNTRUSTED_KEY);
                    continue;
                }
                try {
                    valid = scheme.verify(key.key(), facts.manifestBytes(), sig.signature());
                } catch (CryptoException e) {
                    problems.add(sig.entry() + ": " + e.getMessage());
                    signatureReason = first(signatureReason, Reason.TAMPERED);
                    continue;
                }
                known.put(sig.keyId(), valid);
            }
            checked++;
            if (!valid) {
                problems.add(sig.entry() + ": does not verify over the manifest (key '" + key.name() + "')");
                signatureReason = first(signatureReason, Reason.TAMPERED);
            } else if (key.name().equals(publisher)) {
                counted.add(key);
            } else {
                wrongName.add(key.id().substring(0, 16) + " is trusted for '" + key.name() + "'");
            }
        }

        if (facts.signatures().isEmpty()) {
            checks.fail(SIGNATURES, Reason.UNSIGNED, "the package has no signature entries");
        } else if (signatureReason != null) {
            checks.fail(SIGNATURES, signatureReason, String.join("; ", problems));
        } else {
            checks.pass(SIGNATURES, facts.signatures().size() + " signature entries, " + checked
                    + " by keys in the trust store, all valid");
        }

        if (!counted.isEmpty()) {
            checks.pass(TRUSTED_KEY, "signed for publisher '" + publisher + "' by " + describe(counted));
        } else if (!wrongName.isEmpty()) {
            checks.fail(TRUSTED_KEY, Reason.UNTRUSTED_KEY, "no trusted key of publisher '" + publisher + "' signed it; "
                    + String.join(", ", wrongName));
        } else if (facts.signatures().isEmpty()) {
            checks.fail(TRUSTED_KEY, Reason.UNSIGNED, "no signature");
        } else {
            List<String> ids = facts.signatures().stream().map(s -> s.keyId().substring(0, 16) + "…").toList();
            checks.fail(TRUSTED_KEY, Reason.UNTRUSTED_KEY, "no valid signature by a key the trust store holds for '"
                    + publisher + "' (signed by " + ids + ")");
        }

        if (revokedKeys.isEmpty()) {
            checks.pass(NOT_REVOKED, "no signature by a revoked key");
        } else {
            checks.fail(NOT_REVOKED, Reason.REVOKED_KEY, "signed by revoked key(s) " + revokedKeys);
        }

        if (manifest.created().isAfter(now.plus(skew))) {
            checks.fail(VALIDITY, Reason.NOT_YET_VALID, "created " + manifest.created() + ", later than now (" + now
                    + ") plus the allowed clock skew of " + skew.toSeconds() + " s");
        } else if (!now.isBefore(manifest.expires())) {
            checks.fail(VALIDITY, Reason.EXPIRED, "expired " + manifest.expires() + " (now " + now + ")");
        } else {
            checks.pass(VALIDITY, "created " + manifest.created() + ", expires " + manifest.expires());
        }

        if (!requireHybrid) {
            checks.skip(HYBRID, "not required on this node");
        } else {
            List<TrustedKey> live = counted.stream().filter(k -> !trust.revoked().contains(k.id())).toList();
            boolean classical = live.stream().anyMatch(k -> isPostQuantum(k, schemes) == Boolean.FALSE);
            boolean postQuantum = live.stream().anyMatch(k -> isPostQuantum(k, schemes) == Boolean.TRUE);
            if (classical && postQuantum) {
                checks.pass(HYBRID, "classical and post-quantum signatures by '" + publisher + "': " + describe(live));
            } else {
                checks.fail(HYBRID, Reason.HYBRID_MISSING, "hybrid signing is required: missing a valid "
                        + (classical ? "post-quantum" : postQuantum ? "classical" : "classical and a post-quantum")
                        + " signature by a trusted key of '" + publisher + "'");
            }
        }
    }

    /** Whether the key's scheme is post-quantum; {@code null} when no such scheme is available to say. */
    private static Boolean isPostQuantum(TrustedKey key, Function<String, SignatureScheme> schemes) {
        SignatureScheme scheme = schemes.apply(key.info().algorithm());
        return scheme == null ? null : scheme.isPostQuantum();
    }

    private static String describe(List<TrustedKey> keys) {
        Map<String, String> seen = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (TrustedKey k : keys) {
            if (seen.put(k.id(), k.name()) == null) {
                out.add(k.info().algorithm() + " " + k.id().substring(0, 16) + "…");
            }
        }
        return String.join(", ", out);
    }

    private static Reason first(Reason current, Reason candidate) {
        return current != null ? current : candidate;
    }
}
