package io.forgeone.trust.internal;

import io.forgeone.api.policy.PolicyMode;
import io.forgeone.api.policy.PolicyProblem;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads one policy document (YAML, or JSON, which is YAML too) into a {@link Policy}, collecting every problem
 * with its line, column and path. Unknown keys are errors: a misspelt grant must not silently grant nothing.
 * The schema is documented in docs/policy.md.
 */
final class PolicyParser {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*|\\*");
    private static final Pattern FUNCTION = Pattern.compile("[^.\\s]+\\.[^.\\s]+");
    private static final Pattern SHA256 = Pattern.compile("(sha256:)?[0-9a-fA-F]{64}");

    private final String file;
    private final List<PolicyProblem> problems = new ArrayList<>();

    private PolicyParser(String file) {
        this.file = file;
    }

    /** The policy, or the problems that keep the document from being one. */
    record Result(Policy policy, List<PolicyProblem> problems) {
        Result {
            problems = List.copyOf(problems);
        }
    }

    static Result parse(String file, String text) {
        PolicyParser parser = new PolicyParser(file);
        Policy policy = parser.document(text);
        return new Result(parser.problems.isEmpty() ? policy : null, parser.problems);
    }

    private Policy document(String text) {
        Optional<Node> root;
        try {
            root = new Compose(LoadSettings.builder().setLabel(file).build()).composeString(text);
        } catch (MarkedYamlEngineException e) {
            Mark mark = e.getProblemMark().orElse(e.getContextMark().orElse(null));
            problem(mark, "", "not valid YAML or JSON: " + e.getProblem());
            return null;
        } catch (YamlEngineException e) {
            problem((Mark) null, "", "not valid YAML or JSON: " + e.getMessage());
            return null;
        }
        if (root.isEmpty()) {
            problem((Mark) null, "", "the file is empty");
            return null;
        }
        Map<String, Node> top = mapping(root.get(), "", Set.of("name", "mode", "priority", "match", "grants", "log",
                "quarantine", "limits", "trust"));
        if (top == null) {
            return null;
        }
        String name = requiredString(top, "name", "");
        if (name != null && !NAME.matcher(name).matches()) {
            problem(top.get("name"), "name", "'" + name + "' is not a valid name: use letters, digits, '_', '.', '-'");
        }
        PolicyMode mode = PolicyMode.ENFORCE;
        String modeText = optionalString(top, "mode", "");
        if (modeText != null) {
            try {
                mode = PolicyMode.valueOf(modeText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problem(top.get("mode"), "mode", "'" + modeText + "' is not a mode: use enforce, audit or permissive");
            }
        }
        int priority = optionalInt(top, "priority", "", 0);
        Selector selector = selector(top.get("match"));
        Policy.Grants grants = grants(top.get("grants"));
        boolean logAllows = false;
        Node log = top.get("log");
        if (log != null) {
            Map<String, Node> logMap = mapping(log, "log", Set.of("allows"));
            if (logMap != null) {
                logAllows = optionalBoolean(logMap, "allows", "log", false);
            }
        }
        Set<String> quarantine = quarantine(top.get("quarantine"), grants);
        Policy.Limits limits = limits(top.get("limits"));
        Policy.Trust trust = trust(top.get("trust"));
        if (!problems.isEmpty()) {
            return null;
        }
        return new Policy(name, file, mode, priority, selector, grants, logAllows, quarantine, limits, trust);
    }

    /** What a quarantine entry may name: a capability, a limit, a grant's id, default-deny, or * for any denial. */
    private static final Set<String> QUARANTINE_WORDS = Set.of("*", "args", "env", "clocks", "random", "stdin", "stdout",
            "stderr", "fs", "net", "functions", "default-deny", "limits", "limits.bytesWritten", "limits.filesOpen");

    private Set<String> quarantine(Node node, Policy.Grants grants) {
        Set<String> out = new HashSet<>();
        List<String> words = stringList(node, "quarantine");
        Set<String> ids = new HashSet<>();
        if (grants != null) {
            grants.fs().forEach(g -> ids.add(g.id()));
            grants.net().forEach(g -> ids.add(g.id()));
        }
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (!QUARANTINE_WORDS.contains(w) && !ids.contains(w)) {
                problem(((SequenceNode) node).getValue().get(i), "quarantine[" + i + "]", "'" + w + "' is not a"
                        + " capability (args, env, clocks, random, stdin, stdout, stderr, fs, net, functions), a limit"
                        + " (limits, limits.bytesWritten, limits.filesOpen), default-deny, * or the id of a grant");
            }
            out.add(w);
        }
        return out;
    }

