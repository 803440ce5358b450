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

    /**
     * {@code message} with the given folders of the node taken out: a path below one of them keeps only its part
     * below it, and a folder named alone becomes {@code .}. Folders are matched as given and as absolute paths.
     */
    static String hideFolders(String message, java.util.List<java.nio.file.Path> folders) {
        if (message == null) {
            return "";
        }
        String out = message;
        for (java.nio.file.Path dir : folders) {
            if (dir == null) {
                continue;
            }
            java.nio.file.Path absolute = dir.toAbsolutePath().normalize();
            String separator = dir.getFileSystem().getSeparator();
            for (java.nio.file.Path p : java.util.List.of(absolute, dir)) {
                String prefix = p.toString();
                if (!prefix.isEmpty()) {
                    out = out.replace(prefix + separator, "");
                }
            }
            out = out.replace(absolute.toString(), ".");
        }
        return out;
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
        return body(java.util.List.of());
    }

    /**
     * The same, with the node's own folders taken out of the message: an uploaded module
     * {@code /srv/forge/var/rest/modules/ab12….wasm} is named {@code ab12….wasm}, a stored package by its path in
     * the node's state folder. Clients never see where the node keeps its files.
     *
     * @param hidden folders to take out, most specific first
     */
    Map<String, Object> body(java.util.List<java.nio.file.Path> hidden) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        String message = hideFolders(getMessage(), hidden);
        error.put("message", message);
        if (field != null) {
            error.put("field", field);
        }
        if (details != null) {
            error.putAll(details);
        }
        return Map.of("error", error);
    }
}
