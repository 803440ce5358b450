package io.forgeone.trust.internal;

import io.forgeone.api.gate.GateContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which workloads a policy applies to. Every given field must hold; a selector with none matches every
 * workload. The SPIFFE id and the package identity come from the container's labels ({@code spiffe},
 * {@code publisher}, {@code package}), which the kernel sets from a verified package.
 */
record Selector(String name, String module, String spiffe, Map<String, String> labels) {
    Selector {
        labels = Map.copyOf(labels);
    }

    boolean matches(GateContext who) {
        if (name != null && !globToRegex(name).matcher(who.containerName()).matches()) {
            return false;
        }
        if (module != null && !module.equalsIgnoreCase(who.moduleSha256())) {
            return false;
        }
        if (spiffe != null && !spiffe.equals(who.labels().get("spiffe"))) {
            return false;
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (!label.getValue().equals(who.labels().get(label.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** More conditions make a more specific selector; the most specific matching policy applies. */
    int specificity() {
        return (name != null ? 1 : 0) + (module != null ? 1 : 0) + (spiffe != null ? 1 : 0) + labels.size();
    }

    private static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            regex.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (name != null) {
            parts.add("name=" + name);
        }
        if (module != null) {
            parts.add("module=sha256:" + module);
        }
        if (spiffe != null) {
            parts.add("spiffe=" + spiffe);
        }
        labels.forEach((k, v) -> parts.add("label " + k + "=" + v));
        return parts.isEmpty() ? "every workload" : String.join(", ", parts);
    }
}
