package io.forgeone.cli.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code forge --node URL snapshot ...} and {@code forge --node URL trace ...}: a node's snapshots (taken of its
 * containers, kept in its snapshot folder, named by file name) and the host calls its observer recorded, over the
 * REST routes of docs/rest.md. Output is what forge:snapshot and forge:trace print in the node's shell; {@code --json}
 * gives the node's objects. Restoring is {@link RemoteCommands}' (it follows the new container as {@code run} does).
 */
final class RemoteObserverCommands {
    static final String SNAPSHOT_EXTENSION = ".fsnap";
    /** The node's own limit on a trace page. */
    static final int PAGE_LIMIT = 10_000;
    /** How long --follow waits before asking again once it has read all there is, as forge:trace --follow. */
    static final Duration FOLLOW_POLL = Duration.ofMillis(500);
    /** A host function's name, as the node accepts it in {@code filter=call=NAME}. */
    private static final Pattern CALL = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    /** The local, file-based forms of {@code forge snapshot}, which have no remote meaning. */
    private static final Set<String> LOCAL_ONLY = Set.of("init", "export", "import");

    private final Supplier<NodeClient> node;
    private final OutputStream out;
    private final OutputStream err;
    private final Supplier<Instant> clock;
    private final Duration poll;

    /** @param poll how long --follow waits before asking again once it has read all there is */
    RemoteObserverCommands(Supplier<NodeClient> node, OutputStream out, OutputStream err, Supplier<Instant> clock,
            Duration poll) {
        this.node = Objects.requireNonNull(node, "node");
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.poll = Objects.requireNonNull(poll, "poll");
    }

    // ---- snapshot CONTAINER | ls | inspect NAME | rm NAME...

