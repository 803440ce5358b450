package io.forgeone.api.crypto;

import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads and writes keys of every supported {@link SignatureScheme} as standard PEM, the same text
 * {@code openssl genpkey} and {@code openssl pkey -pubout} write: PKCS#8 {@code PRIVATE KEY} (unencrypted) and
 * SubjectPublicKeyInfo {@code PUBLIC KEY}.
 *
 * <p>Private key PEM travels as ASCII bytes, never as a {@code String}, so that callers can zero it; methods that
 * take such bytes do not keep or change them, and methods that return them leave zeroing to the caller.
 */
@ProviderType
public interface KeyCodec {

    /**
     * Reads one public key.
     *
     * @throws CryptoException when the text holds no {@code PUBLIC KEY} block, more than one, or a key of an
     *         unsupported algorithm or curve
     */
    PublicKey readPublicKey(String pem);

    /**
     * Reads every {@code PUBLIC KEY} block of a PEM text (a file may hold several keys of one publisher). Text
     * outside the blocks is ignored; a text with no block is an empty list.
     *
     * @throws CryptoException when a block cannot be read
     */
    List<PublicKey> readPublicKeys(String pem);

    /**
     * Reads one unencrypted PKCS#8 private key.
     *
     * @throws CryptoException when the text holds no {@code PRIVATE KEY} block (an encrypted or legacy
     *         {@code EC PRIVATE KEY} block is refused with the openssl command that converts it)
     */
    PrivateKey readPrivateKey(byte[] pemAscii);

    /** SubjectPublicKeyInfo PEM, lines of 64 characters, each ending in a newline. */
    String writePublicKey(PublicKey key);

    /** PKCS#8 PEM as ASCII bytes; the caller zeroes them when done. */
    byte[] writePrivateKey(PrivateKey key);

    /** The public half of a private key. */
    PublicKey publicKeyOf(PrivateKey key);

    /** The key's id: lowercase hex SHA-256 of its SubjectPublicKeyInfo DER. */
    String keyId(PublicKey key);

    /**
     * The {@link SignatureScheme#name() scheme name} of a public or private key.
     *
     * @throws CryptoException when no supported scheme has this algorithm, curve or parameter set
     */
    String algorithm(Key key);

    /** Id, algorithm and PEM of a key, under the given name. */
    PublicKeyInfo describe(PublicKey key, String name);

    /**
     * Destroys a private key as far as its implementation allows (many providers' keys cannot be destroyed and
     * are left to the garbage collector); never throws.
     */
    void destroy(PrivateKey key);
}
