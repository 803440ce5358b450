package io.forgeone.api.auth;

import java.util.Objects;

/**
 * A token just created: the only time its secret form exists outside the holder's hands.
 *
 * @param info what the node keeps
 * @param token the bearer token to hand over ({@code fo1_<id>_<secret>}); the node keeps only its hash
 */
public record IssuedToken(TokenInfo info, String token) {
    public IssuedToken {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
        return "IssuedToken[" + info + ", token=…]";
    }
}
