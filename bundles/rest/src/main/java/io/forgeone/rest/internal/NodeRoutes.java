package io.forgeone.rest.internal;

import io.forgeone.api.auth.Role;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The node itself: health (the one anonymous route), version, and the OpenAPI document. */
final class NodeRoutes {
    /** Where the OpenAPI document is, beside this class. */
    static final String OPENAPI = "openapi.json";

    private final NodeServices services;
    private final String version;
    private final byte[] openapi;

    NodeRoutes(NodeServices services, String version) {
        this.services = services;
        this.version = version;
        this.openapi = openApiDocument();
    }

    void register(Routes routes) {
        routes.add("GET", "/v1/health", null, Route.Body.NONE, this::health)
                .add("GET", "/v1/version", Role.VIEWER, Route.Body.NONE, this::version)
                .add("GET", "/v1/openapi.json", Role.VIEWER, Route.Body.NONE,
                        call -> Reply.bytes("application/json; charset=utf-8", openapi));
    }

    /** 200 when the container runtime is there, 503 when it is not; says which services are present. */
    Reply health(Call call) {
        Map<String, Object> present = new LinkedHashMap<>();
        present.put("containers", services.containers != null);
        present.put("packages", services.packages != null);
        present.put("verifier", services.verifier != null);
        present.put("policies", services.policies != null);
        boolean up = services.containers != null;
        return Reply.status(up ? 200 : 503, Map.of("status", up ? "ok" : "unavailable", "services", present));
    }

    Reply version(Call call) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", version);
        out.put("api", "v1");
        out.put("java", Runtime.version().toString());
        return Reply.ok(out);
    }

    static byte[] openApiDocument() {
        try (InputStream in = NodeRoutes.class.getResourceAsStream(OPENAPI)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI + " is missing from the rest bundle");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + OPENAPI, e);
        }
    }
}
