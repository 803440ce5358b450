package io.forgeone.rest.internal;

import io.forgeone.api.auth.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The route table and the checks every route shares. */
final class Routes {
    /** What a path parameter may be: an id or a name, never a path. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** A package or module id: lowercase hex SHA-256. */
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final List<Route> routes = new ArrayList<>();

    Routes add(String method, String template, Role role, Route.Body body, Route.Handler handler) {
        for (Route r : routes) {
            if (r.method().equals(method) && r.template().equals(template)) {
                throw new IllegalStateException("route " + method + " " + template + " is defined twice");
            }
        }
        routes.add(new Route(method, template, role, body, handler));
        return this;
    }

    List<Route> all() {
        return List.copyOf(routes);
    }

    /** Text from a request, safe to echo in a message or a log line: at most 64 characters, no control characters. */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < 64; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7f || Character.isSurrogate(c) ? '?' : c);
        }
        if (s.length() > 64) {
            out.append('…');
        }
        return out.toString();
    }

    static String requireSha256(String id, String field) {
        if (!SHA256.matcher(id).matches()) {
            throw new ApiError(400, "invalid_id", field + " must be 64 lowercase hex digits (SHA-256), was '"
                    + printable(id) + "'", field);
        }
        return id;
    }
}
