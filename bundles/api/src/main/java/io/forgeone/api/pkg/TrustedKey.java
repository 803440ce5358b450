package io.forgeone.api.pkg;

import io.forgeone.api.crypto.PublicKeyInfo;
import java.security.PublicKey;
import java.util.Objects;

/**
 * A key in the trust store.
 *
 * @param info id, name (the publisher the key is trusted for), scheme and PEM
 * @param key the key itself
 * @param revoked whether the revocation list names it
 */
public record TrustedKey(PublicKeyInfo info, PublicKey key, boolean revoked) {
    public TrustedKey {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(key, "key");
    }

    public String id() {
        return info.id();
    }

    public String name() {
        return info.name();
    }
}
