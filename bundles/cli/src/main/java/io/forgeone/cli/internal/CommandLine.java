package io.forgeone.cli.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The arguments of one subcommand ({@code forge pkg sign APP --key K}): options anywhere among the operands, as
 * {@code --name VALUE} or {@code --name=VALUE}; {@code --} ends the options; {@code -h}/{@code --help} asks for
 * help, whatever else is given. Anything else that starts with {@code -} is an error, so that a mistyped option is never taken for a file.
 */
final class CommandLine {
    private final boolean help;
    private final List<String> operands;
    private final Map<String, List<String>> values;
    private final Set<String> flags;

    private CommandLine(boolean help, List<String> operands, Map<String, List<String>> values, Set<String> flags) {
        this.help = help;
        this.operands = List.copyOf(operands);
        this.values = values;
        this.flags = Set.copyOf(flags);
    }

    /**
     * @param valued options that take a value, e.g. {@code --out}
     * @param repeatable those of {@code valued} that may be given more than once
     * @param switches options without a value, e.g. {@code --json}
     * @throws IllegalArgumentException naming the option that is unknown, repeated or missing its value
     */
    static CommandLine parse(List<String> args, Set<String> valued, Set<String> repeatable, Set<String> switches) {
        // asking for help wins over any mistake beside it: the page is what the person needs then
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            if (arg.equals("-h") || arg.equals("--help")) {
                return new CommandLine(true, List.of(), Map.of(), Set.of());
            }
        }
        boolean help = false;
        List<String> operands = new ArrayList<>();
        Map<String, List<String>> values = new LinkedHashMap<>();
        Set<String> flags = new HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = Objects.requireNonNull(args.get(i), "argument");
            if (arg.equals("--")) {
                operands.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (arg.equals("-h") || arg.equals("--help")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                operands.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            if (switches.contains(name)) {
                if (eq > 0) {
                    throw new IllegalArgumentException(name + " takes no value");
                }
                flags.add(name);
            } else if (valued.contains(name)) {
                String value;
                if (eq > 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                List<String> list = values.computeIfAbsent(name, k -> new ArrayList<>());
                if (!list.isEmpty() && !repeatable.contains(name)) {
                    throw new IllegalArgumentException(name + " given more than once");
                }
                list.add(value);
            } else {
                throw new IllegalArgumentException("unknown option '" + name + "'");
            }
        }
        return new CommandLine(help, operands, values, flags);
    }

    boolean help() {
        return help;
    }

    List<String> operands() {
        return operands;
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    /** The option's value, or {@code null} when it was not given. */
    String value(String name) {
        List<String> list = values.get(name);
        return list == null ? null : list.get(0);
    }

    /** The option's value; throws IllegalArgumentException when it was not given or is empty. */
    String required(String name) {
        String value = value(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    List<String> values(String name) {
        return List.copyOf(values.getOrDefault(name, List.of()));
    }

    /** The one operand this command takes; throws IllegalArgumentException naming what was expected. */
    String single(String what) {
        if (operands.isEmpty()) {
            throw new IllegalArgumentException("no " + what + " given");
        }
        if (operands.size() > 1) {
            throw new IllegalArgumentException("expected one " + what + ", got " + operands.size() + ": "
                    + String.join(" ", operands));
        }
        return operands.get(0);
    }

    /** Throws IllegalArgumentException when any operand was given. */
    void noOperands(String command) {
        if (!operands.isEmpty()) {
            throw new IllegalArgumentException(command + " takes no arguments, got: " + String.join(" ", operands));
        }
    }
}
