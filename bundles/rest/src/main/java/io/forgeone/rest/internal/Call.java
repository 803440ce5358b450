package io.forgeone.rest.internal;

import io.forgeone.api.auth.TokenInfo;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One authenticated request as a route sees it: the path parameters, the query, the body (already read within
 * its limit) and who is calling.
 *
 * @param method HTTP method
 * @param path the request path
 * @param params path parameters by name, already checked against their patterns
 * @param query query parameters (first value of each)
 * @param contentType the Content-Type header, or empty
 * @param body the body, empty when there is none
 * @param caller the token that authenticated, or {@code null} on an anonymous route
 */
record Call(String method, String path, Map<String, String> params, Map<String, String> query, String contentType,
        byte[] body, TokenInfo caller) {

    Call {
        params = Map.copyOf(params);
        query = Map.copyOf(query);
        contentType = contentType == null ? "" : contentType;
        body = Objects.requireNonNull(body, "body");
    }

    String param(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no parameter " + name);
        }
        return value;
    }

    Optional<String> queryParam(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /** A boolean query flag: absent is {@code false}; {@code true}/{@code 1} or {@code false}/{@code 0}. */
    boolean flag(String name) {
        String v = query.get(name);
        if (v == null) {
            return false;
        }
        switch (v) {
            case "true":
            case "1":
            case "":
                return true;
            case "false":
            case "0":
                return false;
            default:
                throw ApiError.badField(name, "query parameter " + name + " must be true or false, was '"
                        + Routes.printable(v) + "'");
        }
    }

    /** The body as a JSON object, refusing anything else. */
    JsonObject json() {
        if (!contentType.isEmpty() && !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiError(415, "unsupported_media_type", "expected Content-Type application/json, was '"
                    + Routes.printable(contentType) + "'");
        }
        if (body.length == 0) {
            return new JsonObject(Map.of(), "");
        }
        Object value;
        try {
            value = Json.parse(body);
        } catch (Json.JsonException e) {
            throw new ApiError(400, "invalid_json", "request body is not valid JSON: " + e.getMessage());
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new ApiError(400, "invalid_json", "request body must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        return new JsonObject(map, "");
    }
}
