package io.forgeone.launcher;

import java.io.PrintStream;

/** {@code forge node --help}, and the usage error for anything else after {@code node}: it takes no arguments. */
final class NodeHelp {
    static final String PAGE = "Usage: forge node\n"
            + "\n"
            + "Run a headless node: the container runtime, the policy gate and the REST control plane, with no shell\n"
            + "on the terminal, until SIGTERM or SIGINT (Ctrl-C). Then every container is stopped, the framework\n"
            + "stops and forge exits 0. One node per state folder (var/, or -Dforge.var=DIR in FORGE_OPTS).\n"
            + "\n"
            + "The API listens on http://127.0.0.1:8080/v1 unless etc/io.forgeone.rest.cfg says otherwise (host,\n"
            + "port, tls); without that file the node serves no API. Every route but /v1/health needs a bearer\n"
            + "token. On the first start (no etc/tokens yet) the node creates an admin token, writes it to\n"
            + "etc/admin.token (readable only by its owner) and prints where; read it, keep it, delete the file.\n"
            + "\n"
            + "Related commands (they work on etc/ whether or not the node runs):\n"
            + "  forge token create --role admin|operator|viewer [--name NAME]   a new token, shown once\n"
            + "  forge token list | forge token revoke ID\n"
            + "  forge cert ca | forge cert issue --client NAME | forge cert list   the node's CA, for mutual TLS\n"
            + "\n"
            + "Logs: var/log/forge.log. See docs/node.md.\n"
            + "\n"
            + "Exit status:\n"
            + "  0   stopped by SIGTERM or SIGINT, containers stopped\n"
            + "  1   could not start (another node on this state folder, a broken installation)\n"
            + "  2   the command line is wrong\n";

    private NodeHelp() {
    }

    /** Answers {@code forge node ARGS...} (at least one argument): help, or a usage error. */
    static int answer(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 2 && (args[1].equals("--help") || args[1].equals("-h"))) {
            out.print(PAGE);
            out.flush();
            return 0;
        }
        err.println("forge: error: node takes no arguments, got '" + args[1] + "' (see 'forge node --help')");
        err.flush();
        return 2;
    }
}
