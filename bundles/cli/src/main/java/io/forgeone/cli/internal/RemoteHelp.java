package io.forgeone.cli.internal;

import io.forgeone.api.container.ContainerLimits;
import java.util.Set;

/** The help pages of the remote commands ({@code forge help ps}, {@code forge ps --help}). */
final class RemoteHelp {
    static final String HINT = "see 'forge help remote'";
    /**
     * Remote commands whose name is also a local command working on files ({@code forge snapshot inspect FILE},
     * {@code forge trace FILE}) or that only the remote client knows: {@code forge help NAME} without a node shows
     * the local page, so their hints say {@code forge --node URL NAME --help}.
     */
    static final Set<String> LOCAL_TWINS = Set.of("snapshot", "restore", "trace");

    static final String CONNECTION = "Connection (before the command, or among its options; docs/remote.md):\n"
            + "  --node URL            The node's REST API, http://HOST:PORT or https://HOST:PORT [env FORGE_NODE]\n"
            + "  --token-file FILE     File holding the bearer token [or the token itself in env FORGE_TOKEN]\n"
            + "  --cacert FILE         PEM CA certificate to trust for https (the node's etc/tls/ca.pem)\n"
            + "                        [default: the JDK's trusted authorities]\n"
            + "  --cert FILE           PEM client certificate for mutual TLS (with --key)\n"
            + "  --key FILE            Its private key, unencrypted PKCS#8 PEM\n";

    static final String EXIT = "Exit status:\n"
            + "  0   Done\n"
            + "  1   The node refused (its error code and message on one line of stderr), or cannot be reached\n"
            + "  2   The command line is wrong\n";

    private RemoteHelp() {
    }

