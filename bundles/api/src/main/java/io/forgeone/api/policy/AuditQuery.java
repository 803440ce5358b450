package io.forgeone.api.policy;

import java.time.Instant;
import java.util.Set;

/**
 * Which decision log records to read. Every condition given must hold; {@code null} (or an empty set) means any.
 *
 * @param container a container id or name, or a prefix of either ({@code web} matches {@code web-1} and
 *     {@code web-10})
 * @param decisions the decisions wanted, from {@link AuditRecord#DECISIONS}
 * @param call a function, as {@code module.name} or just its name ({@code path_open})
 * @param policy a policy name, exactly
 * @param rule a rule id exactly ({@code fs[1]}), or a rule family: {@code fs} matches {@code fs[0]},
 *     {@code fs[1]}, ...; {@code limits} matches {@code limits.filesOpen}
 * @param since the first instant wanted (inclusive)
 * @param until the end of the interval (exclusive)
 * @param tail only the last {@code tail} matching records; 0 for all of them
 */
public record AuditQuery(String container, Set<String> decisions, String call, String policy, String rule,
        Instant since, Instant until, int tail) {
    /** Every record. */
    public static final AuditQuery ALL = new AuditQuery(null, Set.of(), null, null, null, null, null, 0);

    public AuditQuery {
        decisions = decisions == null ? Set.of() : Set.copyOf(decisions);
        container = blankToNull(container);
        call = blankToNull(call);
        policy = blankToNull(policy);
        rule = blankToNull(rule);
        if (tail < 0) {
            throw new IllegalArgumentException("tail must be 0 (all) or more, was " + tail);
        }
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("since (" + since + ") must be before until (" + until + ")");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    public AuditQuery withContainer(String value) {
        return new AuditQuery(value, decisions, call, policy, rule, since, until, tail);
    }

    public AuditQuery withDecisions(Set<String> value) {
        return new AuditQuery(container, value, call, policy, rule, since, until, tail);
    }

    public AuditQuery withCall(String value) {
        return new AuditQuery(container, decisions, value, policy, rule, since, until, tail);
    }

    public AuditQuery withPolicy(String value) {
        return new AuditQuery(container, decisions, call, value, rule, since, until, tail);
    }

    public AuditQuery withRule(String value) {
        return new AuditQuery(container, decisions, call, policy, value, since, until, tail);
    }

    public AuditQuery withSince(Instant value) {
        return new AuditQuery(container, decisions, call, policy, rule, value, until, tail);
    }

    public AuditQuery withUntil(Instant value) {
        return new AuditQuery(container, decisions, call, policy, rule, since, value, tail);
    }

    public AuditQuery withTail(int value) {
        return new AuditQuery(container, decisions, call, policy, rule, since, until, value);
    }
}