    int snapshot(List<String> args) {
        CommandLine line = CommandLine.parse(args, Set.of(), Set.of(), Set.of("--json"));
        if (line.help()) {
            return print(RemoteHelp.page("snapshot"));
        }
        List<String> operands = line.operands();
        if (operands.isEmpty()) {
            throw new IllegalArgumentException("no container or snapshot command given: snapshot CONTAINER, snapshot"
                    + " ls, snapshot inspect NAME or snapshot rm NAME...");
        }
        // after '--' the first operand is a container even when it is called ls, inspect or rm
        String sub = afterDoubleDash(args, operands.get(0)) ? "" : operands.get(0);
        List<String> rest = operands.subList(1, operands.size());
        boolean json = line.flag("--json");
        switch (sub) {
            case "ls":
                if (!rest.isEmpty()) {
                    throw new IllegalArgumentException("snapshot ls takes no arguments, got: " + String.join(" ",
                            rest));
                }
                return list(json);
            case "inspect":
                return inspect(single(rest, "snapshot name", "inspect"), json);
            case "pull":
                return pull(rest);
            case "push":
                return push(rest, json);
            case "rm":
                if (json) {
                    throw new IllegalArgumentException("--json: snapshot rm prints the names it removed");
                }
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("no snapshot name given: snapshot rm NAME... (snapshot ls"
                            + " lists them)");
                }
                return remove(rest);
            default:
                if (LOCAL_ONLY.contains(sub)) {
                    throw new IllegalArgumentException("'snapshot " + sub + "' works on snapshot files on this"
                            + " machine: run it without --node (forge snapshot " + sub + " ...); against a node:"
                            + " snapshot CONTAINER, ls, inspect NAME, rm NAME (for a container named " + sub
                            + ": snapshot -- " + sub + ")");
                }
                return take(single(operands, "container id or name", null), json);
        }
    }

    /** Whether {@code first} (the first operand) was given after a {@code --}. */
    private static boolean afterDoubleDash(List<String> args, String first) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return true;
            }
            if (arg.equals(first)) {
                return false;
            }
        }
        return false;
    }

    private static String single(List<String> operands, String what, String sub) {
        String command = sub == null ? "snapshot" : "snapshot " + sub;
        if (operands.isEmpty()) {
            throw new IllegalArgumentException("no " + what + " given (" + command + " "
                    + (sub == null ? "CONTAINER" : "NAME") + ")");
        }
        if (operands.size() > 1) {
            throw new IllegalArgumentException(command + " takes one " + what + ", got " + operands.size() + ": "
                    + String.join(" ", operands));
        }
        return operands.get(0);
    }

    /**
     * {@code snapshot pull NAME [FILE]}: the node's snapshot file into FILE (default: NAME in the current folder),
     * never over an existing file; for another node: {@code forge --node OTHER snapshot push FILE}.
     */
    private int pull(List<String> rest) {
        if (rest.isEmpty() || rest.size() > 2) {
            throw new IllegalArgumentException("snapshot pull takes a snapshot name and optionally a file: snapshot pull"
                    + " NAME [FILE]");
        }
        String name = snapshotName(rest.get(0));
        Path target = Path.of(rest.size() == 2 ? rest.get(1) : name);
        if (Files.exists(target)) {
            throw new IllegalArgumentException(target + " already exists; remove it or name another file");
        }
        long size = node.get().download("/v1/snapshots/" + NodeClient.segment(name) + "/file", target);
        return print("pulled " + name + " to " + target + " (" + size + " bytes)\n");
    }

    /**
     * {@code snapshot push FILE [NAME]}: a snapshot file (from another node) into this node's snapshot folder,
     * under NAME (default: the file's name); the node takes it only if a key it trusts signed it.
     */
    private int push(List<String> rest, boolean json) {
        if (rest.isEmpty() || rest.size() > 2) {
            throw new IllegalArgumentException("snapshot push takes a snapshot file and optionally a name: snapshot"
                    + " push FILE [NAME]");
        }
        Path file = Path.of(rest.get(0));
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        String name = snapshotName(rest.size() == 2 ? rest.get(1) : String.valueOf(file.getFileName()));
        Map<String, Object> taken = node.get().upload("PUT", "/v1/snapshots/" + NodeClient.segment(name), file,
                sent -> { });
        if (json) {
            return print(Json.write(taken) + "\n");
        }
        String signer = text(taken, "signer");
        return print("pushed " + file + " as " + text(taken, "file") + " (snapshot of " + text(taken, "containerName")
                + " at host call #" + number(taken, "hostCalls") + ", signed by " + signer + ")\n");
    }

    /** A snapshot's name on the node: its file name, {@code .fsnap} added when left off. */
    static String snapshotName(String name) {
        return name.endsWith(SNAPSHOT_EXTENSION) ? name : name + SNAPSHOT_EXTENSION;
    }

    private int take(String container, boolean json) {
        Map<String, Object> taken = node.get().call("POST", "/v1/containers/" + NodeClient.segment(container)
                + "/snapshot", null, NodeClient.LONG_CALL_TIMEOUT);
        if (json) {
            return print(Json.write(taken) + "\n");
        }
        // forge:snapshot's line, with the snapshot's name where the shell names the file's path
        return print("snapshot of " + text(taken, "containerName") + " at host call #" + number(taken, "hostCalls")
                + " written to " + text(taken, "file") + " (" + number(taken, "fileBytes") + " bytes)\n");
    }

    private int list(boolean json) {
        Map<String, Object> answer = node.get().get("/v1/snapshots");
        if (json) {
            return print(Json.write(answer) + "\n");
        }
        Instant now = clock.get();
        String format = "%-40s  %-24s  %10s  %9s  %-8s  %s%n";
        StringBuilder table = new StringBuilder(String.format(format, "NAME", "CONTAINER", "HOST CALLS", "SIZE",
                "TAKEN", "SIGNED BY"));
        for (Map<String, Object> s : objects(answer, "snapshots")) {
            String signer = text(s, "signer");
            table.append(String.format(format, text(s, "file"), text(s, "containerName"), number(s, "hostCalls"),
                    ContainerTable.bytes(number(s, "fileBytes")), ContainerTable.ago(time(s, "taken"), now) + " ago",
                    signer.isEmpty() ? "(unsigned)" : signer));
        }
        // a damaged or untrusted file is shown with why, not hidden: it is in the folder and cannot be restored
        for (Map<String, Object> d : objects(answer, "damaged")) {
            table.append(String.format("%-40s  unusable: %s%n", text(d, "file"), Outcome.oneLine(text(d, "error"))));
        }
        return print(table.toString());
    }

    private int inspect(String name, boolean json) {
        Map<String, Object> s = node.get().get("/v1/snapshots/" + NodeClient.segment(snapshotName(name)));
        if (json) {
            return print(Json.write(s) + "\n");
        }
        return print(describe(s));
    }

    /** forge:snapshot inspect's text, the file named by its name on the node. */
    static String describe(Map<String, Object> s) {
        StringBuilder out = new StringBuilder();
        String signer = text(s, "signer");
        List<String> argv = new ArrayList<>();
        if (s.get("argv") instanceof List<?> list) {
            list.forEach(a -> argv.add(String.valueOf(a)));
        }
        out.append("file:        ").append(text(s, "file")).append(" (").append(number(s, "fileBytes"))
                .append(" bytes)\n");
        out.append("container:   ").append(text(s, "containerName")).append(" (").append(text(s, "containerId"))
                .append(")\n");
        out.append("taken:       ").append(text(s, "taken")).append('\n');
        out.append("module:      sha256 ").append(text(s, "moduleSha256")).append(" on ").append(text(s, "engine"))
                .append('\n');
        out.append("argv:        ").append(String.join(" ", argv)).append('\n');
        out.append("host calls:  ").append(number(s, "hostCalls")).append(" (re-executed on restore)\n");
        out.append("memory:      ").append(number(s, "memoryBytes")).append(" bytes, ").append(number(s, "globals"))
                .append(" globals\n");
        out.append("descriptors: ").append(number(s, "descriptors")).append(" open\n");
        out.append("signed by:   ").append(signer.isEmpty() ? "(unsigned)" : signer).append('\n');
        return out.toString();
    }

    /** Deletes each; goes on after one that fails (reported) and exits 1 then, as {@code rm} does. */
    private int remove(List<String> names) {
        int code = 0;
        for (String name : names) {
            try {
                Map<String, Object> gone = node.get().delete("/v1/snapshots/" + NodeClient.segment(snapshotName(
                        name)));
                write(out, text(gone, "id") + "\n");
            } catch (NodeException e) {
                if (e.status() == 0) {
                    throw e;
                }
                error(e);
                code = Outcome.FAILED;
            }
        }
        return code;
    }

    // ---- trace [CONTAINER] [--since N] [--limit N] [--filter call=NAME] [--summary] [--follow] [--json]

    int trace(List<String> args) {
        CommandLine line = CommandLine.parse(args, Set.of("--since", "--limit", "--filter"), Set.of(),
                Set.of("--summary", "--follow", "--json"));
        if (line.help()) {
            return print(RemoteHelp.page("trace"));
        }
        boolean json = line.flag("--json");
        boolean summary = line.flag("--summary");
        boolean follow = line.flag("--follow");
        if (line.operands().isEmpty()) {
            for (String option : List.of("--since", "--limit", "--filter")) {
                if (line.value(option) != null) {
                    throw new IllegalArgumentException(option + " needs a container: trace CONTAINER " + option
                            + " ... (trace alone lists the recorded runs)");
                }
            }
            if (summary || follow) {
                throw new IllegalArgumentException((summary ? "--summary" : "--follow") + " needs a container: trace"
                        + " CONTAINER (trace alone lists the recorded runs)");
            }
            return runs(json);
        }
        if (line.operands().size() > 1) {
            throw new IllegalArgumentException("trace takes one container, got " + line.operands().size() + ": "
                    + String.join(" ", line.operands()));
        }
        if (json && follow) {
            throw new IllegalArgumentException("--json and --follow do not go together: --json prints the calls"
                    + " recorded so far as one object");
        }
        String container = line.operands().get(0);
        long since = count(line.value("--since"), "--since", Long.MAX_VALUE);
        long limit = count(line.value("--limit"), "--limit", Long.MAX_VALUE);
        String call = call(line.value("--filter"));
        return follow ? follow(container, since, limit, call, summary) : records(container, since, limit, call,
                summary, json);
    }

    private int runs(boolean json) {
        List<Map<String, Object>> runs = objects(node.get().get("/v1/traces"), "traces");
        if (json) {
            return print(Json.write(runs) + "\n");
        }
        StringBuilder table = new StringBuilder(TraceFormat.listHeader());
        for (Map<String, Object> t : runs) {
            int files = t.get("files") instanceof List<?> l ? l.size() : 0;
            table.append(TraceFormat.listRow(text(t, "containerId"), text(t, "containerName"), number(t, "calls"),
                    files, Boolean.TRUE.equals(t.get("ended")), text(t, "outcome")));
        }
        return print(table.toString());
    }

    /**
     * Reads the calls from {@code since} page by page (the node gives at most 10,000 a request) until {@code limit}
     * calls (0: all), the end of the run, or the calls the run had recorded when the second page was asked for (a
     * running container is shown as far as it had got, never chased). {@code --summary} asks the node for its
     * sentences ({@code summary=true}), except with {@code --filter}: a filtered summary page does not say how many
     * calls it read, so there the records are asked for and their own {@code summary} members shown.
     */
    private int records(String container, long since, long limit, String call, boolean summary, boolean json) {
        boolean sentences = summary && call == null;
        long next = since;
        long read = 0;
        long bound = -1;
        List<Object> all = new ArrayList<>();
        Map<String, Object> last;
        long lost = 0;
        while (true) {
            int want = (int) (limit == 0 ? PAGE_LIMIT : Math.min(PAGE_LIMIT, limit - read));
            last = page(container, next, want, call, sentences);
            List<Map<String, Object>> items = objects(last, sentences ? "summary" : "records");
            long pageLost = number(last, "lost");
            lost += pageLost;
            if (json) {
                all.addAll(summary && !sentences ? sentences(items) : items);
            } else if (!write(out, text(last, items, summary, false))) {
                return Outcome.FAILED; // the reader went away (| head)
            }
            long after = number(last, "next");
            // the calls this page read: its records, or (a summary page, unfiltered) the sequence numbers it covered
            long covered = sentences ? Math.max(0, after - next - pageLost) : items.size();
            boolean progress = after > next;
            next = Math.max(next, after);
            read += covered;
            if (ended(last) || !progress || covered < want || limit > 0 && read >= limit) {
                break;
            }
            if (bound < 0) {
                bound = recorded(text(last, "containerId"));
            }
            if (next >= bound) {
                break;
            }
        }
        if (json) {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("containerId", last.get("containerId"));
            object.put("containerName", last.get("containerName"));
            object.put(summary ? "summary" : "records", all);
            object.put("next", next);
            object.put("lost", lost);
            object.put("ended", last.get("ended"));
            object.put("exitCode", last.get("exitCode"));
            object.put("outcome", last.get("outcome"));
            return print(Json.write(object) + "\n");
        }
        if (ended(last)) {
            return print(TraceFormat.end(summary, text(last, "outcome"), number(last, "exitCode")));
        }
        return 0;
    }

    /** The calls the observer has recorded of a container's run so far ({@code GET /v1/traces}); no bound if absent. */
    private long recorded(String containerId) {
        for (Map<String, Object> t : objects(node.get().get("/v1/traces"), "traces")) {
            if (containerId.equals(t.get("containerId"))) {
                return number(t, "calls");
            }
        }
        return Long.MAX_VALUE;
    }

    /** As forge:trace --follow: pages as they come, asking again every half second, until the run has ended. */
    private int follow(String container, long since, long limit, String call, boolean summary) {
        long next = since;
        // --limit bounds the first page only, as in forge:trace --follow
        int want = (int) (limit == 0 ? PAGE_LIMIT : Math.min(PAGE_LIMIT, limit));
        while (true) {
            Map<String, Object> page = page(container, next, want, call, false);
            List<Map<String, Object>> records = objects(page, "records");
            if (!write(out, text(page, records, summary, true))) {
                return Outcome.FAILED;
            }
            if (ended(page)) {
                return 0;
            }
            long after = number(page, "next");
            if (records.size() < want || after <= next) {
                try {
                    Thread.sleep(poll.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new NodeException(0, NodeException.UNREACHABLE, "interrupted while following the trace of "
                            + container, null, e);
                }
            }
            next = Math.max(next, after);
            want = PAGE_LIMIT;
        }
    }

    private Map<String, Object> page(String container, long since, int limit, String call, boolean summary) {
        StringBuilder path = new StringBuilder("/v1/containers/").append(NodeClient.segment(container))
                .append("/trace?since=").append(since).append("&limit=").append(limit);
        if (call != null) {
            path.append("&filter=").append(URLEncoder.encode("call=" + call, StandardCharsets.UTF_8));
        }
        if (summary) {
            path.append("&summary=true");
        }
        return node.get().get(path.toString());
    }

    /** One page as forge:trace prints it; the end line only when {@code withEnd} (follow prints it per page). */
    private static String text(Map<String, Object> page, List<Map<String, Object>> records, boolean summary,
            boolean withEnd) {
        StringBuilder out = new StringBuilder();
        long lost = number(page, "lost");
        if (lost > 0) {
            out.append(TraceFormat.lost(lost));
        }
        for (Map<String, Object> r : records) {
            if (summary) {
                String sentence = r.get("summary") instanceof String s ? s : "";
                if (!sentence.isEmpty()) {
                    out.append(TraceFormat.sentence(number(r, "sequence"), sentence));
                }
                continue;
            }
            Map<String, Object> arguments = arguments(r);
            List<?> results = r.get("results") instanceof List<?> l ? l : List.of();
            out.append(TraceFormat.line(number(r, "sequence"), number(r, "timeNanos"), text(r, "call"), arguments,
                    r.get("failure") instanceof String f ? f : "", r.get("errno") instanceof Number n ? n.longValue()
                    : -1, results, text(r, "decision"), number(r, "bytesReturned")));
        }
        if (withEnd && ended(page)) {
            out.append(TraceFormat.end(summary, text(page, "outcome"), number(page, "exitCode")));
        }
        return out.toString();
    }

    /**
     * A record's decoded arguments in the host function's order ({@code argumentOrder}): the node sorts the members
     * of every JSON object, and forge:trace prints them as the function gives them. A node without
     * {@code argumentOrder} gives the sorted order.
     */
    static Map<String, Object> arguments(Map<String, Object> record) {
        Map<String, Object> sorted = record.get("arguments") instanceof Map<?, ?> m ? cast(m) : Map.of();
        if (!(record.get("argumentOrder") instanceof List<?> order)) {
            return sorted;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Object name : order) {
            if (sorted.containsKey(String.valueOf(name))) {
                out.put(String.valueOf(name), sorted.get(String.valueOf(name)));
            }
        }
        sorted.forEach(out::putIfAbsent);
        return out;
    }

    private static List<Object> sentences(List<Map<String, Object>> records) {
        List<Object> out = new ArrayList<>();
        for (Map<String, Object> r : records) {
            if (r.get("summary") instanceof String s && !s.isEmpty()) {
                Map<String, Object> sentence = new LinkedHashMap<>();
                sentence.put("sequence", r.get("sequence"));
                sentence.put("summary", s);
                out.add(sentence);
            }
        }
        return out;
    }

    private static boolean ended(Map<String, Object> page) {
        return Boolean.TRUE.equals(page.get("ended"));
    }

    static long count(String text, String option, long max) {
        if (text == null) {
            return 0;
        }
        try {
            long v = Long.parseLong(text.trim());
            if (v >= 0 && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(option + " '" + text + "': expected a number, 0 or more");
    }

    static String call(String filter) {
        if (filter == null) {
            return null;
        }
        int eq = filter.indexOf('=');
        String name = eq < 0 ? "" : filter.substring(eq + 1).trim();
        if (eq < 0 || !filter.substring(0, eq).trim().equals("call") || !CALL.matcher(name).matches()) {
            throw new IllegalArgumentException("--filter '" + filter + "': expected call=NAME, e.g. call=path_open");
        }
        return name;
    }

    // ---- the node's JSON

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static List<Map<String, Object>> objects(Map<String, Object> answer, String member) {
        if (!(answer.get(member) instanceof List<?> items)) {
            throw new NodeException(200, NodeException.BAD_ANSWER, "the node's answer has no '" + member + "' list",
                    null);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> map)) {
                throw new NodeException(200, NodeException.BAD_ANSWER, "the node sent " + member + "[] that is not an"
                        + " object", null);
            }
            out.add(cast(map));
        }
        return out;
    }

    private static String text(Map<String, Object> json, String key) {
        Object v = json.get(key);
        return v == null ? "" : String.valueOf(v);
    }

    private static long number(Map<String, Object> json, String key) {
        return json.get(key) instanceof Number n ? n.longValue() : 0L;
    }

    private static Instant time(Map<String, Object> json, String key) {
        try {
            return json.get(key) instanceof String s ? Instant.parse(s) : null;
        } catch (DateTimeParseException e) {
            return null; // shown as '?': a time this client cannot read does not hide the snapshot
        }
    }

    // ---- output

    private int print(String text) {
        write(out, text);
        return 0;
    }

    private void error(NodeException e) {
        write(err, e.line() + "\n");
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