    /** The page for one remote command, or the overview for {@code remote}; {@code null} for anything else. */
    static String page(String command) {
        return switch (command) {
            case "remote" -> "Usage: forge --node URL COMMAND [ARGS...]    (or FORGE_NODE=URL forge COMMAND ...)\n"
                    + "\n"
                    + "Drive a running node over its REST API, without starting a framework here. The token comes\n"
                    + "from --token-file FILE or FORGE_TOKEN, never from the command line.\n"
                    + "\n"
                    + "Commands:\n"
                    + "  ps [-a] [--json]              List containers (running ones; -a for all)\n"
                    + "  run [OPTIONS] FILE [ARGS...]  Upload a .wasm or .forgepkg and run it (attached, or -d)\n"
                    + "  logs [-f] ID                  Print (or follow) a container's output\n"
                    + "  stop ID...                    Kill containers and wait until they have stopped\n"
                    + "  kill ID                       Kill a container and return at once\n"
                    + "  rm [-f] ID...                 Remove stopped containers (-f: running ones too)\n"
                    + "  inspect ID                    Everything the node knows about a container, as JSON\n"
                    + "  stats [ID] [--json]           Uptime, host calls, output of running containers (or one)\n"
                    + "  snapshot ID                   Snapshot a container into the node's snapshot folder\n"
                    + "  snapshot ls|inspect NAME|rm NAME...|pull NAME|push FILE   The node's snapshots\n"
                    + "  restore NAME [--name N] [-d]  A new container from a snapshot on the node (attached, or -d)\n"
                    + "  trace [ID] [OPTIONS]          A container's recorded host calls (no ID: the recorded runs)\n"
                    + "\n"
                    + "snapshot and trace name containers and snapshots ON THE NODE: they need --node (or another\n"
                    + "connection option) before the command, or FORGE_NODE set and no file named. 'forge snapshot\n"
                    + "init|export|import', 'forge snapshot inspect FILE' and 'forge trace FILE' of files that exist\n"
                    + "here work on this machine ('forge snapshot --help').\n"
                    + "\n" + CONNECTION + "\n" + EXIT;
            case "ps" -> "Usage: forge --node URL ps [-a] [--json]\n"
                    + "\n"
                    + "List the node's running, paused and quarantined containers, as forge:ps does in its shell\n"
                    + "(the MODULE column shows the file's name only: the node never tells its host paths).\n"
                    + "\n"
                    + "Options:\n"
                    + "  -a, --all   Show created and stopped containers too\n"
                    + "  --json      One JSON array of the node's container objects, for scripts\n"
                    + "\n" + CONNECTION + "\n" + EXIT;
            case "run" -> runPage();
            case "logs" -> "Usage: forge --node URL logs [-f] ID\n"
                    + "\n"
                    + "Print the output the node keeps of a container (the tail of stdout and stderr, each to this\n"
                    + "command's own), or with -f follow it as it is written until the container stops.\n"
                    + "\n"
                    + "Options:\n"
                    + "  -f, --follow   Keep printing new output until the container stops\n"
                    + "\n" + CONNECTION + "\n" + EXIT;
            case "stop" -> "Usage: forge --node URL stop ID...\n"
                    + "\n"
                    + "Kill each container and wait (up to 10 s) until it has stopped; print its status. A container\n"
                    + "that cannot be stopped is reported and the others are still stopped (exit 1).\n"
                    + "\n" + CONNECTION + "\n" + EXIT;
            case "kill" -> "Usage: forge --node URL kill ID\n"
                    + "\n"
                    + "Kill a running container and return at once, printing its status.\n"
                    + "\n" + CONNECTION + "\n" + EXIT;
            case "rm" -> "Usage: forge --node URL rm [-f] ID...\n"
                    + "\n"
                    + "Remove created or stopped containers from the node; print each one's name.\n"
                    + "\n"
                    + "Options:\n"
                    + "  -f, --force   Kill running containers first\n"
                    + "\n" + CONNECTION + "\n" + EXIT;
            case "inspect" -> "Usage: forge --node URL inspect ID\n"
                    + "\n"
                    + "Print everything the node knows about a container (state, module, limits, times, exit,\n"
                    + "host calls) as the node's JSON, indented.\n"
                    + "\n" + CONNECTION + "\n" + EXIT;
            case "stats" -> "Usage: forge --node URL stats [ID] [--json]\n"
                    + "\n"
                    + "Uptime, host calls the gate allowed and denied, and bytes written to stdout and stderr, of\n"
                    + "every running container, or of one container in any state. The byte counts include output\n"
                    + "the node has dropped from its kept tail.\n"
                    + "\n"
                    + "Options:\n"
                    + "  --json   One JSON array of the node's stats objects (with each container's name)\n"
                    + "\n" + CONNECTION + "\n" + EXIT;
            case "snapshot" -> "Usage: forge --node URL snapshot CONTAINER [--json]\n"
                    + "       forge --node URL snapshot ls [--json]\n"
                    + "       forge --node URL snapshot inspect NAME [--json]\n"
                    + "       forge --node URL snapshot rm NAME...\n"
                    + "       forge --node URL snapshot pull NAME [FILE]\n"
                    + "       forge --node URL snapshot push FILE [NAME] [--json]\n"
                    + "\n"
                    + "Snapshots on the node, as forge:snapshot takes them in its shell (docs/snapshots.md).\n"
                    + "  CONTAINER     Snapshot a container (id or name) into the node's snapshot folder, as\n"
                    + "                NAME-CALLS.fsnap: a paused or quarantined one where it is held, a running one\n"
                    + "                paused at its next host call and resumed (refused if it makes none in 10 s).\n"
                    + "                Prints the snapshot's name, the host call it was taken at and its size.\n"
                    + "  ls            The node's snapshots (damaged or untrusted files too, with why)\n"
                    + "  inspect NAME  What one holds, as forge:snapshot inspect prints it\n"
                    + "  rm NAME...    Delete snapshots from the node; prints each name\n"
                    + "  pull NAME [FILE]  Copy a snapshot file from the node to FILE here (default: NAME; never over\n"
                    + "                an existing file)\n"
                    + "  push FILE [NAME]  Copy a snapshot file (pulled from another node) into this node's folder as\n"
                    + "                NAME (default: the file's name); the node takes it only if signed by a key it\n"
                    + "                trusts: trust the first node's var/keys/snapshot-node.pub.pem with forge trust add\n"
                    + "NAME is a snapshot's file name on the node ('.fsnap' may be left off); a container named ls,\n"
                    + "inspect or rm is snapshotted with 'snapshot -- NAME'. 'forge --node URL restore NAME' starts\n"
                    + "a container from one.\n"
                    + "\n"
                    + "This is not 'forge snapshot' without --node, whose init, inspect, export and import work on\n"
                    + "snapshot FILES on this machine ('forge snapshot --help'). Between nodes: pull from one, push\n"
                    + "to the other.\n"
                    + "\n"
                    + "Options:\n"
                    + "  --json   The node's JSON object (ls: {\"snapshots\": [...], \"damaged\": [...]})\n"
                    + "\n"
                    + "Roles: viewer for ls and inspect, operator to snapshot, rm, pull and push.\n"
                    + "\n" + CONNECTION + "\n" + EXIT;
            case "restore" -> "Usage: forge --node URL restore NAME [--name NEW] [-d]\n"
                    + "\n"
                    + "Start a new container on the node from its snapshot NAME (a file name from 'snapshot ls';\n"
                    + "'.fsnap' may be left off). The node re-executes the recorded host calls without touching the\n"
                    + "host, proves the state equals the snapshot's, and lets it run on. Attached (the default), its\n"
                    + "output from there on comes here as it is written and forge exits with its exit code, as\n"
                    + "'forge --node URL run' does; the container stays on the node (logs, inspect, rm). A snapshot\n"
                    + "can be restored any number of times, each time into a new container.\n"
                    + "\n"
                    + "Options:\n"
                    + "  --name NEW     The new container's name [default: the node picks one]\n"
                    + "  -d, --detach   Print the new container's id once its state is proved, and return\n"
                    + "\n"
                    + "Restoring takes about as long as the original took to reach the snapshot, less its I/O; forge\n"
                    + "waits up to " + NodeClient.LONG_CALL_TIMEOUT.toMinutes() + " minutes for the node (its own limit is"
                    + " the observer's restore_timeout_s).\n"
                    + "\n" + CONNECTION + "\n"
                    + "Exit status:\n"
                    + "  0-255   The container's exit code (attached); 0 once a detached one has started\n"
                    + "  1       The node refused (a damaged or untrusted snapshot, a state that does not re-execute,\n"
                    + "          a name taken: its error code and message on stderr), or cannot be reached\n"
                    + "  2       The command line is wrong\n"
                    + "  124, 134, 137, 152   Timed out, trapped, killed, over its CPU limit (as local forge run)\n";
            case "trace" -> "Usage: forge --node URL trace CONTAINER [--since N] [--limit N] [--filter call=NAME]\n"
                    + "                                      [--summary] [--follow | --json]\n"
                    + "       forge --node URL trace [--json]        (the runs the node's observer knows)\n"
                    + "\n"
                    + "The host calls the node recorded for a container's latest run, as forge:trace prints them in\n"
                    + "its shell: one call a line (number, time, call and decoded arguments, result, decision, bytes\n"
                    + "returned to the guest), then '-- end: OUTCOME (exit N)' once the run has ended.\n"
                    + "\n"
                    + "Options:\n"
                    + "  --since N            Start at call number N [default: 0]\n"
                    + "  --limit N            Show at most N calls [default: all]\n"
                    + "  --filter call=NAME   Only calls of this host function, e.g. call=path_open\n"
                    + "  --summary            One sentence per notable call (files opened, created, deleted,\n"
                    + "                       denials, failures, exits) instead of every call\n"
                    + "  --follow             Keep printing calls as they are made until the run ends\n"
                    + "  --json               The node's trace object (records or summary) with every call asked for\n"
                    + "\n"
                    + "This is not 'forge trace FILE' without --node, which reads trace files on this machine.\n"
                    + "\n" + CONNECTION + "\n" + EXIT;
            default -> null;
        };
    }

