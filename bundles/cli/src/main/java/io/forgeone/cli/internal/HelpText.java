package io.forgeone.cli.internal;

import io.forgeone.api.container.ContainerLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The help pages, after wasmtime's and docker's: usage, what it does, options with defaults, examples, exit codes. */
final class HelpText {
    static final String RUN_HINT = "see 'forge run --help'";
    static final String MAIN_HINT = "see 'forge --help'";
    /** Relative to this class; the bnd.bnd's Forge-Help header names the same entry for the launcher. */
    static final String MAIN_RESOURCE = "main-help.txt";

    private HelpText() {
    }

    /**
     * The main page. It is a resource of its own, named by this bundle's {@code Forge-Help} header, so that the
     * launcher can print it without starting the framework ({@code forge --help} in a few milliseconds).
     */
    static String main() {
        try (InputStream in = HelpText.class.getResourceAsStream(MAIN_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + MAIN_RESOURCE + " is missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + MAIN_RESOURCE, e);
        }
    }

    static String run(List<String> engines) {
        ContainerLimits d = ContainerLimits.DEFAULT;
        String installed = engines.isEmpty() ? "" : "; installed: " + String.join(", ", engines);
        return "Usage: forge run [OPTIONS] FILE.wasm [ARGS...]\n"
                + "\n"
                + "Run a WebAssembly command module (WASI preview 1, exporting _start) in a new container, wait\n"
                + "for it, remove it, and exit with its exit code. The guest gets nothing it is not given: not the\n"
                + "host's environment, files or network; only the directories and variables named below.\n"
                + "Standard input, output and error are the guest's.\n"
                + "\n"
                + "Arguments:\n"
                + "  FILE.wasm     The module to run\n"
                + "  ARGS...       Arguments for the guest, passed verbatim, even ones that start with '-'\n"
                + "                (the guest's argv[0] is FILE's name)\n"
                + "\n"
                + "Options (they come before FILE.wasm; --option=VALUE works too; -- ends them):\n"
                + "  --dir HOST[::GUEST]   Let the guest reach host directory HOST, named GUEST inside\n"
                + "                        [default GUEST: HOST]; repeatable\n"
                + "  --env NAME=VALUE      Set a variable in the guest's environment; '--env NAME' passes the\n"
                + "                        host's value of NAME; repeatable [default: empty environment]\n"
                + "  --engine NAME         WebAssembly engine [default: the node's default" + installed + "]\n"
                + "  --timeout DURATION    Wall-clock limit: 500ms, 10s, 2m, 1h, or 0 for none\n"
                + "                        [default: " + Outcome.formatDuration(d.wallTimeout()) + "]\n"
                + "  --max-memory SIZE     Most linear memory: 64MiB, 1GiB, or pages as 4096p\n"
                + "                        [default: " + Outcome.formatPages(d.maxMemoryPages()) + "]\n"
                + "  --name NAME           Container name, as the log shows it [default: FILE's name and an id]\n"
                + "  -h, --help            Print this help\n"
                + "\n"
                + "Examples:\n"
                + "  forge run examples/hello.wasm\n"
                + "  forge run --dir .::/work --env LANG=C.UTF-8 app.wasm --verbose /work/input.txt\n"
                + "  forge run --timeout 2s --max-memory 64MiB examples/loop.wasm\n"
                + "  echo hello | forge run examples/cat.wasm\n"
                + "\n"
                + "Exit status:\n"
                + "  0-255   The guest's exit code: 0 when _start returns, else the code it gave proc_exit\n"
                + "  1       forge could not run it: no such file, not WebAssembly, no _start, bad --dir,\n"
                + "          unknown engine, or the host failed\n"
                + "  2       The command line is wrong\n"
                + "  124     The guest ran past --timeout\n"
                + "  130     forge was interrupted (Ctrl-C)\n"
                + "  134     The guest trapped (unreachable, out-of-bounds access, stack overflow, ...)\n"
                + "  137     The container was killed\n";
    }
}
