package io.forgeone.api.policy;

import io.forgeone.api.gate.Decision;
import java.util.Objects;

/**
 * Why a call is decided as it is.
 *
 * @param decision what the gate does with it
 * @param policy the policy that applies, or {@code "none"} when no policy matches (everything is denied)
 * @param mode that policy's mode
 * @param rule the id of the rule that decided, for example {@code fs[0]} or {@code default-deny}
 * @param reason one plain sentence
 */
public record Explanation(Decision decision, String policy, PolicyMode mode, String rule, String reason) {
    public Explanation {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
    }
}
