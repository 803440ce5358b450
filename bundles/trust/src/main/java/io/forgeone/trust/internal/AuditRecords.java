package io.forgeone.trust.internal;

import io.forgeone.api.policy.AuditQuery;
import io.forgeone.api.policy.AuditRecord;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Decision log lines read back as {@link AuditRecord}s, and the test of a record against a query. */
final class AuditRecords {
    /** The fields a record names; anything else on the line goes to {@link AuditRecord#extra()}. */
    private static final Set<String> NAMED = Set.of("time", "container", "name", "identity", "call", "args",
            "decision", "policy", "rule", "reason");

    private AuditRecords() {
    }

    /**
     * Reads one line.
     *
     * @throws IllegalArgumentException saying what is wrong with it: not JSON, not an object, no time or
     *     decision, a field of the wrong type
     */
    static AuditRecord parse(String line) {
        Object value = JsonReader.parse(line);
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        Object time = map.get("time");
        if (!(time instanceof String text)) {
            throw new IllegalArgumentException(time == null ? "no time" : "time is not a string");
        }
        Instant instant;
        try {
            instant = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("time '" + text + "' is not an ISO-8601 instant", e);
        }
        String decision = string(map, "decision");
        if (decision.isEmpty()) {
            throw new IllegalArgumentException("no decision");
        }
        Object args = map.get("args");
        if (args != null && !(args instanceof Map)) {
            throw new IllegalArgumentException("args is not an object");
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (!NAMED.contains((String) k)) {
                extra.put((String) k, v);
            }
        });
        @SuppressWarnings("unchecked")
        Map<String, Object> argMap = args == null ? Map.of() : (Map<String, Object>) args;
        return new AuditRecord(instant, string(map, "container"), string(map, "name"), string(map, "identity"),
                string(map, "call"), argMap, decision, string(map, "policy"), string(map, "rule"),
                string(map, "reason"), extra, line);
    }

    /** A text field; missing or null is empty (a release names no rule and no call arguments). */
    private static String string(Map<?, ?> map, String field) {
        Object v = map.get(field);
        if (v == null) {
            return "";
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException(field + " is not a string");
        }
        return s;
    }

    static boolean matches(AuditQuery q, AuditRecord r) {
        if (q.since() != null && r.time().isBefore(q.since())) {
            return false;
        }
        if (q.until() != null && !r.time().isBefore(q.until())) {
            return false;
        }
        if (!q.decisions().isEmpty() && !q.decisions().contains(r.decision())) {
            return false;
        }
        if (q.container() != null && !r.container().startsWith(q.container()) && !r.name().startsWith(q.container())) {
            return false;
        }
        if (q.call() != null && !(q.call().indexOf('.') >= 0 ? r.call().equals(q.call())
                : r.function().equals(q.call()))) {
            return false;
        }
        if (q.policy() != null && !r.policy().equals(q.policy())) {
            return false;
        }
        return q.rule() == null || r.rule().equals(q.rule()) || r.rule().startsWith(q.rule() + "[")
                || r.rule().startsWith(q.rule() + ".");
    }
}
