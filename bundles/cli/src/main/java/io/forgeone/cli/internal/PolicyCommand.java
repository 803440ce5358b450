package io.forgeone.cli.internal;

import io.forgeone.api.gate.GateContext;
import io.forgeone.api.policy.Explanation;
import io.forgeone.api.policy.PolicyInfo;
import io.forgeone.api.policy.PolicyProblem;
import io.forgeone.api.policy.PolicyService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code forge policy list|show|check|explain}: the node's policies ({@code etc/policies}) as the policy gate of
 * this command's own framework reads them. Output for people on stdout, or one JSON object with {@code --json};
 * problems one line each on stderr.
 */
final class PolicyCommand {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyCommand.class);
    private static final Set<String> JSON = Set.of("--json");
    private static final String WASI = "wasi_snapshot_preview1";
    private static final Pattern SHA256 = Pattern.compile("sha256:([0-9a-fA-F]{64})");
    /** The id part of a name as 'forge run' makes one (FILE-1a2b3c): unknown here, so a placeholder. */
    private static final String ID_PLACEHOLDER = "xxxxxx";

    private final OptionalServices services;
    private final Terminal terminal;
    private final Path workDir;

    PolicyCommand(OptionalServices services, Terminal terminal, Path workDir) {
        this.services = Objects.requireNonNull(services, "services");
        this.terminal = Objects.requireNonNull(terminal, "terminal");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
    }

    /** Why a subcommand stops early: its exit code and the line for stderr. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int code;

        Stop(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    int execute(List<String> args) {
        if (args.isEmpty()) {
            return usage("policy needs a command: list, show, check or explain", HelpText.POLICY_HINT);
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        try {
            switch (command) {
                case "-h":
                case "--help":
                    terminal.print(HelpText.policy());
                    return 0;
                case "list":
                    return list(rest);
                case "show":
                    return show(rest);
                case "check":
                    return check(rest);
                case "explain":
                    return explain(rest);
                default:
                    return usage("unknown policy command '" + command + "' (expected list, show, check or explain)",
                            HelpText.POLICY_HINT);
            }
        } catch (Stop e) {
            terminal.error(e.getMessage());
            return e.code;
        } catch (OptionalServices.Unavailable e) {
            terminal.error(Outcome.PREFIX + Outcome.oneLine(e.getMessage()));
            return Outcome.FAILED;
        }
    }

    static String help(String command) {
        switch (command) {
            case "list":
                return HelpText.policyList();
            case "show":
                return HelpText.policyShow();
            case "check":
                return HelpText.policyCheck();
            case "explain":
                return HelpText.policyExplain();
            default:
                return null;
        }
    }

    private CommandLine parse(List<String> args, String command, Set<String> valued, Set<String> repeatable) {
        try {
            return CommandLine.parse(args, valued, repeatable, JSON);
        } catch (IllegalArgumentException e) {
            throw new Stop(Outcome.USAGE, usageLine(e.getMessage(), command));
        }
    }

    private static String usageLine(String problem, String command) {
        return Outcome.PREFIX + problem + " (see 'forge policy " + command + " --help')";
    }

    private int list(List<String> args) {
        CommandLine line = parse(args, "list", Set.of(), Set.of());
        if (line.help()) {
            terminal.print(HelpText.policyList());
            return 0;
        }
        try {
            line.noOperands("policy list");
        } catch (IllegalArgumentException e) {
            throw new Stop(Outcome.USAGE, usageLine(e.getMessage(), "list"));
        }
        PolicyService policies = services.get(PolicyService.class);
        List<PolicyInfo> list = policies.list();
        List<PolicyProblem> problems = policies.problems();
        if (line.flag("--json")) {
            Map<String, Object> json = new LinkedHashMap<>();
            List<Object> items = new ArrayList<>();
            list.forEach(p -> items.add(policyJson(p)));
            json.put("policies", items);
            List<Object> bad = new ArrayList<>();
            problems.forEach(p -> bad.add(problemJson(p)));
            json.put("notInForce", bad);
            terminal.print(Json.write(json) + "\n");
            return 0;
        }
        StringBuilder out = new StringBuilder();
        if (list.isEmpty()) {
            out.append("no policies in force: every call that reaches outside a container is denied\n");
        } else {
            out.append(String.format("%-20s  %-10s  %-40s  %s%n", "NAME", "MODE", "APPLIES TO", "FILE"));
            for (PolicyInfo p : list) {
                out.append(String.format("%-20s  %-10s  %-40s  %s%n", p.name(), mode(p), p.selector(), p.file()));
            }
        }
        terminal.print(out.toString());
        for (PolicyProblem problem : problems) {
            terminal.error("forge: warning: not in force: " + Outcome.oneLine(problem.toString()));
        }
        return 0;
    }

    private int show(List<String> args) {
        CommandLine line = parse(args, "show", Set.of(), Set.of());
        if (line.help()) {
            terminal.print(HelpText.policyShow());
            return 0;
        }
        String name;
        try {
            name = line.single("policy NAME");
        } catch (IllegalArgumentException e) {
            throw new Stop(Outcome.USAGE, usageLine(e.getMessage(), "show"));
        }
        PolicyService policies = services.get(PolicyService.class);
        Optional<PolicyInfo> found = policies.get(name);
        if (found.isEmpty()) {
            throw new Stop(Outcome.FAILED, Outcome.PREFIX + "no policy named '" + name + "' is in force (see 'forge"
                    + " policy list')");
        }
        PolicyInfo p = found.get();
        if (line.flag("--json")) {
            terminal.print(Json.write(policyJson(p)) + "\n");
            return 0;
        }
        StringBuilder out = new StringBuilder();
        out.append("name:       ").append(p.name()).append('\n');
        out.append("file:       ").append(p.file()).append('\n');
        out.append("mode:       ").append(mode(p)).append('\n');
        out.append("applies to: ").append(p.selector()).append('\n');
        out.append("rules:\n");
        for (String rule : p.rules()) {
            out.append("  ").append(rule).append('\n');
        }
        terminal.print(out.toString());
        return 0;
    }

    private int check(List<String> args) {
        CommandLine line = parse(args, "check", Set.of(), Set.of());
        if (line.help()) {
            terminal.print(HelpText.policyCheck());
            return 0;
        }
        if (line.operands().isEmpty()) {
            throw new Stop(Outcome.USAGE, usageLine("no FILE given", "check"));
        }
        PolicyService policies = services.get(PolicyService.class);
        boolean allValid = true;
        List<Object> json = new ArrayList<>();
        for (String operand : line.operands()) {
            Path file = workDir.resolve(operand);
            List<PolicyProblem> problems;
            if (!Files.exists(file)) {
                problems = List.of(new PolicyProblem(file.toString(), 0, 0, "", "no such file"));
            } else if (Files.isDirectory(file)) {
                problems = List.of(new PolicyProblem(file.toString(), 0, 0, "", "is a directory, not a policy file"));
            } else {
                problems = policies.check(file);
            }
            allValid &= problems.isEmpty();
            if (line.flag("--json")) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("file", file.toString());
                entry.put("valid", problems.isEmpty());
                List<Object> list = new ArrayList<>();
                problems.forEach(p -> list.add(problemJson(p)));
                entry.put("problems", list);
                json.add(entry);
            } else if (problems.isEmpty()) {
                terminal.print(file + ": valid\n");
            } else {
                problems.forEach(p -> terminal.error(Outcome.PREFIX + Outcome.oneLine(p.toString())));
            }
        }
        if (line.flag("--json")) {
            terminal.print(Json.write(json.size() == 1 ? json.get(0) : json) + "\n");
        }
        return allValid ? 0 : Outcome.FAILED;
    }

    private int explain(List<String> args) {
        CommandLine line = parse(args, "explain", Set.of("--name", "--module", "--label", "--spiffe"),
                Set.of("--label"));
        if (line.help()) {
            terminal.print(HelpText.policyExplain());
            return 0;
        }
        String call;
        Map<String, Object> callArgs = new LinkedHashMap<>();
        Map<String, String> labels = new TreeMap<>();
        String name = line.value("--name");
        String module = line.value("--module");
        try {
            if (line.operands().isEmpty()) {
                throw new IllegalArgumentException("no CALL given (for example path_open path=/data/x)");
            }
            if (name == null && module == null) {
                throw new IllegalArgumentException("say which workload: --name NAME, --module FILE.wasm|sha256:HEX,"
                        + " or both");
            }
            call = line.operands().get(0);
            if (call.isEmpty() || call.startsWith(".") || call.endsWith(".")) {
                throw new IllegalArgumentException("CALL '" + call + "' must be a WASI function (path_open) or"
                        + " module.name");
            }
            call = call.contains(".") ? call : WASI + "." + call;
            for (String a : line.operands().subList(1, line.operands().size())) {
                int eq = a.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("argument '" + a + "' must be KEY=VALUE, for example"
                            + " path=/data/x");
                }
                callArgs.put(a.substring(0, eq), a.substring(eq + 1));
            }
            for (String label : line.values("--label")) {
                int eq = label.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--label '" + label + "' must be KEY=VALUE");
                }
                labels.put(label.substring(0, eq), label.substring(eq + 1));
            }
            if (line.value("--spiffe") != null) {
                labels.put("spiffe", line.value("--spiffe"));
            }
        } catch (IllegalArgumentException e) {
            throw new Stop(Outcome.USAGE, usageLine(e.getMessage(), "explain"));
        }
        String sha256 = module == null ? "0".repeat(64) : moduleDigest(module);
        if (name == null) {
            name = baseName(module) + "-" + ID_PLACEHOLDER;
        }
        PolicyService policies = services.get(PolicyService.class);
        GateContext who = new GateContext("-", name, sha256, labels);
        Explanation e;
        try {
            e = policies.explain(who, call, callArgs);
        } catch (IllegalArgumentException bad) {
            throw new Stop(Outcome.USAGE, usageLine(bad.getMessage(), "explain"));
        }
        if (line.flag("--json")) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("decision", e.decision().name().toLowerCase(Locale.ROOT));
            json.put("policy", e.policy());
            json.put("mode", e.mode().name().toLowerCase(Locale.ROOT));
            json.put("rule", e.rule());
            json.put("reason", e.reason());
            Map<String, Object> workload = new LinkedHashMap<>();
            workload.put("name", name);
            workload.put("module", "sha256:" + sha256);
            workload.put("labels", labels);
            json.put("workload", workload);
            json.put("call", call);
            json.put("args", callArgs);
            terminal.print(Json.write(json) + "\n");
            return 0;
        }
        terminal.print(e.decision().name().toLowerCase(Locale.ROOT) + " by policy " + e.policy() + ", rule " + e.rule()
                + " (" + e.mode().name().toLowerCase(Locale.ROOT) + "): " + e.reason() + "\n"
                + "  workload: name " + name + ", module sha256:" + sha256
                + (labels.isEmpty() ? "" : ", labels " + labels) + "\n");
        return 0;
    }

    /** The hex SHA-256 of {@code sha256:HEX}, or of the file's bytes. */
    private String moduleDigest(String module) {
        var m = SHA256.matcher(module);
        if (m.matches()) {
            return m.group(1).toLowerCase(Locale.ROOT);
        }
        if (module.startsWith("sha256:")) {
            throw new Stop(Outcome.USAGE, usageLine("--module '" + module + "' must be sha256: and 64 hex digits",
                    "explain"));
        }
        Path file = workDir.resolve(module);
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchFileException e) {
            throw new Stop(Outcome.FAILED, Outcome.PREFIX + file + ": no such file");
        } catch (IOException e) {
            LOG.debug("Cannot read {}", file, e);
            throw new Stop(Outcome.FAILED, Outcome.PREFIX + file + ": cannot read: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** The module file's name without {@code .wasm}, as 'forge run' names a container after it. */
    private static String baseName(String module) {
        if (SHA256.matcher(module).matches()) {
            return "module";
        }
        String file = Path.of(module).getFileName().toString();
        String base = file.endsWith(".wasm") ? file.substring(0, file.length() - 5) : file;
        base = base.replaceAll("[^A-Za-z0-9_.-]", "_");
        return base.isEmpty() ? "container" : base;
    }

    private static String mode(PolicyInfo p) {
        return p.mode().name().toLowerCase(Locale.ROOT);
    }

    private static Map<String, Object> policyJson(PolicyInfo p) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", p.name());
        json.put("file", p.file());
        json.put("mode", mode(p));
        json.put("appliesTo", p.selector());
        json.put("rules", p.rules());
        return json;
    }

    private static Map<String, Object> problemJson(PolicyProblem p) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("file", p.file());
        json.put("line", p.line());
        json.put("column", p.column());
        json.put("path", p.path());
        json.put("message", p.message());
        return json;
    }

    private int usage(String problem, String hint) {
        terminal.error(Outcome.PREFIX + problem + " (" + hint + ")");
        return Outcome.USAGE;
    }
}
