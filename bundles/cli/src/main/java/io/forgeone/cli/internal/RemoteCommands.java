package io.forgeone.cli.internal;

import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerLimits;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.RunArguments;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The commands of {@code forge --node URL ...}: ps, run, logs, stop, kill, rm, inspect, stats, snapshot, restore and
 * trace against a running node's REST API (snapshot and trace in {@link RemoteObserverCommands}). Tables are forge:ps's; {@code --json} prints the node's own objects for scripts. Exit codes: 0
 * done, 1 the node refused or could not be reached (its error code and message on one line of standard error), 2
 * usage, and for an attached run the container's code as local {@code forge run} gives it.
 */
final class RemoteCommands {
    static final List<String> COMMANDS = List.of("ps", "run", "logs", "stop", "kill", "rm", "inspect", "stats",
            "snapshot", "restore", "trace");
    /** The options of {@code run} that take a value (RunArguments), to find where its module is. */
    static final Set<String> RUN_VALUED = Set.of("--dir", "--env", "--engine", "--timeout", "--max-memory",
            "--cpu-time", "--name");
    private static final byte[] WASM_MAGIC = {0, 'a', 's', 'm'};
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private final Supplier<NodeClient> connect;
    private final OutputStream out;
    private final OutputStream err;
    private final Map<String, String> env;
    private final boolean terminal;
    private final Supplier<Instant> clock;
    private final RemoteObserverCommands observer;
    private NodeClient client;
    /** Set when a followed log could not be written here (the reader of a pipe went away). */
    private boolean outputGone;

    /**
     * @param connect makes the client once a command needs the node (help and usage errors do not)
     * @param env the process environment ({@code run --env NAME} passes NAME's value from here)
     * @param terminal whether standard error is a terminal (the upload progress line is redrawn in place)
     */
    RemoteCommands(Supplier<NodeClient> connect, OutputStream out, OutputStream err, Map<String, String> env,
            boolean terminal, Supplier<Instant> clock) {
        this.connect = Objects.requireNonNull(connect, "connect");
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.env = Map.copyOf(env);
        this.terminal = terminal;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.observer = new RemoteObserverCommands(this::node, out, err, clock, RemoteObserverCommands.FOLLOW_POLL);
    }

    /**
     * Runs one command.
     *
     * @throws IllegalArgumentException a usage error, naming the argument
     * @throws NodeException the node refused, or could not be reached
     */
    int execute(String command, List<String> args) {
        return switch (command) {
            case "ps" -> ps(args);
            case "run" -> run(args);
            case "logs" -> logs(args);
            case "stop" -> stop(args, "stop");
            case "kill" -> stop(args, "kill");
            case "rm" -> rm(args);
            case "inspect" -> inspect(args);
            case "stats" -> stats(args);
            case "snapshot" -> observer.snapshot(args);
            case "restore" -> restore(args);
            case "trace" -> observer.trace(args);
            default -> throw new IllegalArgumentException("'" + command + "' has no remote mode (remote commands: "
                    + String.join(", ", COMMANDS) + ")");
        };
    }

    private NodeClient node() {
        if (client == null) {
            client = connect.get();
        }
        return client;
    }

    private int ps(List<String> args) {
        CommandLine line = CommandLine.parse(args, Set.of(), Set.of(), Set.of("-a", "--all", "--json"));
        if (line.help()) {
            return print(RemoteHelp.page("ps"));
        }
        line.noOperands("ps");
        boolean all = line.flag("-a") || line.flag("--all");
        List<Map<String, Object>> shown = new ArrayList<>();
        List<ContainerInfo> infos = new ArrayList<>();
        for (Map<String, Object> c : containers()) {
            ContainerInfo info = ContainerTable.info(c);
            if (all || ContainerTable.active(info.state())) {
                shown.add(c);
                infos.add(info);
            }
        }
        return print(line.flag("--json") ? Json.write(shown) + "\n" : ContainerTable.table(infos, clock.get()));
    }

