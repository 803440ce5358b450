package io.forgeone.api.auth;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The node's bearer tokens, kept as SHA-256 hashes in an owner-only file. Changes made by another process (for
 * example {@code forge token create} while the node runs) are seen at the next use.
 */
@ProviderType
public interface TokenService {

    /**
     * Creates a token.
     *
     * @param role what it may do
     * @param name a label for people (0..64 of {@code [A-Za-z0-9._@-]})
     * @throws IllegalArgumentException when the name is not allowed
     * @throws java.io.UncheckedIOException when the token file cannot be written
     */
    IssuedToken create(Role role, String name);

    /** Every token, oldest first. */
    List<TokenInfo> list();

    /** Revokes a token by id; {@code false} when there was none. */
    boolean revoke(String id);

    /**
     * The token that {@code bearer} is, if it is one of this node's tokens. Runs in time independent of how much
     * of the secret matches.
     */
    Optional<TokenInfo> authenticate(String bearer);
}