    private static String runPage() {
        ContainerLimits d = ContainerLimits.DEFAULT;
        return "Usage: forge --node URL run [OPTIONS] FILE.wasm|FILE.forgepkg [ARGS...]\n"
                + "\n"
                + "Upload a module or a signed package to the node and run it there. Attached (the default), the\n"
                + "container's stdout and stderr come here as it writes them and forge exits with its exit code,\n"
                + "as local 'forge run' does; the container stays on the node (forge logs, inspect, rm) unless\n"
                + "--rm is given. With -d it prints the container's id and returns at once. A package is verified\n"
                + "by the node against its own trust store; a bare .wasm needs a node with allow.modules. Standard\n"
                + "input is not passed, and no host directory can be granted (--dir is refused).\n"
                + "A progress line shows on stderr while the file uploads and the node verifies it (on a\n"
                + "terminal, or once an upload takes more than a second).\n"
                + "\n"
                + "Options (before FILE; everything after it goes to the guest):\n"
                + "  --env NAME=VALUE      Set a variable in the guest's environment; '--env NAME' passes this\n"
                + "                        shell's value of NAME; repeatable [default: empty environment]\n"
                + "  --engine NAME         WebAssembly engine [default: the node's default]\n"
                + "  --timeout DURATION    Wall-clock limit: 500ms, 10s, 2m, 1h, or 0 for none\n"
                + "                        [default: " + Outcome.formatDuration(d.wallTimeout()) + "]\n"
                + "  --max-memory SIZE     Most linear memory: 64MiB, 1GiB, or pages as 4096p\n"
                + "                        [default: " + Outcome.formatPages(d.maxMemoryPages()) + "]\n"
                + "  --name NAME           Container name [default: FILE's name and an id]\n"
                + "  -d, --detach          Print the container's id and return; it keeps running on the node\n"
                + "  --rm                  Remove the container from the node once it has stopped\n"
                + "  -h, --help            Print this help\n"
                + "\n" + CONNECTION + "\n"
                + "Exit status:\n"
                + "  0-255   The guest's exit code (attached); 0 once a detached container has started\n"
                + "  1       The node refused (error code and message on stderr), cannot be reached, or FILE\n"
                + "          cannot be read\n"
                + "  2       The command line is wrong\n"
                + "  124, 134, 137, 152   Timed out, trapped, killed, over its CPU limit (as local forge run)\n"
                + "\n"
                + "Examples:\n"
                + "  export FORGE_NODE=http://127.0.0.1:8080 FORGE_TOKEN=$(cat operator.token)\n"
                + "  forge run --env GREETING=hi hello.wasm one two\n"
                + "  id=$(forge run -d --name web app-1.0.0.forgepkg) && forge logs -f $id\n";
    }
}
