package io.forgeone.api.policy;

import java.util.List;
import java.util.Objects;

/**
 * A loaded policy, as {@code forge policy show} prints it.
 *
 * @param name the policy's name (unique on the node)
 * @param file the file it was read from
 * @param mode its mode
 * @param selector which workloads it applies to, in the file's words
 * @param rules one line per rule, each starting with the rule's id as the decision log names it
 */
public record PolicyInfo(String name, String file, PolicyMode mode, String selector, List<String> rules) {
    public PolicyInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(selector, "selector");
        rules = List.copyOf(rules);
    }
}
