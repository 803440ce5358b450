package io.forgeone.api.pkg;

import io.forgeone.api.crypto.PublicKeyInfo;
import java.util.Objects;

/**
 * An entry of the revocation list. A key id may be revoked before (or without) its key being in the trust store.
 *
 * @param keyId the revoked key's id
 * @param reason for people; may be empty
 */
public record Revocation(String keyId, String reason) {
    public Revocation {
        PublicKeyInfo.requireKeyId(keyId);
        Objects.requireNonNull(reason, "reason");
        if (reason.indexOf('\n') >= 0 || reason.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a revocation reason is one line");
        }
    }
}
