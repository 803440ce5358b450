package io.forgeone.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.forgeone.api.auth.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The OpenAPI document and the route table describe the same API: paths, methods and roles. */
class OpenApiTest {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch", "head", "options");

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() throws Exception {
        RestOptions options = new RestOptions("127.0.0.1", 0, 4, 4096, 65536, Path.of("."), "", null, 3,
                Duration.ofSeconds(1), 1, Duration.ofMillis(10), Duration.ofSeconds(1), 2, false, "need");
        Dispatcher d = RestServer.dispatcher(new NodeServices(new MemoryTokens()), options, "0");
        Map<String, String> routes = new TreeMap<>();
        for (Route r : d.routes()) {
            routes.put(r.method() + " " + r.template(), r.role() == null ? "anonymous" : r.role().id());
        }
        Map<String, String> documented = new TreeMap<>();
        Map<?, ?> doc = (Map<?, ?>) Json.parse(NodeRoutes.openApiDocument());
        assertEquals("3.1.0", doc.get("openapi"));
        Set<String> operationIds = new TreeSet<>();
        for (Map.Entry<?, ?> path : ((Map<?, ?>) doc.get("paths")).entrySet()) {
            for (Map.Entry<?, ?> op : ((Map<?, ?>) path.getValue()).entrySet()) {
                String method = (String) op.getKey();
                if (!METHODS.contains(method)) {
                    continue;
                }
                Map<?, ?> operation = (Map<?, ?>) op.getValue();
                Object role = operation.get("x-forge-role");
                documented.put(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey(),
                        role == Json.NULL ? "anonymous" : Role.parse((String) role).id());
                assertEquals(true, operationIds.add((String) operation.get("operationId")), "operationId twice");
                if (role != Json.NULL) {
                    assertEquals(true, ((Map<?, ?>) operation.get("responses")).containsKey("401"),
                            path.getKey() + " documents 401");
                }
            }
        }
        assertEquals(routes, documented);
    }
}
