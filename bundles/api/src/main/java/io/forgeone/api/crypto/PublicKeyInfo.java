package io.forgeone.api.crypto;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A public key as people and files see it.
 *
 * @param id the key's fingerprint: lowercase hex SHA-256 of its SubjectPublicKeyInfo DER (64 characters)
 * @param name a name for people, for example the publisher the key speaks for
 * @param algorithm the {@link SignatureScheme#name() scheme name}
 * @param pem the key as SubjectPublicKeyInfo PEM ({@code -----BEGIN PUBLIC KEY-----})
 */
public record PublicKeyInfo(String id, String name, String algorithm, String pem) {
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{64}");

    public PublicKeyInfo {
        requireKeyId(id);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(pem, "pem");
    }

    /** Returns {@code id} when it is a key id (64 lowercase hex digits), else throws {@link IllegalArgumentException}. */
    public static String requireKeyId(String id) {
        Objects.requireNonNull(id, "id");
        if (!KEY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a key id (64 lowercase hex digits): '" + id + "'");
        }
        return id;
    }

    /** Whether {@code id} is a key id (64 lowercase hex digits). */
    public static boolean isKeyId(String id) {
        return id != null && KEY_ID.matcher(id).matches();
    }
}