    private List<Map<String, Object>> containers() {
        Object list = node().get("/v1/containers?all=true").get("containers");
        if (!(list instanceof List<?> items)) {
            throw new NodeException(200, NodeException.BAD_ANSWER, "the node's container list has no 'containers'",
                    null);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object item : items) {
            out.add(object(item, "containers[]"));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String what) {
        if (value instanceof Map<?, ?>) {
            return (Map<String, Object>) value;
        }
        throw new NodeException(200, NodeException.BAD_ANSWER, "the node sent " + what + " that is not an object", null);
    }

    // ---- run

    private int run(List<String> args) {
        boolean rm = false;
        List<String> rest = new ArrayList<>();
        int i = 0;
        // --rm is this command's own; the rest of the options are RunArguments', the same as local forge run's
        for (; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
                break;
            }
            if (arg.equals("--rm")) {
                rm = true;
                continue;
            }
            rest.add(arg);
            if (RUN_VALUED.contains(arg) && i + 1 < args.size()) {
                rest.add(args.get(++i));
            }
        }
        rest.addAll(args.subList(i, args.size()));
        RunArguments parsed = RunArguments.parse(rest, ContainerLimits.DEFAULT, env::get);
        if (parsed.help()) {
            return print(RemoteHelp.page("run"));
        }
        ContainerSpec spec = parsed.spec();
        if (parsed.trace()) {
            throw new IllegalArgumentException("--trace: a node writes trace files for the containers its"
                    + " etc/io.forgeone.observer.cfg makes durable (durable=NAME); read them with forge:trace on the"
                    + " node or GET /v1/containers/ID/trace");
        }
        if (!spec.preopens().isEmpty()) {
            throw new IllegalArgumentException("--dir: a node is never given host directories over its API (run the"
                    + " program on the node itself to grant one)");
        }
        if (!spec.limits().cpuTime().isZero()) {
            throw new IllegalArgumentException("--cpu-time: the node's API has no CPU-time limit yet; use --timeout");
        }
        if (rm && parsed.detach()) {
            throw new IllegalArgumentException("--rm and --detach do not go together: a detached container is"
                    + " removed with 'forge rm'");
        }
        Path file = spec.module();
        boolean pkg = kind(file);
        String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();

        String id = upload(file, fileName, pkg);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(pkg ? "package" : "module", id);
        if (spec.name() != null) {
            body.put("name", spec.name());
        }
        body.put("args", spec.args());
        body.put("env", spec.env());
        if (spec.engine() != null) {
            body.put("engine", spec.engine());
        }
        body.put("timeoutMs", spec.limits().wallTimeout().toMillis());
        body.put("maxMemoryPages", spec.limits().maxMemoryPages());
        ContainerInfo created = ContainerTable.info(node().post("/v1/containers", Json.write(body)));
        if (parsed.detach()) {
            return print(created.id() + "\n");
        }
        return attached(created, fileName, spec.limits().wallTimeout(), rm);
    }

    /**
     * Follows a started container's output to its end and gives its exit code as local {@code forge run} does;
     * with {@code rm} removes it afterwards.
     *
     * @param file named in a trap message
     * @param timeout its wall-clock limit, named when it timed out and the node said nothing
     */
    private int attached(ContainerInfo created, String file, java.time.Duration timeout, boolean rm) {
        Map<String, Object> last = follow(created.id());
        if (last == null && outputGone) {
            // nobody reads this any more; the container runs on (forge stop), as docker's does
            return Outcome.FAILED;
        }
        if (last == null) {
            throw new NodeException(0, NodeException.UNREACHABLE, "the node ended the log stream of " + created.name()
                    + " before it stopped (is the node shutting down?)", null);
        }
        if ("deleted".equals(last.get("state")) && !last.containsKey("id")) {
            error(Outcome.PREFIX + "container " + created.name() + " was removed while it ran");
            return Outcome.FAILED;
        }
        Outcome outcome = Outcome.of(ContainerTable.info(last), file, timeout);
        if (outcome.message() != null) {
            error(outcome.message());
        }
        int code = outcome.exitCode();
        if (rm) {
            try {
                node().delete("/v1/containers/" + NodeClient.segment(created.id()));
            } catch (NodeException e) {
                error(Outcome.PREFIX + "could not remove " + created.name() + ": " + e.getMessage());
            }
        }
        return code;
    }

    // ---- restore

    /**
     * A new container from a snapshot on the node, which answers once the container has re-executed the recorded
     * calls and proved the snapshot's state; then attached (its output followed, its exit code ours) as {@code run},
     * or with {@code -d} its id printed at once.
     */
    private int restore(List<String> args) {
        CommandLine line = CommandLine.parse(args, Set.of("--name"), Set.of(), Set.of("-d", "--detach"));
        if (line.help()) {
            return print(RemoteHelp.page("restore"));
        }
        String snapshot = RemoteObserverCommands.snapshotName(line.single("snapshot name"));
        String name = line.value("--name");
        if (name != null && name.isEmpty()) {
            throw new IllegalArgumentException("--name needs a value");
        }
        String body = name == null ? null : Json.write(Map.of("name", name));
        ContainerInfo created = ContainerTable.info(node().call("POST", "/v1/snapshots/"
                + NodeClient.segment(snapshot) + "/restore", body, NodeClient.LONG_CALL_TIMEOUT));
        if (line.flag("-d") || line.flag("--detach")) {
            return print(created.id() + "\n");
        }
        String module = created.module() == null || created.module().isEmpty() ? snapshot : created.module();
        return attached(created, module, created.limits().wallTimeout(), false);
    }