    private Policy.Limits limits(Node node) {
        if (node == null) {
            return Policy.Limits.NONE;
        }
        Map<String, Node> m = mapping(node, "limits", Set.of("memoryPages", "wallTime", "cpuTime", "callsPerSecond",
                "bytesWritten", "filesOpen"));
        if (m == null) {
            return Policy.Limits.NONE;
        }
        int pages = optionalInt(m, "memoryPages", "limits", 0);
        if (pages < 0 || pages > 65536) {
            problem(m.get("memoryPages"), "limits.memoryPages", "must be 1..65536 pages of 64 KiB, was " + pages);
        }
        int calls = optionalInt(m, "callsPerSecond", "limits", 0);
        if (calls < 0) {
            problem(m.get("callsPerSecond"), "limits.callsPerSecond", "must not be negative, was " + calls);
        }
        int files = optionalInt(m, "filesOpen", "limits", 0);
        if (files < 0) {
            problem(m.get("filesOpen"), "limits.filesOpen", "must not be negative, was " + files);
        }
        return new Policy.Limits(Math.max(0, pages), duration(m, "wallTime"), duration(m, "cpuTime"),
                Math.max(0, calls), bytes(m, "bytesWritten"), Math.max(0, files));
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*(|B|KiB|MiB|GiB|KB|MB|GB)");

    private java.time.Duration duration(Map<String, Node> m, String key) {
        String text = optionalString(m, key, "limits");
        if (text == null) {
            return java.time.Duration.ZERO;
        }
        java.util.regex.Matcher d = DURATION.matcher(text.trim());
        if (!d.matches()) {
            problem(m.get(key), "limits." + key, "expected a duration such as 500ms, 30s, 5m or 1h, got '" + text + "'");
            return java.time.Duration.ZERO;
        }
        long n = Long.parseLong(d.group(1));
        switch (d.group(2)) {
            case "ms":
                return java.time.Duration.ofMillis(n);
            case "s":
                return java.time.Duration.ofSeconds(n);
            case "m":
                return java.time.Duration.ofMinutes(n);
            default:
                return java.time.Duration.ofHours(n);
        }
    }

    private long bytes(Map<String, Node> m, String key) {
        String text = optionalString(m, key, "limits");
        if (text == null) {
            return 0;
        }
        java.util.regex.Matcher b = BYTES.matcher(text.trim());
        if (!b.matches() || b.group(1).length() > 15) {
            problem(m.get(key), "limits." + key, "expected a size such as 1048576, 64KiB, 10MiB or 1GB, got '" + text
                    + "'");
            return 0;
        }
        long n = Long.parseLong(b.group(1));
        switch (b.group(2)) {
            case "KiB":
                return n << 10;
            case "MiB":
                return n << 20;
            case "GiB":
                return n << 30;
            case "KB":
                return n * 1000;
            case "MB":
                return n * 1000_000;
            case "GB":
                return n * 1000_000_000;
            default:
                return n;
        }
    }

    private Policy.Trust trust(Node node) {
        if (node == null) {
            return Policy.Trust.DEFAULT;
        }
        Map<String, Node> m = mapping(node, "trust", Set.of("penalty", "threshold"));
        if (m == null) {
            return Policy.Trust.DEFAULT;
        }
        int penalty = optionalInt(m, "penalty", "trust", Policy.Trust.DEFAULT.penalty());
        int threshold = optionalInt(m, "threshold", "trust", Policy.Trust.DEFAULT.threshold());
        if (penalty < 0 || penalty > Policy.Trust.FULL) {
            problem(m.get("penalty"), "trust.penalty", "must be 0..100 points per denial, was " + penalty);
        }
        if (threshold < 0 || threshold > Policy.Trust.FULL) {
            problem(m.get("threshold"), "trust.threshold", "must be 0..100 (0: never quarantine on score), was "
                    + threshold);
        }
        return new Policy.Trust(penalty, threshold);
    }

    private Selector selector(Node node) {
        if (node == null) {
            return new Selector(null, null, null, Map.of());
        }
        Map<String, Node> m = mapping(node, "match", Set.of("name", "module", "spiffe", "labels"));
        if (m == null) {
            return new Selector(null, null, null, Map.of());
        }
        String module = optionalString(m, "module", "match");
        if (module != null) {
            if (!SHA256.matcher(module).matches()) {
                problem(m.get("module"), "match.module", "expected a SHA-256 digest (64 hex digits, optionally after"
                        + " 'sha256:'), got '" + module + "'");
            } else if (module.startsWith("sha256:")) {
                module = module.substring(7);
            }
        }
        String spiffe = optionalString(m, "spiffe", "match");
        if (spiffe != null && !spiffe.startsWith("spiffe://")) {
            problem(m.get("spiffe"), "match.spiffe", "expected a SPIFFE id such as spiffe://node/pkg/acme/app, got '"
                    + spiffe + "'");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        Node labelNode = m.get("labels");
        if (labelNode != null) {
            Map<String, Node> lm = mapping(labelNode, "match.labels", null);
            if (lm != null) {
                lm.forEach((k, v) -> {
                    String value = scalar(v, "match.labels." + k);
                    if (value != null) {
                        labels.put(k, value);
                    }
                });
            }
        }
        return new Selector(optionalString(m, "name", "match"), module, spiffe, labels);
    }

    private Policy.Grants grants(Node node) {
        if (node == null) {
            return new Policy.Grants(false, List.of(), false, false, false, false, false, List.of(), List.of(), Set.of());
        }
        Map<String, Node> g = mapping(node, "grants", Set.of("args", "env", "clocks", "random", "stdin", "stdout",
                "stderr", "fs", "net", "functions"));
        if (g == null) {
            return null;
        }
        List<String> env = List.of();
        Node envNode = g.get("env");
        if (envNode instanceof ScalarNode) {
            env = optionalBoolean(g, "env", "grants", false) ? List.of("*") : List.of();
        } else if (envNode != null) {
            env = stringList(envNode, "grants.env");
            for (int i = 0; i < env.size(); i++) {
                if (!ENV_NAME.matcher(env.get(i)).matches()) {
                    problem(((SequenceNode) envNode).getValue().get(i), "grants.env[" + i + "]",
                            "'" + env.get(i) + "' is not an environment variable name");
                }
            }
        }
        List<Policy.FsGrant> fs = new ArrayList<>();
        Node fsNode = g.get("fs");
        if (fsNode != null) {
            List<Node> items = sequence(fsNode, "grants.fs");
            for (int i = 0; i < items.size(); i++) {
                Policy.FsGrant grant = fsGrant(items.get(i), i);
                if (grant != null) {
                    fs.add(grant);
                }
            }
        }
        List<Policy.NetGrant> net = new ArrayList<>();
        Node netNode = g.get("net");
        if (netNode != null) {
            List<Node> items = sequence(netNode, "grants.net");
            for (int i = 0; i < items.size(); i++) {
                Policy.NetGrant grant = netGrant(items.get(i), i);
                if (grant != null) {
                    net.add(grant);
                }
            }
        }
        List<String> functions = stringList(g.get("functions"), "grants.functions");
        for (int i = 0; i < functions.size(); i++) {
            if (!FUNCTION.matcher(functions.get(i)).matches()) {
                problem(((SequenceNode) g.get("functions")).getValue().get(i), "grants.functions[" + i + "]",
                        "expected module.function, got '" + functions.get(i) + "'");
            }
        }
        return new Policy.Grants(optionalBoolean(g, "args", "grants", false), env,
                optionalBoolean(g, "clocks", "grants", false), optionalBoolean(g, "random", "grants", false),
                optionalBoolean(g, "stdin", "grants", false), optionalBoolean(g, "stdout", "grants", false),
                optionalBoolean(g, "stderr", "grants", false), fs, net, new HashSet<>(functions));
    }

    private Policy.FsGrant fsGrant(Node node, int index) {
        String path = "grants.fs[" + index + "]";
        Map<String, Node> m = mapping(node, path, Set.of("id", "path", "access"));
        if (m == null) {
            return null;
        }
        String id = optionalString(m, "id", path);
        if (id != null && !NAME.matcher(id).matches()) {
            problem(m.get("id"), path + ".id", "'" + id + "' is not a valid rule id: use letters, digits, '_', '.', '-'");
        }
        String glob = requiredString(m, "path", path);
        PathGlob parsed = null;
        if (glob != null) {
            try {
                parsed = PathGlob.parse(glob);
            } catch (IllegalArgumentException e) {
                problem(m.get("path"), path + ".path", e.getMessage());
            }
        }
        Node accessNode = m.get("access");
        if (accessNode == null) {
            problem(node, path, "missing 'access' (a list of read, write, create, delete)");
            return null;
        }
        EnumSet<Access> access = EnumSet.noneOf(Access.class);
        List<String> words = stringList(accessNode, path + ".access");
        for (int i = 0; i < words.size(); i++) {
            try {
                access.add(Access.valueOf(words.get(i).toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                problem(((SequenceNode) accessNode).getValue().get(i), path + ".access[" + i + "]",
                        "'" + words.get(i) + "' is not an access: use read, write, create or delete");
            }
        }
        if (access.isEmpty() && words.isEmpty() && accessNode instanceof SequenceNode) {
            problem(accessNode, path + ".access", "is empty: a grant must allow something");
        }
        return parsed == null || access.isEmpty() ? null : new Policy.FsGrant(id != null ? id : "fs[" + index + "]",
                parsed, access);
    }

    private Policy.NetGrant netGrant(Node node, int index) {
        String path = "grants.net[" + index + "]";
        Map<String, Node> m = mapping(node, path, Set.of("host", "cidr", "ports"));
        if (m == null) {
            return null;
        }
        String host = optionalString(m, "host", path);
        String cidr = optionalString(m, "cidr", path);
        if ((host == null) == (cidr == null)) {
            problem(node, path, "give exactly one of 'host' or 'cidr'");
        }
        if (cidr != null && !cidr.matches("[0-9a-fA-F:.]+/\\d{1,3}")) {
            problem(m.get("cidr"), path + ".cidr", "'" + cidr + "' is not a CIDR block such as 10.0.0.0/8");
        }
        List<Integer> ports = new ArrayList<>();
        List<String> portTexts = stringList(m.get("ports"), path + ".ports");
        for (int i = 0; i < portTexts.size(); i++) {
            try {
                int port = Integer.parseInt(portTexts.get(i));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                ports.add(port);
            } catch (NumberFormatException e) {
                problem(((SequenceNode) m.get("ports")).getValue().get(i), path + ".ports[" + i + "]",
                        "'" + portTexts.get(i) + "' is not a port (1-65535)");
            }
        }
        return new Policy.NetGrant("net[" + index + "]", host, cidr, ports);
    }

    // ---- node helpers -------------------------------------------------------------------------------------

    /** The mapping's entries by key; {@code allowed} null means any key. Duplicate and unknown keys are problems. */
    private Map<String, Node> mapping(Node node, String path, Set<String> allowed) {
        if (!(node instanceof MappingNode mappingNode)) {
            problem(node, path, "expected a mapping (key: value)");
            return null;
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple tuple : mappingNode.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
            String here = path.isEmpty() ? String.valueOf(key) : path + "." + key;
            if (key == null) {
                problem(tuple.getKeyNode(), path, "keys must be plain words");
            } else if (out.containsKey(key)) {
                problem(tuple.getKeyNode(), here, "duplicate key '" + key + "'");
            } else if (allowed != null && !allowed.contains(key)) {
                problem(tuple.getKeyNode(), here, "unknown key '" + key + "' (expected one of "
                        + allowed.stream().sorted().toList() + ")");
            } else {
                out.put(key, tuple.getValueNode());
            }
        }
        return out;
    }

    private List<Node> sequence(Node node, String path) {
        if (node instanceof SequenceNode seq) {
            return seq.getValue();
        }
        problem(node, path, "expected a list");
        return List.of();
    }

    private List<String> stringList(Node node, String path) {
        if (node == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        List<Node> items = sequence(node, path);
        for (int i = 0; i < items.size(); i++) {
            String value = scalar(items.get(i), path + "[" + i + "]");
            if (value != null) {
                out.add(value);
            }
        }
        return out;
    }

    private String scalar(Node node, String path) {
        if (node instanceof ScalarNode s) {
            return s.getValue();
        }
        problem(node, path, "expected a single value");
        return null;
    }

    private String requiredString(Map<String, Node> m, String key, String path) {
        Node node = m.get(key);
        String here = path.isEmpty() ? key : path + "." + key;
        if (node == null) {
            problem((Mark) null, here, "missing");
            return null;
        }
        String value = scalar(node, here);
        if (value != null && value.isBlank()) {
            problem(node, here, "is empty");
            return null;
        }
        return value;
    }

    private String optionalString(Map<String, Node> m, String key, String path) {
        Node node = m.get(key);
        return node == null ? null : scalar(node, path.isEmpty() ? key : path + "." + key);
    }

    private boolean optionalBoolean(Map<String, Node> m, String key, String path, boolean otherwise) {
        String value = optionalString(m, key, path);
        if (value == null) {
            return otherwise;
        }
        if (value.equals("true")) {
            return true;
        }
        if (value.equals("false")) {
            return false;
        }
        problem(m.get(key), path.isEmpty() ? key : path + "." + key, "expected true or false, got '" + value + "'");
        return otherwise;
    }

    private int optionalInt(Map<String, Node> m, String key, String path, int otherwise) {
        String value = optionalString(m, key, path);
        if (value == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            problem(m.get(key), path.isEmpty() ? key : path + "." + key, "expected a whole number, got '" + value + "'");
            return otherwise;
        }
    }

    private void problem(Node node, String path, String message) {
        problem(node == null ? null : node.getStartMark().orElse(null), path, message);
    }

    private void problem(Mark mark, String path, String message) {
        problems.add(new PolicyProblem(file, mark == null ? 0 : mark.getLine() + 1, mark == null ? 0 : mark.getColumn() + 1,
                path, message));
    }
}
