package io.forgeone.rest.internal;

import io.forgeone.api.auth.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One operation of the API: a method and a path template such as {@code /v1/containers/{id}/logs}, the least
 * role it needs ({@code null}: anonymous), what kind of body it takes and its handler.
 *
 * @param method HTTP method
 * @param template the path, with {@code {name}} segments that match {@link Routes#ID} and nothing else
 * @param role the least role, or {@code null} for anonymous access (health only)
 * @param body what it reads: {@link Body#NONE}, {@link Body#JSON} or {@link Body#UPLOAD}
 * @param handler the handler
 */
record Route(String method, String template, Role role, Body body, Handler handler) {

    /** What a route reads, which sets the body limit. */
    enum Body { NONE, JSON, UPLOAD }

    @FunctionalInterface
    interface Handler {
        Reply handle(Call call);
    }

    Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(handler, "handler");
    }

    private List<String> segments() {
        return List.of(template.substring(1).split("/", -1));
    }

    /** The path parameters when {@code path} matches this template, else {@code null}. */
    Map<String, String> match(List<String> path) {
        List<String> segments = segments();
        if (segments.size() != path.size()) {
            return null;
        }
        Map<String, String> params = new java.util.LinkedHashMap<>();
        List<String[]> bad = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            String s = segments.get(i);
            String p = path.get(i);
            if (s.startsWith("{") && s.endsWith("}")) {
                String name = s.substring(1, s.length() - 1);
                if (!Routes.ID.matcher(p).matches()) {
                    bad.add(new String[] {name, p});
                }
                params.put(name, p);
            } else if (!s.equals(p)) {
                return null;
            }
        }
        if (!bad.isEmpty()) {
            String[] first = bad.get(0);
            throw new ApiError(400, "invalid_id", first[0] + " must be 1..128 of [A-Za-z0-9._-] starting with a letter"
                    + " or digit, was '" + Routes.printable(first[1]) + "'", first[0]);
        }
        return params;
    }
}
