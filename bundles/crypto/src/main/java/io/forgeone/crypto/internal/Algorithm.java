package io.forgeone.crypto.internal;

import io.forgeone.api.crypto.CryptoException;
import io.forgeone.api.crypto.SignatureScheme;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The supported algorithms: their scheme names, the object identifiers that name them in SubjectPublicKeyInfo and
 * PKCS#8, and their JCA names in the BouncyCastle provider.
 */
enum Algorithm {
    ED25519(SignatureScheme.ED25519, false, Oids.ED25519, null, "Ed25519", "Ed25519", "Ed25519"),
    /** Signs with deterministic nonces (RFC 6979), so a weak random source cannot leak the key; verifies any. */
    ECDSA_P256(SignatureScheme.ECDSA_P256, false, X9ObjectIdentifiers.id_ecPublicKey, X9ObjectIdentifiers.prime256v1,
            "EC", "SHA256withECDDSA", "SHA256withECDSA"),
    ML_DSA_65(SignatureScheme.ML_DSA_65, true, NISTObjectIdentifiers.id_ml_dsa_65, null, "ML-DSA-65", "ML-DSA-65",
            "ML-DSA-65"),
    SLH_DSA_SHA2_128S(SignatureScheme.SLH_DSA_SHA2_128S, true, NISTObjectIdentifiers.id_slh_dsa_sha2_128s, null,
            "SLH-DSA-SHA2-128S", "SLH-DSA-SHA2-128S", "SLH-DSA-SHA2-128S");

    /** Identifiers bcprov keeps only in its internal packages. */
    private static final class Oids {
        /** id-Ed25519 (RFC 8410). */
        static final ASN1ObjectIdentifier ED25519 = new ASN1ObjectIdentifier("1.3.101.112");
    }

    final String scheme;
    final boolean postQuantum;
    final ASN1ObjectIdentifier oid;
    /** The named curve a key must have, for EC; {@code null} otherwise. */
    final ASN1ObjectIdentifier curve;
    final String keyAlgorithm;
    final String signAlgorithm;
    final String verifyAlgorithm;

    Algorithm(String scheme, boolean postQuantum, ASN1ObjectIdentifier oid, ASN1ObjectIdentifier curve,
            String keyAlgorithm, String signAlgorithm, String verifyAlgorithm) {
        this.scheme = scheme;
        this.postQuantum = postQuantum;
        this.oid = oid;
        this.curve = curve;
        this.keyAlgorithm = keyAlgorithm;
        this.signAlgorithm = signAlgorithm;
        this.verifyAlgorithm = verifyAlgorithm;
    }

    static Algorithm of(AlgorithmIdentifier id) {
        for (Algorithm a : values()) {
            if (a.oid.equals(id.getAlgorithm())) {
                if (a.curve == null) {
                    return a;
                }
                ASN1Encodable params = id.getParameters();
                if (a.curve.equals(params)) {
                    return a;
                }
                throw new CryptoException("unsupported elliptic curve " + describeParameters(params)
                        + ": only P-256 (prime256v1) named by its identifier is supported");
            }
        }
        throw new CryptoException("unsupported key algorithm " + id.getAlgorithm().getId()
                + ": supported are ed25519, ecdsa-p256, ml-dsa-65 and slh-dsa-sha2-128s");
    }

    /** The algorithm of a public or private key, from its standard encoding. */
    static Algorithm of(Key key) {
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
            throw new CryptoException("key of algorithm " + key.getAlgorithm() + " has no standard encoding");
        }
        try {
            if (key instanceof PublicKey) {
                return of(SubjectPublicKeyInfo.getInstance(encoded).getAlgorithm());
            }
            if (key instanceof PrivateKey) {
                return of(PrivateKeyInfo.getInstance(encoded).getPrivateKeyAlgorithm());
            }
            throw new CryptoException("not a public or private key: " + key.getAlgorithm());
        } catch (IllegalArgumentException e) {
            throw new CryptoException("key of algorithm " + key.getAlgorithm() + " has an unreadable encoding", e);
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }

    static Algorithm byScheme(String scheme) {
        for (Algorithm a : values()) {
            if (a.scheme.equals(scheme)) {
                return a;
            }
        }
        throw new CryptoException("unknown signature scheme '" + scheme + "'");
    }

    private static String describeParameters(ASN1Encodable params) {
        if (params instanceof ASN1ObjectIdentifier o) {
            return o.getId();
        }
        return params == null ? "(none)" : "(explicit parameters)";
    }
}
