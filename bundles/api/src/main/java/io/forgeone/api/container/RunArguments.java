package io.forgeone.api.container;

import io.forgeone.api.wasi.Preopen;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The arguments of {@code forge run}, in the wasmtime CLI spelling, shared by every face (command line, Gogo):
 *
 * <pre>
 * run [--dir HOST[::GUEST]]... [--env NAME[=VALUE]]... [--engine NAME] [--timeout DURATION]
 *     [--max-memory SIZE] [--name NAME] [-d|--detach] [--trace] FILE.wasm [ARGS...]
 * </pre>
 *
 * Options come before the module; everything after it goes to the guest verbatim. {@code --opt=value} works
 * too. {@code --env NAME} without a value passes the host's value of NAME, as wasmtime does; nothing else of
 * the host environment reaches the guest.
 *
 * @param spec the container to run ({@code null} when {@code help} is set)
 * @param detach whether the caller should return at once instead of waiting for the container
 * @param help whether {@code -h}/{@code --help} was given
 * @param trace whether the run's every host call should be written to trace files ({@code --trace})
 */
public record RunArguments(ContainerSpec spec, boolean detach, boolean help, boolean trace) {

    /** The option summary, for help texts. */
    public static final String OPTIONS =
            "  --dir HOST[::GUEST]   let the guest reach host directory HOST as GUEST (default: HOST); repeatable\n"
            + "  --env NAME[=VALUE]    set a guest environment variable; without =VALUE the host's value is passed;"
            + " repeatable\n"
            + "  --engine NAME         engine to run on: chicory, wasmtime, or auto (the node's default if installed,"
            + " else chicory, else wasmtime); default: the node's default, chicory\n"
            + "  --timeout DURATION    wall-clock limit, e.g. 500ms, 10s, 2m; 0 for none (default: 30s)\n"
            + "  --max-memory SIZE     linear memory limit, e.g. 64MiB, 1GiB, or 4096p pages (default: 256MiB)\n"
            + "  --cpu-time DURATION   CPU-time limit of the guest's thread, e.g. 2s; 0 for none (default: none)\n"
            + "  --name NAME           container name (default: module name plus a short id)\n"
            + "  -d, --detach          return at once and leave the container running\n"
            + "  --trace               write every host call of the run to trace files (var/traces/ID/), for forge"
            + " trace and forge replay\n"
            + "  -h, --help            show this help";

    public RunArguments {
        if (!help) {
            Objects.requireNonNull(spec, "spec");
        }
    }

    /** Arguments without {@code --trace}. */
    public RunArguments(ContainerSpec spec, boolean detach, boolean help) {
        this(spec, detach, help, false);
    }

