package io.forgeone.cli.internal;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * {@code forge --node URL COMMAND ...}: the remote commands, run by the launcher without an OSGi framework. The
 * launcher loads this class from the cli and api bundles' jars in a plain class loader (the bundle's
 * {@code Forge-Remote} manifest header names it) and calls it through {@code java.*} types only: the constructor
 * takes the environment and the process's streams, {@link #applyAsInt} the arguments and returns the exit code.
 * Nothing here may touch OSGi or SLF4J, which that class loader does not have.
 */
public final class RemoteMain implements ToIntFunction<String[]> {
    /** The options that say where the node is and how to reach it, valid before the command or among its options. */
    static final Set<String> CONNECTION_OPTIONS = Set.of("--node", "--token-file", "--cacert", "--cert", "--key");

    private final Map<String, String> env;
    private final OutputStream out;
    private final OutputStream err;
    private final boolean terminal;
    private final Supplier<Instant> clock;

    /** What the launcher calls; {@code stdin} is not read (a node's containers get no standard input). */
    public RemoteMain(Map<String, String> env, InputStream stdin, OutputStream stdout, OutputStream stderr) {
        this(env, stdout, stderr, System.console() != null, Instant::now);
    }

    RemoteMain(Map<String, String> env, OutputStream out, OutputStream err, boolean terminal, Supplier<Instant> clock) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.terminal = terminal;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** For {@code java -cp cli.jar:api.jar io.forgeone.cli.internal.RemoteMain --node URL ps}. */
    public static void main(String[] args) {
        System.exit(new RemoteMain(System.getenv(), System.in, new FileOutputStream(FileDescriptor.out),
                new FileOutputStream(FileDescriptor.err)).applyAsInt(args));
    }

    @Override
    public int applyAsInt(String[] argv) {
        List<String> args = List.of(argv == null ? new String[0] : argv);
        Map<String, String> connection = new LinkedHashMap<>();
        String command;
        List<String> rest;
        try {
            int i = takeConnectionOptions(args, 0, connection, true);
            if (i >= args.size()) {
                return usage("no command given after the connection options", HelpText.MAIN_HINT);
            }
            command = args.get(i);
            rest = new ArrayList<>(args.subList(i + 1, args.size()));
            if (command.equals("help") || command.equals("-h") || command.equals("--help")) {
                String page = rest.size() == 1 ? RemoteHelp.page(rest.get(0)) : RemoteHelp.page("remote");
                if (page == null || rest.size() > 1) {
                    return usage("no remote help for '" + String.join(" ", rest) + "'", RemoteHelp.HINT);
                }
                return print(page);
            }
            if (!RemoteCommands.COMMANDS.contains(command)) {
                return usage((command.startsWith("-") ? "unknown option '" : "'") + command + "'"
                        + (command.startsWith("-") ? "" : " has no remote mode") + " (remote commands: "
                        + String.join(", ", RemoteCommands.COMMANDS) + ")", RemoteHelp.HINT);
            }
            rest = withoutConnectionOptions(command, rest, connection);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage(), RemoteHelp.HINT);
        }
        // 'forge help snapshot' and 'forge help trace' are the local, file-based commands' pages
        String hint = RemoteHelp.LOCAL_TWINS.contains(command) ? "see 'forge --node URL " + command + " --help'"
                : "see 'forge help " + command + "'";
        Supplier<NodeClient> connect = () -> new NodeClient(NodeConnection.of(connection.get("--node"),
                connection.get("--token-file"), connection.get("--cacert"), connection.get("--cert"),
                connection.get("--key"), env));
        RemoteCommands commands = new RemoteCommands(connect, out, err, env, terminal, clock);
        try {
            return commands.execute(command, rest);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage(), hint);
        } catch (NodeException e) {
            error(e.line());
            return Outcome.FAILED;
        }
    }

    /**
     * Takes connection options from {@code args} starting at {@code from} into {@code into}.
     *
     * @param leading stop at the first argument that is not a connection option (before the command)
     * @return the index of the first argument not taken
     */
    static int takeConnectionOptions(List<String> args, int from, Map<String, String> into, boolean leading) {
        int i = from;
        while (i < args.size()) {
            int taken = take(args, i, into);
            if (taken == 0) {
                if (leading) {
                    return i;
                }
                i++;
            } else {
                i += taken;
            }
        }
        return i;
    }

    /**
     * Takes the connection option at {@code args[i]} (as {@code --name VALUE} or {@code --name=VALUE}) into
     * {@code into}; returns how many arguments it used, 0 when {@code args[i]} is not one.
     */
    private static int take(List<String> args, int i, Map<String, String> into) {
        String arg = args.get(i);
        int eq = arg.indexOf('=');
        String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
        if (!CONNECTION_OPTIONS.contains(name)) {
            return 0;
        }
        String value;
        int used;
        if (eq > 0) {
            value = arg.substring(eq + 1);
            used = 1;
        } else if (i + 1 < args.size()) {
            value = args.get(i + 1);
            used = 2;
        } else {
            throw new IllegalArgumentException(name + " needs a value");
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        if (into.putIfAbsent(name, value) != null) {
            throw new IllegalArgumentException(name + " given more than once");
        }
        return used;
    }

    /**
     * The command's arguments without the connection options among them: for {@code run} only among its own
     * options (everything from the module on is the guest's), for the others anywhere before {@code --}.
     */
    static List<String> withoutConnectionOptions(String command, List<String> args, Map<String, String> into) {
        List<String> kept = new ArrayList<>();
        boolean run = command.equals("run");
        int i = 0;
        while (i < args.size()) {
            String arg = args.get(i);
            if (arg.equals("--") || run && (!arg.startsWith("-") || arg.equals("-"))) {
                kept.addAll(args.subList(i, args.size()));
                break;
            }
            int taken = take(args, i, into);
            if (taken > 0) {
                i += taken;
                continue;
            }
            kept.add(arg);
            // a run option's value is never the module, even when it does not start with '-'
            if (run && RemoteCommands.RUN_VALUED.contains(arg) && i + 1 < args.size()) {
                kept.add(args.get(++i));
            }
            i++;
        }
        return kept;
    }

    private int usage(String problem, String hint) {
        error(Outcome.PREFIX + problem + " (" + hint + ")");
        return Outcome.USAGE;
    }

    private int print(String text) {
        write(out, text);
        return 0;
    }

    private void error(String line) {
        write(err, line + "\n");
    }

    private static void write(OutputStream stream, String text) {
        try {
            stream.write(text.getBytes(StandardCharsets.UTF_8));
            stream.flush();
        } catch (IOException e) {
            // the terminal is gone: nowhere left to say it, and the exit code still tells
        }
    }
}
