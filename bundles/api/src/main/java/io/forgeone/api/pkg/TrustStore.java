package io.forgeone.api.pkg;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The publisher keys this node trusts, and the keys it has revoked, kept as files in a folder (the node's
 * {@code etc/trust/}): {@code <name>.pem} holds the keys trusted for publisher {@code name} (one or more
 * {@code PUBLIC KEY} blocks), and {@code revoked.txt} holds one revoked key id per line, optionally followed by a
 * reason ({@code #} starts a comment). Changes to the folder are seen at the next use, without a restart.
 */
@ProviderType
public interface TrustStore {

    /** The trust store's folder. */
    Path directory();

    /**
     * Every trusted key, sorted by name then id; revoked ones are included and marked.
     *
     * @throws PackageException ({@link PackageException.Reason#TRUST_STORE}) when the folder or the revocation list
     *         cannot be read
     */
    List<TrustedKey> list();

    /** The key with this id, if the store holds it. */
    Optional<TrustedKey> find(String keyId);

    /** Whether the revocation list names this key id. */
    boolean isRevoked(String keyId);

    /** The revocation list. */
    List<Revocation> revocations();

    /**
     * Trusts a public key for publisher {@code name}, adding it to {@code <name>.pem}. Adding a key that is already
     * there changes nothing.
     *
     * @throws PackageException ({@link PackageException.Reason#MALFORMED}) when the PEM holds no supported public
     *         key; ({@link PackageException.Reason#TRUST_STORE}) when the key is trusted for another name
     */
    TrustedKey add(String name, String publicKeyPem);

    /**
     * Revokes a key id. Revoking one that is already revoked changes nothing.
     *
     * @return the entry in the revocation list
     */
    Revocation revoke(String keyId, String reason);
}
