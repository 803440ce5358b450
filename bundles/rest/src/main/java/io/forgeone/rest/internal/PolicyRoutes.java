package io.forgeone.rest.internal;

import io.forgeone.api.auth.Role;
import io.forgeone.api.policy.PolicyInfo;
import io.forgeone.api.policy.PolicyProblem;
import io.forgeone.api.policy.PolicyService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Policies: list (with the problems of files not in force), show, and check a policy document. */
final class PolicyRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyRoutes.class);

    private final NodeServices services;

    PolicyRoutes(NodeServices services) {
        this.services = services;
    }

    void register(Routes routes) {
        routes.add("GET", "/v1/policies", Role.VIEWER, Route.Body.NONE, this::list)
                .add("GET", "/v1/policies/{name}", Role.VIEWER, Route.Body.NONE, this::show)
                .add("POST", "/v1/policies/check", Role.OPERATOR, Route.Body.JSON, this::check);
    }

    Reply list(Call call) {
        PolicyService policies = services.policies();
        List<Object> out = new ArrayList<>();
        for (PolicyInfo p : policies.list()) {
            out.add(json(p));
        }
        List<Object> problems = new ArrayList<>();
        for (PolicyProblem p : policies.problems()) {
            problems.add(json(p, fileName(p.file())));
        }
        return Reply.ok(Map.of("policies", out, "problems", problems));
    }

    Reply show(Call call) {
        String name = call.param("name");
        return services.policies().get(name).map(p -> Reply.ok(json(p)))
                .orElseThrow(() -> new ApiError(404, "policy_not_found", "no policy named " + name, "name"));
    }

    /**
     * Validates a policy document (YAML or JSON, as the node's policy files) without installing it. The body is the
     * document itself; problems name the line and column in it.
     */
    Reply check(Call call) {
        PolicyService policies = services.policies();
        if (call.body().length == 0) {
            throw new ApiError(400, "missing_body", "send the policy document (YAML or JSON) as the request body", "body");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile("forge-policy-check", ".yaml");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                LOG.debug("No POSIX permissions for {}: {}", tmp, e.getMessage());
            }
            Files.write(tmp, call.body());
            List<Object> problems = new ArrayList<>();
            for (PolicyProblem p : policies.check(tmp)) {
                problems.add(json(p, "body"));
            }
            return Reply.ok(Map.of("valid", problems.isEmpty(), "problems", problems));
        } catch (IOException e) {
            throw new ApiError(500, "io_error", "cannot stage the policy document: " + e.getMessage(), null, null, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.warn("Could not delete {}: {}", tmp, e.getMessage());
                }
            }
        }
    }

    static Map<String, Object> json(PolicyInfo p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", p.name());
        out.put("file", fileName(p.file()));
        out.put("mode", p.mode().name().toLowerCase(Locale.ROOT));
        out.put("selector", p.selector());
        out.put("rules", p.rules());
        return out;
    }

    private static Map<String, Object> json(PolicyProblem p, String file) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", file);
        out.put("line", (long) p.line());
        out.put("column", (long) p.column());
        out.put("path", p.path());
        out.put("message", p.message());
        return out;
    }

    /** Only the file's name: the node's folder layout is none of the client's business. */
    private static String fileName(String file) {
        int slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
        return slash < 0 ? file : file.substring(slash + 1);
    }
}
