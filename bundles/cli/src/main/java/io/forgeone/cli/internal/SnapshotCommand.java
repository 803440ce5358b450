package io.forgeone.cli.internal;

import io.forgeone.api.observe.SnapshotException;
import io.forgeone.api.observe.SnapshotInfo;
import io.forgeone.api.observe.SnapshotService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code forge snapshot inspect|export|import}: snapshot files handled in the command's own framework, without a
 * node. Taking and restoring snapshots needs the node's containers: {@code forge:snapshot} and {@code forge:restore}
 * in its shell.
 */
final class SnapshotCommand {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotCommand.class);

    static final String USAGE = String.join("\n",
            "Usage: forge snapshot init [--export NAME] [--out FILE.fimg] FILE.wasm",
            "       forge snapshot inspect FILE",
            "       forge snapshot export FILE TARGET",
            "       forge snapshot import FILE",
            "",
            "Snapshot files (.fsnap) hold a container's module, configuration, memory, globals, open files and the",
            "history of its host calls; a node writes them with forge:snapshot CONTAINER (var/snapshots/ by default)",
            "and starts a container from one with forge:restore FILE (see docs/snapshots.md).",
            "",
            "These work on FILES on this machine. A node's containers and the snapshots in its snapshot folder, over",
            "its REST API: forge --node URL snapshot CONTAINER|ls|inspect NAME|rm NAME, forge --node URL restore NAME",
            "('forge --node URL snapshot --help').",
            "",
            "  init FILE.wasm        make a pre-initialised start image, as Wizer does: run the module's",
            "                        initialiser export (--export, default wizer.initialize) with every host call",
            "                        refused, and write the module with its memory and globals to --out (default",
            "                        FILE.fimg). 'forge run FILE.fimg' (or a package whose forge.json has",
            "                        \"run\": {\"snapshot\": \"FILE.fimg\"}) starts from it, skipping the initialiser",
            "  inspect FILE          check a file (checksums, signature) and show what it holds",
            "  export FILE TARGET    copy a checked, signed file for another node, with this node's public key",
            "                        next to it (TARGET.pub.pem: trust it there with forge trust add NAME KEY)",
            "  import FILE           take in a file from another node: it must be signed by a key in this node's",
            "                        trust store; copied into var/snapshots/",
            "  -h, --help            show this help",
            "",
            "Exit status: 0 done, 1 the file is damaged, unsigned, untrusted or cannot be written (the message",
            "names the file and the problem), 2 usage.");

    static final String DEFAULT_INIT_EXPORT = "wizer.initialize";

    private final io.forgeone.api.container.ContainerRuntime runtime;
    private final OptionalServices services;
    private final Terminal terminal;
    private final Path workDir;

    SnapshotCommand(io.forgeone.api.container.ContainerRuntime runtime, OptionalServices services, Terminal terminal,
            Path workDir) {
        this.runtime = runtime;
        this.services = services;
        this.terminal = terminal;
        this.workDir = workDir;
    }

    int execute(List<String> args) {
        if (args.isEmpty()) {
            terminal.error(Outcome.PREFIX + "no snapshot command given (see 'forge snapshot --help')");
            return Outcome.USAGE;
        }
        for (String arg : args) {
            String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (RemoteMain.CONNECTION_OPTIONS.contains(option)) {
                // the launcher runs 'forge snapshot ...' here unless a connection option comes first
                terminal.error(Outcome.PREFIX + option + " goes before the command for a node's snapshots: forge"
                        + " --node URL snapshot CONTAINER|ls|inspect NAME|rm NAME (without it, forge snapshot works on"
                        + " files; see 'forge snapshot --help')");
                return Outcome.USAGE;
            }
        }
        String sub = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (sub.equals("-h") || sub.equals("--help") || rest.contains("-h") || rest.contains("--help")) {
            terminal.print(USAGE + "\n");
            return 0;
        }
        if (sub.equals("init")) {
            return init(rest);
        }
        int wanted = switch (sub) {
            case "inspect", "import" -> 1;
            case "export" -> 2;
            default -> -1;
        };
        if (wanted < 0) {
            terminal.error(Outcome.PREFIX + "unknown snapshot command '" + sub + "': use init, inspect, export or import"
                    + " on files (a node's snapshots: forge --node URL snapshot CONTAINER|ls|inspect NAME|rm NAME, with --node"
                    + " before 'snapshot'; or forge:snapshot and forge:restore in the node's shell)");
            return Outcome.USAGE;
        }
        if (rest.size() != wanted || rest.stream().anyMatch(a -> a.startsWith("-"))) {
            terminal.error(Outcome.PREFIX + "forge snapshot " + sub + " takes " + (wanted == 1 ? "FILE" : "FILE TARGET")
                    + ", got " + rest + " (see 'forge snapshot --help')");
            return Outcome.USAGE;
        }
        Path file = workDir.resolve(rest.get(0));
        if (!Files.isRegularFile(file)) {
            terminal.error(Outcome.PREFIX + file + ": no such snapshot file");
            return Outcome.FAILED;
        }
        try {
            SnapshotService snapshots = services.get(SnapshotService.class);
            switch (sub) {
                case "inspect" -> terminal.print(describe(snapshots.inspect(file)));
                case "export" -> {
                    SnapshotInfo info = snapshots.export(file, workDir.resolve(rest.get(1)));
                    terminal.print("exported " + info.file() + " (signed by " + info.signer() + "); public key in "
                            + info.file() + ".pub.pem\n");
                }
                default -> {
                    SnapshotInfo info = snapshots.importFile(file);
                    terminal.print("imported " + info.file() + " (signed by " + info.signer() + ", container "
                            + info.containerName() + " at host call #" + info.hostCalls() + ")\n");
                }
            }
            return 0;
        } catch (SnapshotException | OptionalServices.Unavailable e) {
            LOG.debug("forge snapshot {} {} failed", sub, file, e);
            terminal.error(Outcome.PREFIX + Outcome.oneLine(e.getMessage()));
            return Outcome.FAILED;
        }
    }

    private int init(List<String> args) {
        String export = DEFAULT_INIT_EXPORT;
        String out = null;
        String module = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--export") || a.equals("--out")) {
                if (i + 1 >= args.size()) {
                    terminal.error(Outcome.PREFIX + a + " needs a value (see 'forge snapshot --help')");
                    return Outcome.USAGE;
                }
                if (a.equals("--export")) {
                    export = args.get(++i);
                } else {
                    out = args.get(++i);
                }
            } else if (a.startsWith("-") || module != null) {
                terminal.error(Outcome.PREFIX + (a.startsWith("-") ? "unknown option '" + a + "'"
                        : "one module at a time, got '" + module + "' and '" + a + "'") + " (see 'forge snapshot --help')");
                return Outcome.USAGE;
            } else {
                module = a;
            }
        }
        if (module == null) {
            terminal.error(Outcome.PREFIX + "no module given (see 'forge snapshot --help')");
            return Outcome.USAGE;
        }
        Path wasm = workDir.resolve(module);
        String base = wasm.getFileName().toString();
        base = base.endsWith(".wasm") ? base.substring(0, base.length() - 5) : base;
        Path target = out != null ? workDir.resolve(out) : wasm.resolveSibling(base + ".fimg");
        try {
            long start = System.nanoTime();
            io.forgeone.api.engine.InstanceImage image = runtime.preinitialise(wasm, export, target);
            terminal.print("start image of " + wasm.getFileName() + " after " + export + " written to " + target
                    + " (" + image.memory().length + " bytes of memory, " + image.globals().length + " globals, "
                    + (System.nanoTime() - start) / 1_000_000 + " ms)\n");
            return 0;
        } catch (io.forgeone.api.container.ContainerException e) {
            LOG.debug("forge snapshot init {} failed", wasm, e);
            terminal.error(Outcome.PREFIX + Outcome.oneLine(e.getMessage()));
            return Outcome.FAILED;
        }
    }

    static String describe(SnapshotInfo s) {
        return "file:        " + s.file() + " (" + s.fileBytes() + " bytes)\n"
                + "container:   " + s.containerName() + " (" + s.containerId() + ")\n"
                + "taken:       " + s.taken() + "\n"
                + "module:      sha256 " + s.moduleSha256() + " on " + s.engine() + "\n"
                + "argv:        " + String.join(" ", s.argv()) + "\n"
                + "host calls:  " + s.hostCalls() + " (re-executed on restore)\n"
                + "memory:      " + s.memoryBytes() + " bytes, " + s.globals() + " globals\n"
                + "descriptors: " + s.descriptors() + " open\n"
                + "signed by:   " + (s.signer().isEmpty() ? "(unsigned)" : s.signer()) + "\n";
    }
}
