package io.forgeone.shell.internal;

import io.forgeone.api.capability.ProvidedFunction;
import io.forgeone.api.container.EngineInfo;
import io.forgeone.api.container.ProviderInfo;
import io.forgeone.api.engine.ValueType;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The engines and capability providers of a node, as tables for people. */
final class Tables {
    private Tables() {
    }

    static String engines(List<EngineInfo> engines) {
        int w = width(engines.stream().map(EngineInfo::bundle).toList());
        StringBuilder out = new StringBuilder(String.format("%-10s  %-6s  %-" + w + "s  %-8s  %s%n", "NAME", "BUNDLE",
                "VERSION", "RUNNING", "DESCRIPTION"));
        for (EngineInfo e : engines) {
            out.append(String.format("%-10s  %-6s  %-" + w + "s  %-8d  %s%n", e.name(), id(e.bundleId()),
                    text(e.bundle()), e.containers().size(), e.description()));
            if (!e.containers().isEmpty()) {
                out.append("            running: ").append(ids(e.containers())).append('\n');
            }
        }
        if (engines.isEmpty()) {
            out.append("(no engine installed: containers cannot be created)\n");
        }
        return out.toString();
    }

    static String providers(List<ProviderInfo> providers) {
        int w = width(providers.stream().map(ProviderInfo::bundle).toList());
        StringBuilder out = new StringBuilder(String.format("%-12s  %-6s  %-" + w + "s  %-10s  %s%n", "MODULE",
                "BUNDLE", "VERSION", "CONTAINERS", "DESCRIPTION"));
        for (ProviderInfo p : providers) {
            out.append(String.format("%-12s  %-6s  %-" + w + "s  %-10d  %s%n", p.module(), id(p.bundleId()),
                    text(p.bundle()), p.containers().size(), p.description()));
            for (ProvidedFunction f : p.functions()) {
                out.append("    ").append(p.module()).append('.').append(f.name()).append(signature(f))
                        .append("   needs ").append(grant(p.module(), f)).append('\n');
            }
            if (!p.containers().isEmpty()) {
                out.append("    used by: ").append(ids(p.containers())).append('\n');
            }
        }
        if (providers.isEmpty()) {
            out.append("(no capability provider installed: only WASI imports link)\n");
        }
        return out.toString();
    }

    /** The policy grant a function needs, as it is written in a policy file. */
    static String grant(String module, ProvidedFunction f) {
        return ProvidedFunction.NET.equals(f.capability()) ? "net: [{host: ..., ports: [...]}]"
                : "functions: [" + module + "." + f.name() + "]";
    }

    private static String signature(ProvidedFunction f) {
        return "(" + types(f.signature().params()) + ") -> " + (f.signature().results().isEmpty() ? "()"
                : types(f.signature().results()));
    }

    private static String types(List<ValueType> types) {
        return types.stream().map(t -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }

    private static String ids(List<String> ids) {
        return ids.stream().map(i -> i.length() > 12 ? i.substring(0, 12) : i).collect(Collectors.joining(", "));
    }

    /** The VERSION column's width: its widest bundle text. */
    private static int width(List<String> bundles) {
        return Math.max(7, bundles.stream().mapToInt(String::length).max().orElse(0));
    }

    private static String id(long bundleId) {
        return bundleId < 0 ? "-" : String.valueOf(bundleId);
    }

    private static String text(String s) {
        return s.isEmpty() ? "-" : s;
    }
}
