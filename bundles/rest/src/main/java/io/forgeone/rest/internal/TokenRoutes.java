package io.forgeone.rest.internal;

import io.forgeone.api.auth.IssuedToken;
import io.forgeone.api.auth.Role;
import io.forgeone.api.auth.TokenInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tokens (admin only): list, create (the secret is in the answer, once), revoke. */
final class TokenRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(TokenRoutes.class);
    private static final Pattern ROLE = Pattern.compile("viewer|operator|admin");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{0,64}");

    private final NodeServices services;

    TokenRoutes(NodeServices services) {
        this.services = services;
    }

    void register(Routes routes) {
        routes.add("GET", "/v1/tokens", Role.ADMIN, Route.Body.NONE, this::list)
                .add("POST", "/v1/tokens", Role.ADMIN, Route.Body.JSON, this::create)
                .add("DELETE", "/v1/tokens/{id}", Role.ADMIN, Route.Body.NONE, this::revoke);
    }

    Reply list(Call call) {
        List<Object> out = new ArrayList<>();
        for (TokenInfo t : services.tokens().list()) {
            out.add(json(t));
        }
        return Reply.ok(Map.of("tokens", out));
    }

    Reply create(Call call) {
        JsonObject body = call.json().only(Set.of("role", "name"));
        Role role = Role.parse(body.require("role", ROLE, "viewer, operator or admin"));
        String name = body.string("name", NAME, "0..64 of [A-Za-z0-9._@-]").orElse("");
        IssuedToken issued = services.tokens().create(role, name);
        LOG.info("{} created {} token {} ({})", call.caller() == null ? "?" : call.caller().id(), role.id(),
                issued.info().id(), name);
        Map<String, Object> out = json(issued.info());
        out.put("token", issued.token());
        return Reply.created(out);
    }

    Reply revoke(Call call) {
        String id = call.param("id");
        try {
            TokenInfo.requireId(id);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "invalid_id", e.getMessage(), "id");
        }
        if (!services.tokens().revoke(id)) {
            throw new ApiError(404, "token_not_found", "no token " + id, "id");
        }
        LOG.info("{} revoked token {}", call.caller() == null ? "?" : call.caller().id(), id);
        return Reply.ok(Map.of("id", id, "revoked", true));
    }

    static Map<String, Object> json(TokenInfo t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", t.id());
        out.put("name", t.name());
        out.put("role", t.role().id());
        out.put("created", t.created().toString());
        return out;
    }
}