    /**
     * Parses the arguments after {@code run}.
     *
     * @param args the arguments
     * @param defaults limits used where no option overrides them
     * @param hostEnv looks up a host environment variable (for {@code --env NAME}), e.g. {@code System::getenv}
     * @throws IllegalArgumentException with a one-line message naming the bad argument
     */
    public static RunArguments parse(List<String> args, ContainerLimits defaults, UnaryOperator<String> hostEnv) {
        List<Preopen> dirs = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        ContainerLimits limits = defaults;
        String engine = null;
        String name = null;
        boolean detach = false;
        boolean trace = false;
        int i = 0;
        while (i < args.size()) {
            String arg = args.get(i);
            if (!arg.startsWith("-") || arg.equals("-")) {
                break;
            }
            if (arg.equals("--")) {
                i++;
                break;
            }
            String option = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                option = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (option) {
                case "-h":
                case "--help":
                    return new RunArguments(null, false, true);
                case "-d":
                case "--detach":
                    detach = true;
                    i++;
                    continue;
                case "--trace":
                    trace = true;
                    i++;
                    continue;
                case "--dir":
                case "--env":
                case "--engine":
                case "--timeout":
                case "--max-memory":
                case "--cpu-time":
                case "--name":
                    break;
                default:
                    throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("option " + option + " needs a value");
                }
                value = args.get(i + 1);
                i += 2;
            } else {
                i++;
            }
            switch (option) {
                case "--dir":
                    dirs.add(Preopen.parse(value));
                    break;
                case "--env":
                    putEnv(env, value, hostEnv);
                    break;
                case "--engine":
                    if (value.isBlank()) {
                        throw new IllegalArgumentException("--engine needs a name");
                    }
                    engine = value;
                    break;
                case "--timeout":
                    limits = limits.withWallTimeout(parseDuration(value));
                    break;
                case "--max-memory":
                    limits = limits.withMaxMemoryPages(parsePages(value));
                    break;
                case "--cpu-time":
                    limits = limits.withCpuTime(parseDuration(value));
                    break;
                default:
                    name = value;
                    break;
            }
        }
        if (i >= args.size()) {
            throw new IllegalArgumentException("no module given: expected FILE.wasm after the options");
        }
        String module = args.get(i);
        if (module.isEmpty()) {
            throw new IllegalArgumentException("module path is empty");
        }
        List<String> guestArgs = args.subList(i + 1, args.size());
        return new RunArguments(new ContainerSpec(name, Path.of(module), guestArgs, env, dirs, engine, limits),
                detach, false, trace);
    }

    private static void putEnv(Map<String, String> env, String value, UnaryOperator<String> hostEnv) {
        int eq = value.indexOf('=');
        String key = eq < 0 ? value : value.substring(0, eq);
        if (key.isEmpty()) {
            throw new IllegalArgumentException("--env '" + value + "': expected NAME=VALUE or NAME, the name is empty");
        }
        if (key.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("--env '" + key + "': contains a NUL character");
        }
        if (eq >= 0) {
            env.put(key, value.substring(eq + 1));
            return;
        }
        String inherited = hostEnv.apply(key);
        if (inherited == null) {
            throw new IllegalArgumentException("--env " + key + ": no value given and " + key
                    + " is not set in this environment (use --env " + key + "=VALUE)");
        }
        env.put(key, inherited);
    }

    /** Parses {@code 0}, {@code 250ms}, {@code 10s}, {@code 2m}, {@code 1h} (a bare number is seconds). */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return nonNegative(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2))), text);
            }
            if (t.endsWith("s")) {
                return nonNegative(Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1))), text);
            }
            if (t.endsWith("m")) {
                return nonNegative(Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1))), text);
            }
            if (t.endsWith("h")) {
                return nonNegative(Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1))), text);
            }
            return nonNegative(Duration.ofSeconds(Long.parseLong(t)), text);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("--timeout '" + text + "': expected a duration such as 500ms, 10s, 2m or 0");
        }
    }

    private static Duration nonNegative(Duration d, String text) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("--timeout '" + text + "': must not be negative");
        }
        return d;
    }

    /**
     * Parses a memory size into 64 KiB pages, rounding up: {@code 64MiB}, {@code 1GiB}, {@code 512KiB},
     * {@code 1048576} (bytes), or {@code 100p} (pages). Must be at least one page and at most 4 GiB.
     */
    public static int parsePages(String text) {
        String t = text.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        long multiplier = 1;
        String number = t;
        boolean pages = false;
        String[][] units = {{"kib", "1024"}, {"k", "1024"}, {"mib", "1048576"}, {"m", "1048576"},
            {"gib", "1073741824"}, {"g", "1073741824"}, {"b", "1"}};
        if (lower.endsWith("p")) {
            pages = true;
            number = t.substring(0, t.length() - 1);
        } else {
            for (String[] unit : units) {
                if (lower.endsWith(unit[0])) {
                    multiplier = Long.parseLong(unit[1]);
                    number = t.substring(0, t.length() - unit[0].length());
                    break;
                }
            }
        }
        long value;
        try {
            value = Long.parseLong(number.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--max-memory '" + text
                    + "': expected a size such as 64MiB, 1GiB or 4096p (pages)");
        }
        if (value <= 0 || value > (pages ? 65536 : (1L << 32) / multiplier)) {
            throw new IllegalArgumentException("--max-memory '" + text + "': must be between 64KiB and 4GiB");
        }
        long result = pages ? value : (value * multiplier + 65535) / 65536;
        if (result > 65536) {
            throw new IllegalArgumentException("--max-memory '" + text + "': must be between 64KiB and 4GiB");
        }
        return (int) result;
    }
}
