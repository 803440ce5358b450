package io.forgeone.rest.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request's JSON object with typed reads whose errors name the field ({@code args[2]}, {@code env.HOME}). Fields a
 * route does not know are refused, so a misspelt option is an error rather than silently ignored.
 */
final class JsonObject {
    private final Map<String, Object> members;
    private final String prefix;

    JsonObject(Map<String, Object> members, String prefix) {
        this.members = members;
        this.prefix = prefix;
    }

    /** Refuses any member not in {@code known}. */
    JsonObject only(Set<String> known) {
        for (String key : members.keySet()) {
            if (!known.contains(key)) {
                throw new ApiError(400, "unknown_field", "unknown field '" + Routes.printable(key) + "' (known: "
                        + String.join(", ", new java.util.TreeSet<>(known)) + ")", prefix + Routes.printable(key));
            }
        }
        return this;
    }

    boolean has(String name) {
        Object v = members.get(name);
        return v != null && v != Json.NULL;
    }

    Optional<String> string(String name, Pattern pattern, String what) {
        if (!has(name)) {
            return Optional.empty();
        }
        Object v = members.get(name);
        if (!(v instanceof String s)) {
            throw ApiError.badField(prefix + name, prefix + name + " must be a string");
        }
        if (pattern != null && !pattern.matcher(s).matches()) {
            throw ApiError.badField(prefix + name, prefix + name + " must be " + what + ", was '" + Routes.printable(s)
                    + "'");
        }
        return Optional.of(s);
    }

    Optional<Long> integer(String name, long min, long max) {
        if (!has(name)) {
            return Optional.empty();
        }
        Object v = members.get(name);
        if (!(v instanceof Long l)) {
            throw ApiError.badField(prefix + name, prefix + name + " must be an integer");
        }
        if (l < min || l > max) {
            throw ApiError.badField(prefix + name, prefix + name + " must be between " + min + " and " + max + ", was " + l);
        }
        return Optional.of(l);
    }

    Optional<Boolean> bool(String name) {
        if (!has(name)) {
            return Optional.empty();
        }
        Object v = members.get(name);
        if (!(v instanceof Boolean b)) {
            throw ApiError.badField(prefix + name, prefix + name + " must be true or false");
        }
        return Optional.of(b);
    }

    /** A list of strings, each at most {@code maxLength} characters and free of NUL. */
    List<String> strings(String name, int maxItems, int maxLength) {
        if (!has(name)) {
            return List.of();
        }
        Object v = members.get(name);
        if (!(v instanceof List<?> list)) {
            throw ApiError.badField(prefix + name, prefix + name + " must be an array of strings");
        }
        if (list.size() > maxItems) {
            throw ApiError.badField(prefix + name, prefix + name + " has more than " + maxItems + " items");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String field = prefix + name + "[" + i + "]";
            if (!(list.get(i) instanceof String s)) {
                throw ApiError.badField(field, field + " must be a string");
            }
            if (s.length() > maxLength || s.indexOf('\0') >= 0) {
                throw ApiError.badField(field, field + " must be at most " + maxLength + " characters without NUL");
            }
            out.add(s);
        }
        return out;
    }

    /** An object of string values, for example an environment. */
    Map<String, String> stringMap(String name, int maxItems, Pattern keyPattern, int maxLength) {
        if (!has(name)) {
            return Map.of();
        }
        Object v = members.get(name);
        if (!(v instanceof Map<?, ?> map)) {
            throw ApiError.badField(prefix + name, prefix + name + " must be an object of strings");
        }
        if (map.size() > maxItems) {
            throw ApiError.badField(prefix + name, prefix + name + " has more than " + maxItems + " members");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = (String) e.getKey();
            String field = prefix + name + "." + Routes.printable(key);
            if (!keyPattern.matcher(key).matches()) {
                throw ApiError.badField(field, "bad name in " + prefix + name + ": '" + Routes.printable(key) + "'");
            }
            if (!(e.getValue() instanceof String s) || s.length() > maxLength || s.indexOf('\0') >= 0) {
                throw ApiError.badField(field, field + " must be a string of at most " + maxLength
                        + " characters without NUL");
            }
            out.put(key, s);
        }
        return out;
    }

    String require(String name, Pattern pattern, String what) {
        return string(name, pattern, what).orElseThrow(
                () -> new ApiError(400, "missing_field", prefix + name + " is required", prefix + name));
    }
}
