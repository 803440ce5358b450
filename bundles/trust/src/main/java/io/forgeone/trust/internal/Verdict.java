package io.forgeone.trust.internal;

import io.forgeone.api.gate.Decision;

/**
 * A decision with the rule that made it. Constant verdicts are built once at compile time, so answering a call
 * that needs no argument inspection allocates nothing.
 */
record Verdict(Decision decision, String rule, String reason) {
    static Verdict allow(String rule, String reason) {
        return new Verdict(Decision.ALLOW, rule, reason);
    }

    static Verdict deny(String rule, String reason) {
        return new Verdict(Decision.DENY, rule, reason);
    }

    boolean allowed() {
        return decision == Decision.ALLOW;
    }
}
