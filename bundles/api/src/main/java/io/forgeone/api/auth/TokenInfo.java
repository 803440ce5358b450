package io.forgeone.api.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A token as the node keeps it: everything but the secret.
 *
 * @param id the token's public id (16 lowercase hex digits), the first part of the token itself
 * @param name a label for people, for example who holds it; may be empty
 * @param role what it may do
 * @param created when it was created
 */
public record TokenInfo(String id, String name, Role role, Instant created) {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{0,64}");

    public TokenInfo {
        requireId(id);
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("token name must be 0..64 of [A-Za-z0-9._@-], was '" + name + "'");
        }
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(created, "created");
    }

    /** Returns {@code id} when it is a token id (16 lowercase hex digits), else throws {@link IllegalArgumentException}. */
    public static String requireId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a token id (16 lowercase hex digits): '" + id + "'");
        }
        return id;
    }
}
