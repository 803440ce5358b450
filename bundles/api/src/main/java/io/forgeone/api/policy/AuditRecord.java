package io.forgeone.api.policy;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One line of the decision log: a host call the gate decided (or, for {@link #RELEASE}, an operator's action on
 * a container), as {@link AuditLog} reads it back.
 *
 * @param time when the gate decided
 * @param container the container's id
 * @param name the container's name
 * @param identity who the workload is: its SPIFFE id when it came from a verified package, else
 *     {@code sha256:} and its module's digest
 * @param call the host function as {@code module.name}, for example {@code wasi_snapshot_preview1.path_open}
 * @param args the call's decoded arguments (path, fd, flags, byte counts), as JSON values: String, Long, Double,
 *     Boolean, null, List and Map
 * @param decision one of {@link #DECISIONS}, or a value a newer gate writes
 * @param policy the policy that decided, or {@code none}
 * @param rule the rule that decided, for example {@code fs[0]} or {@code default-deny}
 * @param reason one plain sentence
 * @param extra fields of the line not named above (for example {@code quarantine}), in the line's order
 * @param json the line exactly as it is in the log, without its line break
 */
public record AuditRecord(Instant time, String container, String name, String identity, String call,
        Map<String, Object> args, String decision, String policy, String rule, String reason,
        Map<String, Object> extra, String json) {
    /** A call refused: the guest got ENOTCAPABLE or a trap. */
    public static final String DENY = "deny";
    /** A call an audit-mode policy would have refused; it ran. */
    public static final String AUDIT_DENY = "audit-deny";
    /** A call a permissive-mode policy would have refused; it ran. */
    public static final String PERMISSIVE_DENY = "permissive-deny";
    /** A call allowed by a policy that logs allowed calls ({@code log: {allows: true}}). */
    public static final String ALLOW = "allow";
    /** An operator released a quarantined container. */
    public static final String RELEASE = "release";
    /** The decisions the gate writes. */
    public static final List<String> DECISIONS = List.of(DENY, AUDIT_DENY, PERMISSIVE_DENY, ALLOW, RELEASE);

    public AuditRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(json, "json");
        // JSON null is a value here, so Map.copyOf (which refuses null values) will not do
        args = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(args, "args")));
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(extra, "extra")));
    }

    /** Whether a policy refused the call, whatever its mode did about it. */
    public boolean denied() {
        return decision.equals(DENY) || decision.equals(AUDIT_DENY) || decision.equals(PERMISSIVE_DENY);
    }

    /** The function's name without its module: {@code path_open}. */
    public String function() {
        return call.substring(call.lastIndexOf('.') + 1);
    }
}
