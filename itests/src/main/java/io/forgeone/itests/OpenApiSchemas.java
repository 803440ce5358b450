package io.forgeone.itests;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks an answer of the node against its OpenAPI document: the operation that the method and path name, the
 * schema of the documented status (an error answer against the Error schema), types, enums, required members,
 * and no member the schema does not list. Enough of JSON Schema for the document the node serves.
 */
final class OpenApiSchemas {
    private final Map<?, ?> doc;

    OpenApiSchemas(Map<?, ?> doc) {
        this.doc = doc;
    }

    /** Throws {@link AssertionError} naming where the answer departs from the document. */
    void check(String method, String rawPath, int status, Object body) {
        Map<?, ?> operation = operation(method, rawPath);
        Object schema = null;
        if (operation != null) {
            Map<?, ?> response = (Map<?, ?>) ((Map<?, ?>) operation.get("responses")).get(Integer.toString(status));
            if (response != null) {
                Map<?, ?> content = (Map<?, ?>) response.get("content");
                Map<?, ?> json = content == null ? null : (Map<?, ?>) content.get("application/json");
                schema = json == null ? null : json.get("schema");
            } else if (status < 400) {
                throw new AssertionError(method + " " + rawPath + " answered " + status + ", which is not documented");
            }
        }
        if (schema == null) {
            if (status < 400) {
                throw new AssertionError(method + " " + rawPath + " answered " + status + " without a documented schema");
            }
            schema = Map.of("$ref", "#/components/schemas/Error");
        }
        validate(schema, body, method + " " + rawPath + " " + status + ": $");
    }

    /** Whether the document gives {@code contentType}'s media type (parameters dropped) for this answer. */
    boolean documentsMediaType(String method, String rawPath, int status, String contentType) {
        Map<?, ?> operation = operation(method, rawPath);
        if (operation == null) {
            return false;
        }
        Map<?, ?> response = (Map<?, ?>) ((Map<?, ?>) operation.get("responses")).get(Integer.toString(status));
        Map<?, ?> content = response == null ? null : (Map<?, ?>) response.get("content");
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return content != null && content.containsKey(media);
    }

    private Map<?, ?> operation(String method, String rawPath) {
        for (Map.Entry<?, ?> path : ((Map<?, ?>) doc.get("paths")).entrySet()) {
            if (matches((String) path.getKey(), rawPath)) {
                Object op = ((Map<?, ?>) path.getValue()).get(method.toLowerCase(Locale.ROOT));
                if (op != null) {
                    return (Map<?, ?>) op;
                }
            }
        }
        return null;
    }

    static boolean matches(String template, String path) {
        String[] t = template.split("/", -1);
        String[] p = path.split("/", -1);
        if (t.length != p.length) {
            return false;
        }
        for (int i = 0; i < t.length; i++) {
            if (!t[i].startsWith("{") && !t[i].equals(p[i])) {
                return false;
            }
        }
        return true;
    }

    private Map<?, ?> resolve(Object schema) {
        Map<?, ?> s = (Map<?, ?>) schema;
        Object ref = s.get("$ref");
        if (ref == null) {
            return s;
        }
        String name = ((String) ref).substring("#/components/schemas/".length());
        Map<?, ?> found = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) doc.get("components")).get("schemas")).get(name);
        if (found == null) {
            throw new AssertionError("the document refers to a missing schema " + ref);
        }
        return found;
    }

    private void validate(Object schemaObject, Object value, String where) {
        Map<?, ?> schema = resolve(schemaObject);
        Object type = schema.get("type");
        if (type != null) {
            List<?> types = type instanceof List<?> l ? l : List.of(type);
            if (types.stream().noneMatch(t -> is((String) t, value))) {
                throw new AssertionError(where + " is " + describe(value) + ", the document says " + type);
            }
        }
        Object allowed = schema.get("enum");
        if (allowed instanceof List<?> values && !values.contains(value)) {
            throw new AssertionError(where + " is " + value + ", not one of " + values);
        }
        if (value instanceof Map<?, ?> map) {
            Map<?, ?> properties = schema.get("properties") instanceof Map<?, ?> p ? p : Map.of();
            if (schema.get("required") instanceof List<?> required) {
                for (Object r : required) {
                    if (!map.containsKey(r)) {
                        throw new AssertionError(where + " lacks the required member " + r);
                    }
                }
            }
            Object additional = schema.get("additionalProperties");
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object member = properties.get(e.getKey());
                if (member != null) {
                    validate(member, e.getValue(), where + "." + e.getKey());
                } else if (Boolean.FALSE.equals(additional)) {
                    throw new AssertionError(where + " has the member " + e.getKey() + ", which the document does not list");
                } else if (additional instanceof Map<?, ?>) {
                    validate(additional, e.getValue(), where + "." + e.getKey());
                }
            }
        }
        if (value instanceof List<?> list && schema.get("items") != null) {
            for (int i = 0; i < list.size(); i++) {
                validate(schema.get("items"), list.get(i), where + "[" + i + "]");
            }
        }
    }

    private static boolean is(String type, Object value) {
        switch (type) {
            case "object":
                return value instanceof Map<?, ?>;
            case "array":
                return value instanceof List<?>;
            case "string":
                return value instanceof String;
            case "integer":
                return value instanceof Long;
            case "boolean":
                return value instanceof Boolean;
            case "null":
                return value == Json.NULL;
            default:
                throw new AssertionError("the document uses type " + type + ", which this check does not know");
        }
    }

    private static String describe(Object value) {
        return value == Json.NULL ? "null" : value == null ? "absent" : value.getClass().getSimpleName();
    }
}
