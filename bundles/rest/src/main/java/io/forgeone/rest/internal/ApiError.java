package io.forgeone.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A request that ends in an error answer: the HTTP status, a stable code clients switch on, a message for people
 * and, when one input is to blame, the field that names it. The codes are listed in docs/rest.md and openapi.json.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String field;
    private final transient Map<String, Object> details;

    ApiError(int status, String code, String message) {
        this(status, code, message, null, null, null);
    }

    ApiError(int status, String code, String message, String field) {
        this(status, code, message, field, null, null);
    }

    ApiError(int status, String code, String message, String field, Map<String, Object> details, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
        this.field = field;
        this.details = details;
    }

    static ApiError badField(String field, String message) {
        return new ApiError(400, "invalid_field", message, field);
    }

    static ApiError unavailable(String what) {
        return new ApiError(503, "service_unavailable", what + " is not available on this node");
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** The JSON body: {@code {"error":{"code":..,"message":..,"field":..}}} plus any details. */
    Map<String, Object> body() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", getMessage());
        if (field != null) {
            error.put("field", field);
        }
        if (details != null) {
            error.putAll(details);
        }
        return Map.of("error", error);
    }
}
