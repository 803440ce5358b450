package io.forgeone.rest.internal;

import io.forgeone.api.auth.IssuedToken;
import io.forgeone.api.auth.Role;
import io.forgeone.api.auth.TokenInfo;
import io.forgeone.api.auth.TokenService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A mock token service: one fixed token per role ("viewer-token", ...), plus created ones. */
final class MemoryTokens implements TokenService {
    private final Map<String, TokenInfo> byToken = new LinkedHashMap<>();
    private int next = 1;

    MemoryTokens() {
        for (Role r : Role.values()) {
            create(r, r.id());
        }
    }

    static String tokenFor(Role role) {
        return role.id() + "-token";
    }

    @Override
    public synchronized IssuedToken create(Role role, String name) {
        String id = String.format("%016x", next++);
        TokenInfo info = new TokenInfo(id, name, role, Instant.parse("2026-01-01T00:00:00Z"));
        String token = byToken.values().stream().anyMatch(t -> t.role() == role) ? "tok-" + id : tokenFor(role);
        byToken.put(token, info);
        return new IssuedToken(info, token);
    }

    @Override
    public synchronized List<TokenInfo> list() {
        return new ArrayList<>(byToken.values());
    }

    @Override
    public synchronized boolean revoke(String id) {
        return byToken.values().removeIf(t -> t.id().equals(id));
    }

    @Override
    public synchronized Optional<TokenInfo> authenticate(String bearer) {
        return Optional.ofNullable(byToken.get(bearer));
    }
}
