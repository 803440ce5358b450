package io.forgeone.api.crypto;

import java.security.Key;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One signature algorithm, published as a service with the property {@value #NAME_PROPERTY}. Implementations
 * are thread-safe.
 */
@ProviderType
public interface SignatureScheme {

    /** Service property holding the scheme's name (also {@link #name()}). */
    String NAME_PROPERTY = "forge.signature.scheme";

    /** Ed25519 (RFC 8032), 64-byte signatures. */
    String ED25519 = "ed25519";
    /** ECDSA on NIST P-256 with SHA-256; signatures are DER, as {@code openssl dgst -sha256 -sign} writes them. */
    String ECDSA_P256 = "ecdsa-p256";
    /** ML-DSA-65 (FIPS 204), pure mode with an empty context. */
    String ML_DSA_65 = "ml-dsa-65";
    /** SLH-DSA-SHA2-128s (FIPS 205), pure mode with an empty context: small signatures, slow signing. */
    String SLH_DSA_SHA2_128S = "slh-dsa-sha2-128s";

    /** The lowercase name people type and files carry, for example {@value #ED25519}. */
    String name();

    /** Whether the scheme is believed to resist a quantum computer (ML-DSA, SLH-DSA). */
    boolean isPostQuantum();

    /** A fresh key pair from a strong random source. */
    KeyPair generate();

    /** Whether {@code key} (public or private) belongs to this scheme, including its curve or parameter set. */
    boolean accepts(Key key);

    /**
     * Signs {@code data}.
     *
     * @throws CryptoException when the key is not one of this scheme's
     */
    byte[] sign(PrivateKey key, byte[] data);

    /**
     * Checks a signature. A signature that is malformed or does not match is {@code false}, never an exception.
     *
     * @throws CryptoException when the key is not one of this scheme's
     */
    boolean verify(PublicKey key, byte[] data, byte[] signature);
}
