package io.forgeone.shell.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments after a Gogo subcommand ({@code forge:pkg sign APP --key K}): {@code --name VALUE} or
 * {@code --name=VALUE} anywhere, {@code --} ends the options. Mistakes are IllegalArgumentException naming the
 * option, which Gogo shows as the command's error.
 */
record ShellArgs(List<String> operands, Map<String, List<String>> values, Set<String> flags) {

    static ShellArgs parse(String[] args, int from, Set<String> valued, Set<String> switches) {
        List<String> operands = new ArrayList<>();
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> flags = new ArrayList<>();
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                operands.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            if (!arg.startsWith("--")) {
                operands.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            if (switches.contains(name) && eq < 0) {
                flags.add(name);
            } else if (valued.contains(name)) {
                String value = eq > 0 ? arg.substring(eq + 1) : i + 1 < args.length ? args[++i] : null;
                if (value == null || value.isEmpty()) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        return new ShellArgs(List.copyOf(operands), values, Set.copyOf(flags));
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    /** The last value given, or {@code null}. */
    String value(String name) {
        List<String> list = values.get(name);
        return list == null ? null : list.get(list.size() - 1);
    }

    List<String> all(String name) {
        return List.copyOf(values.getOrDefault(name, List.of()));
    }

    String required(String name, String usage) {
        String value = value(name);
        if (value == null) {
            throw new IllegalArgumentException(name + " is required (usage: " + usage + ")");
        }
        return value;
    }

    String single(String usage) {
        if (operands.size() != 1) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        return operands.get(0);
    }
}