    /** Whether the file is a package (true) or a module (false); throws when it is neither or cannot be read. */
    private static boolean kind(Path file) {
        if (!Files.exists(file)) {
            throw new NodeException(0, null, file + ": no such file", null);
        }
        if (Files.isDirectory(file)) {
            throw new NodeException(0, null, file + ": is a directory, not a module or package", null);
        }
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 4);
        } catch (IOException e) {
            throw new NodeException(0, null, file + ": cannot read it (" + e.getMessage() + ")", null, e);
        }
        if (n == 4 && Arrays.equals(head, WASM_MAGIC)) {
            return false;
        }
        if (n == 4 && Arrays.equals(head, ZIP_MAGIC)) {
            return true;
        }
        throw new NodeException(0, null, file + ": neither a WebAssembly module (no \\0asm header) nor a"
                + " .forgepkg package", null);
    }

    private String upload(Path file, String fileName, boolean pkg) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new NodeException(0, null, file + ": cannot read it (" + e.getMessage() + ")", null, e);
        }
        // the client first: setting up TLS is not part of the upload the progress line times
        NodeClient node = node();
        Map<String, Object> answer;
        try (UploadProgress progress = new UploadProgress(err, fileName, size, terminal,
                pkg ? "verifying" : "storing").start()) {
            answer = node.upload(pkg ? "/v1/packages" : "/v1/modules", file, progress);
        } catch (UncheckedIOException e) {
            throw new NodeException(0, null, e.getMessage(), null, e);
        }
        if (!(answer.get("id") instanceof String id)) {
            throw new NodeException(201, NodeException.BAD_ANSWER, "the node's upload answer has no 'id'", null);
        }
        return id;
    }

    /**
     * Follows a container's log stream to the end: its output to this process's stdout and stderr as it comes.
     *
     * @return the {@code exit} event's container, or {@code null} when the stream ended without one
     */
    private Map<String, Object> follow(String id) {
        Object[] last = {null};
        node().events("/v1/containers/" + NodeClient.segment(id) + "/logs?follow=true", (name, data) -> {
            try {
                return event(name, data, last);
            } catch (IllegalArgumentException e) {
                // the node's JSON, not the person's command line: not a usage error
                throw new NodeException(200, NodeException.BAD_ANSWER, "a '" + name + "' event from the node is"
                        + " malformed: " + e.getMessage(), null, e);
            }
        });
        @SuppressWarnings("unchecked")
        Map<String, Object> exit = (Map<String, Object>) last[0];
        return exit;
    }

    /** One event of a followed log: output to our streams, a gap noted, the exit kept; false at the end. */
    private boolean event(String name, String data, Object[] last) {
        switch (name) {
            case "stdout" -> {
                return output(out, text(data));
            }
            case "stderr" -> {
                return output(err, text(data));
            }
            case "gap" -> {
                Object gap = JsonReader.parse(data);
                if (gap instanceof Map<?, ?> g) {
                    error(Outcome.PREFIX + "the node dropped " + g.get("bytes") + " bytes of " + g.get("stream")
                            + " before they could be read");
                }
                return true;
            }
            case "exit" -> {
                last[0] = object(JsonReader.parse(data), "an exit event");
                return false;
            }
            default -> {
                return true;
            }
        }
    }

    /** Guest output; false (stop following) once this process's stream is gone, e.g. {@code | head}. */
    private boolean output(OutputStream stream, String text) {
        if (write(stream, text)) {
            return true;
        }
        outputGone = true;
        return false;
    }

    private static String text(String data) {
        Object value = JsonReader.parse(data);
        if (value instanceof String s) {
            return s;
        }
        throw new NodeException(200, NodeException.BAD_ANSWER, "a log event's data is not a JSON string", null);
    }

    // ---- logs, stop, kill, rm, inspect, stats

    private int logs(List<String> args) {
        CommandLine line = CommandLine.parse(args, Set.of(), Set.of(), Set.of("-f", "--follow"));
        if (line.help()) {
            return print(RemoteHelp.page("logs"));
        }
        String id = line.single("container id or name");
        if (line.flag("-f") || line.flag("--follow")) {
            if (follow(id) != null) {
                return 0;
            }
            if (outputGone) {
                return Outcome.FAILED;
            }
            throw new NodeException(0, NodeException.UNREACHABLE, "the node ended the log stream of " + id
                    + " before the container stopped (is the node shutting down?)", null);
        }
        Map<String, Object> logs = node().get("/v1/containers/" + NodeClient.segment(id) + "/logs");
        long droppedOut = logs.get("droppedStdoutBytes") instanceof Number n ? n.longValue() : 0;
        long droppedErr = logs.get("droppedStderrBytes") instanceof Number n ? n.longValue() : 0;
        StringBuilder stdout = new StringBuilder();
        if (droppedOut > 0) {
            stdout.append("[").append(droppedOut).append(" older bytes of stdout dropped]\n");
        }
        stdout.append(logs.get("stdout") instanceof String s ? s : "");
        StringBuilder stderr = new StringBuilder();
        if (droppedErr > 0) {
            stderr.append("[").append(droppedErr).append(" older bytes of stderr dropped]\n");
        }
        stderr.append(logs.get("stderr") instanceof String s ? s : "");
        write(out, stdout.toString());
        write(err, stderr.toString());
        return 0;
    }

    /** stop (kill, then wait until stopped) and kill (return at once); each line as forge:stop prints it. */
    private int stop(List<String> args, String verb) {
        CommandLine line = CommandLine.parse(args, Set.of(), Set.of(), Set.of());
        if (line.help()) {
            return print(RemoteHelp.page(verb));
        }
        List<String> ids = line.operands();
        if (ids.isEmpty() || verb.equals("kill") && ids.size() > 1) {
            line.single("container id or name");
        }
        int code = 0;
        for (String id : ids) {
            try {
                ContainerInfo info = ContainerTable.info(node().post("/v1/containers/" + NodeClient.segment(id) + "/"
                        + verb, null));
                print(info.name() + ": " + ContainerTable.status(info, clock.get()) + "\n");
            } catch (NodeException e) {
                if (e.status() == 0) {
                    throw e;
                }
                error(e.line());
                code = Outcome.FAILED;
            }
        }
        return code;
    }

    private int rm(List<String> args) {
        CommandLine line = CommandLine.parse(args, Set.of(), Set.of(), Set.of("-f", "--force"));
        if (line.help()) {
            return print(RemoteHelp.page("rm"));
        }
        if (line.operands().isEmpty()) {
            line.single("container id or name");
        }
        boolean force = line.flag("-f") || line.flag("--force");
        int code = 0;
        for (String id : line.operands()) {
            try {
                Map<String, Object> gone = node().delete("/v1/containers/" + NodeClient.segment(id)
                        + (force ? "?force=true" : ""));
                print(ContainerTable.info(gone).name() + "\n");
            } catch (NodeException e) {
                if (e.status() == 0) {
                    throw e;
                }
                error(e.line());
                code = Outcome.FAILED;
            }
        }
        return code;
    }

    private int inspect(List<String> args) {
        CommandLine line = CommandLine.parse(args, Set.of(), Set.of(), Set.of());
        if (line.help()) {
            return print(RemoteHelp.page("inspect"));
        }
        String id = line.single("container id or name");
        return print(Json.pretty(node().get("/v1/containers/" + NodeClient.segment(id))));
    }

    private int stats(List<String> args) {
        CommandLine line = CommandLine.parse(args, Set.of(), Set.of(), Set.of("--json"));
        if (line.help()) {
            return print(RemoteHelp.page("stats"));
        }
        if (line.operands().size() > 1) {
            line.single("container id or name");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        if (line.operands().size() == 1) {
            String id = line.operands().get(0);
            ContainerInfo info = ContainerTable.info(node().get("/v1/containers/" + NodeClient.segment(id)));
            rows.add(statsRow(info));
        } else {
            for (Map<String, Object> c : containers()) {
                ContainerInfo info = ContainerTable.info(c);
                if (!ContainerTable.active(info.state())) {
                    continue;
                }
                try {
                    rows.add(statsRow(info));
                } catch (NodeException e) {
                    if (!"container_not_found".equals(e.code())) {
                        throw e;
                    }
                    // removed between the list and this call: it has no stats to show any more
                }
            }
        }
        return print(line.flag("--json") ? Json.write(rows) + "\n" : ContainerTable.stats(rows));
    }

    private Map<String, Object> statsRow(ContainerInfo info) {
        Map<String, Object> stats = node().get("/v1/containers/" + NodeClient.segment(info.id()) + "/stats");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", stats.getOrDefault("id", info.id()));
        row.put("name", info.name());
        stats.forEach(row::putIfAbsent);
        return row;
    }

    // ---- output

    private int print(String text) {
        write(out, text);
        return 0;
    }

    private void error(String line) {
        write(err, line.endsWith("\n") ? line : line + "\n");
    }

    /** Writes and flushes; false when the stream is gone (the reader of a pipe went away). */
    private static boolean write(OutputStream stream, String text) {
        try {
            stream.write(text.getBytes(StandardCharsets.UTF_8));
            stream.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
