package io.forgeone.cli.internal;

import io.forgeone.api.container.ContainerLimits;
import io.forgeone.api.pkg.PackageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The help pages, after wasmtime's and docker's: usage, what it does, options with defaults, examples, exit codes. */
final class HelpText {
    static final String RUN_HINT = "see 'forge run --help'";
    static final String MAIN_HINT = "see 'forge --help'";
    static final String PKG_HINT = "see 'forge help pkg'";
    static final String TRUST_HINT = "see 'forge help trust'";
    static final String POLICY_HINT = "see 'forge help policy'";
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
                + "  --engine NAME         WebAssembly engine, or auto (the node's default if installed,\n"
                + "                        else chicory, else wasmtime) [default: the node's default"
                + installed + "]\n"
                + "  --timeout DURATION    Wall-clock limit: 500ms, 10s, 2m, 1h, or 0 for none\n"
                + "                        [default: " + Outcome.formatDuration(d.wallTimeout()) + "]\n"
                + "  --max-memory SIZE     Most linear memory: 64MiB, 1GiB, or pages as 4096p\n"
                + "                        [default: " + Outcome.formatPages(d.maxMemoryPages()) + "]\n"
                + "  --name NAME           Container name, as the log shows it [default: FILE's name and an id]\n"
                + "  --trace               Write every host call of the run to a trace folder (var/traces/ID/),\n"
                + "                        named on stderr when the run ends; read it with forge trace, re-run\n"
                + "                        it with forge replay\n"
                + "  -h, --help            Print this help\n"
                + "\n"
                + "Examples:\n"
                + "  forge run examples/hello.wasm\n"
                + "  forge run --dir .::/work --env LANG=C.UTF-8 app.wasm --verbose /work/input.txt\n"
                + "  forge run --timeout 2s --max-memory 64MiB examples/loop.wasm\n"
                + "  echo hello | forge run examples/cat.wasm\n"
                + "\n"
                + "On a node: with --node URL before 'run' (or FORGE_NODE set) the file is uploaded to that node\n"
                + "and runs there ('forge help remote', 'forge --node URL run --help').\n"
                + "\n"
                + "Exit status:\n"
                + "  0-255   The guest's exit code: 0 when _start returns, else the code it gave proc_exit\n"
                + "  1       forge could not run it: no such file, not WebAssembly, no _start, bad --dir,\n"
                + "          unknown engine, or the host failed\n"
                + "  2       The command line is wrong\n"
                + "  124     The guest ran past --timeout\n"
                + "  130     forge was interrupted (Ctrl-C)\n"
                + "  134     The guest trapped (unreachable, out-of-bounds access, stack overflow, ...)\n"
                + "  137     The container was killed\n"
                + "  143     Its engine or a capability provider it imports was removed while it ran\n"
                + "  10-20   FILE is a .forgepkg package that was refused (one code per reason, below)\n"
                + "\n"
                + packageExitCodes();
    }

    /** The table of exit codes for a refused package, shared by every page that can end with one. */
    static String packageExitCodes() {
        StringBuilder out = new StringBuilder("Exit status of a refused package (one line on stderr names the entry, key or"
                + " check):\n");
        for (PackageException.Reason reason : PackageException.Reason.values()) {
            out.append(String.format("  %-5d %-15s %s%n", Outcome.exitCode(reason), Outcome.label(reason),
                    REASONS.get(reason)));
        }
        return out.toString();
    }

    private static final Map<PackageException.Reason, String> REASONS = reasons();

    private static Map<PackageException.Reason, String> reasons() {
        Map<PackageException.Reason, String> m = new EnumMap<>(PackageException.Reason.class);
        m.put(PackageException.Reason.MALFORMED, "Not a well-formed package: broken zip, bad entry name, bad manifest");
        m.put(PackageException.Reason.TOO_LARGE, "Over a size or count limit");
        m.put(PackageException.Reason.TAMPERED, "Content does not match the manifest, or a signature is wrong");
        m.put(PackageException.Reason.UNSIGNED, "No signature at all");
        m.put(PackageException.Reason.UNTRUSTED_KEY, "No signature by a key trusted for the publisher");
        m.put(PackageException.Reason.REVOKED_KEY, "Signed by a revoked key");
        m.put(PackageException.Reason.EXPIRED, "Past the manifest's expiry time");
        m.put(PackageException.Reason.NOT_YET_VALID, "Created in the future (beyond the clock skew)");
        m.put(PackageException.Reason.HYBRID_MISSING, "The hybrid rule wants a classical and a post-quantum signature");
        m.put(PackageException.Reason.TRUST_STORE, "The trust store cannot be read or changed");
        m.put(PackageException.Reason.IO, "A file cannot be read or written");
        return m;
    }

    static String pkg() {
        return "Usage: forge pkg COMMAND [ARGS...]\n"
                + "\n"
                + "Build, sign, verify and inspect signed packages (.forgepkg): a zip of a manifest (forge.json),\n"
                + "the modules and assets it pins by SHA-256, and detached signatures over the manifest.\n"
                + "\n"
                + "Commands:\n"
                + "  keygen --alg ALG --out KEY.pem [--name NAME] [--force]   Make a signing key pair\n"
                + "  build FOLDER [--out APP.forgepkg]                        Build an unsigned package\n"
                + "  sign APP.forgepkg --key KEY.pem [--key KEY.pem]...       Sign it (several keys: repeat --key)\n"
                + "  verify APP.forgepkg                                      Check it as the node would\n"
                + "  inspect APP.forgepkg                                     Show manifest, entries, signatures\n"
                + "\n"
                + "Every command takes --json (one JSON object on stdout, for scripts) and -h/--help.\n"
                + "'forge pkg COMMAND --help' (or 'forge help pkg COMMAND') shows a command's page.\n"
                + "\n"
                + "Examples:\n"
                + "  forge pkg keygen --alg ed25519 --out acme.pem --name acme\n"
                + "  forge pkg keygen --alg ml-dsa-65 --out acme-pq.pem --name acme\n"
                + "  forge pkg build hello/ && forge pkg sign hello-1.0.0.forgepkg --key acme.pem --key acme-pq.pem\n"
                + "  forge trust add --name acme acme.pub.pem && forge pkg verify hello-1.0.0.forgepkg\n"
                + "  forge run hello-1.0.0.forgepkg\n"
                + "\n"
                + "Exit status:\n"
                + "  0       Done (verify: the package is verified)\n"
                + "  1       forge could not do it: no such service, bad key file, unknown algorithm\n"
                + "  2       The command line is wrong\n"
                + "\n"
                + packageExitCodes();
    }

    static String keygen(List<String> schemes) {
        String installed = schemes.isEmpty() ? "" : "\n                    installed: " + String.join(", ", schemes);
        return "Usage: forge pkg keygen --alg ALG --out KEY.pem [--name NAME] [--force] [--json]\n"
                + "\n"
                + "Make a key pair for signing packages. The private key is written as unencrypted PKCS#8 PEM to\n"
                + "KEY.pem, readable by its owner only (rw-------); keep it off the nodes. The public key goes\n"
                + "beside it as KEY.pub.pem (SubjectPublicKeyInfo PEM, as 'openssl pkey -pubout' writes it).\n"
                + "Prints the key id (SHA-256 of the public key) to list under publisher.keys in forge.json.\n"
                + "\n"
                + "Options:\n"
                + "  --alg ALG         ed25519, ecdsa-p256, ml-dsa-65 or slh-dsa-sha2-128s" + installed + "\n"
                + "                    (ml-dsa-65 and slh-dsa-sha2-128s are post-quantum)\n"
                + "  --out KEY.pem     The private key file; the public key is KEY.pub.pem\n"
                + "  --name NAME       The publisher the key is for, as shown [default: KEY's name]\n"
                + "  --force           Replace KEY.pem and KEY.pub.pem if they exist [default: refuse]\n"
                + "  --json            Print the result as JSON\n"
                + "  -h, --help        Print this help\n"
                + "\n"
                + "Exit status: 0 done, 1 cannot write the files or no such algorithm installed, 2 usage.\n";
    }

    static String build() {
        return "Usage: forge pkg build FOLDER [--out APP.forgepkg] [--json]\n"
                + "\n"
                + "Build an unsigned package from FOLDER, which holds forge.json and the files it ships. Every\n"
                + "regular file under FOLDER becomes an entry pinned by SHA-256 and size; symbolic links are\n"
                + "refused. In forge.json, 'created' defaults to now, 'expires' to the builder's validity after it\n"
                + "and 'limits' to the runtime's defaults; 'entries' is computed.\n"
                + "\n"
                + "Options:\n"
                + "  --out APP.forgepkg   Where to write it [default: NAME-VERSION.forgepkg in the current folder]\n"
                + "  --json               Print the manifest as JSON\n"
                + "  -h, --help           Print this help\n"
                + "\n"
                + "Exit status: 0 built, 2 usage, 10 bad forge.json or file name (named with line and column),\n"
                + "11 over a limit, 20 cannot read or write a file.\n";
    }

    static String sign() {
        return "Usage: forge pkg sign APP.forgepkg --key KEY.pem [--key KEY.pem]... [--json]\n"
                + "\n"
                + "Add a signature over the package's manifest by each key, replacing an earlier signature by the\n"
                + "same key; signatures by other keys are kept. Each key must be listed under publisher.keys in\n"
                + "forge.json. Sign with a classical and a post-quantum key when nodes require hybrid signatures.\n"
                + "\n"
                + "Options:\n"
                + "  --key KEY.pem   A private key file (PKCS#8 PEM, from 'forge pkg keygen' or openssl); repeatable\n"
                + "  --json          Print the package's signatures as JSON\n"
                + "  -h, --help      Print this help\n"
                + "\n"
                + "Exit status: 0 signed, 1 the key cannot be read, 2 usage, 10 not a well-formed package,\n"
                + "14 the manifest does not list the key, 20 cannot read or write a file.\n";
    }

    static String verify() {
        return "Usage: forge pkg verify APP.forgepkg [--json]\n"
                + "\n"
                + "Check a package as this node would before running it: its structure, limits, manifest and\n"
                + "pinned entries, then its signatures against the node's trust store (etc/trust), revocations,\n"
                + "validity period and the hybrid rule, in the node's verification mode. Prints every check\n"
                + "(passed, failed or skipped, and why) and the verdict. Nothing is written.\n"
                + "\n"
                + "Options:\n"
                + "  --json       Print the report as JSON\n"
                + "  -h, --help   Print this help\n"
                + "\n"
                + "Exit status:\n"
                + "  0       Verified: every check passed\n"
                + "  1       Accepted without checking authenticity (verification mode off)\n"
                + "  2       The command line is wrong\n"
                + "  10-20   Refused, or accepted only in audit mode: the first failed check's reason\n"
                + "\n"
                + packageExitCodes();
    }

    static String inspect() {
        return "Usage: forge pkg inspect APP.forgepkg [--json]\n"
                + "\n"
                + "Show a package's manifest, its entries with their SHA-256 and size, and its signatures with\n"
                + "the ids of the keys that made them. The safety checks run first; no trust decision is made\n"
                + "('forge pkg verify' makes it).\n"
                + "\n"
                + "Options:\n"
                + "  --json       Print it as JSON\n"
                + "  -h, --help   Print this help\n"
                + "\n"
                + "Exit status: 0 shown, 2 usage, 10 not a well-formed package, 11 over a limit, 20 unreadable.\n";
    }

    static String trust() {
        return "Usage: forge trust COMMAND [ARGS...]\n"
                + "\n"
                + "The publisher keys this node trusts, kept in its trust store (etc/trust: NAME.pem per publisher,\n"
                + "revoked.txt for revoked key ids). A package runs only when signed by a key trusted for its\n"
                + "publisher and not revoked. Changes are seen by a running node at its next package.\n"
                + "\n"
                + "Commands:\n"
                + "  add --name PUBLISHER KEY.pub.pem   Trust a public key for a publisher\n"
                + "  list                               List trusted keys and revocations\n"
                + "  revoke KEYID [--reason TEXT]       Revoke a key id (it need not be in the store)\n"
                + "\n"
                + "Every command takes --json and -h/--help.\n"
                + "\n"
                + "Examples:\n"
                + "  forge trust add --name acme acme.pub.pem\n"
                + "  forge trust list\n"
                + "  forge trust revoke 5c1d...e9 --reason \"laptop stolen 2026-02-01\"\n"
                + "\n"
                + "Exit status: 0 done, 1 no trust store service, 2 usage, 10 not a public key PEM,\n"
                + "19 the trust store cannot be read or changed (or the key is trusted for another publisher),\n"
                + "20 KEY.pub.pem cannot be read.\n";
    }

    static String trustAdd() {
        return "Usage: forge trust add --name PUBLISHER KEY.pub.pem [--json]\n"
                + "\n"
                + "Trust the public key(s) in KEY.pub.pem for packages of publisher PUBLISHER (the manifest's\n"
                + "publisher.name). Adding a key that is already trusted changes nothing.\n"
                + "\n"
                + "Options:\n"
                + "  --name PUBLISHER   The publisher: 1..128 of A-Z a-z 0-9 . _ - starting with a letter or digit\n"
                + "  --json             Print the key as JSON\n"
                + "  -h, --help         Print this help\n"
                + "\n"
                + "Exit status: 0 trusted, 2 usage, 10 no supported public key in the file, 19 trust store\n"
                + "error or the key is trusted for another publisher, 20 the file cannot be read.\n";
    }

    static String trustList() {
        return "Usage: forge trust list [--json]\n"
                + "\n"
                + "List the trusted keys (publisher, algorithm, key id, whether revoked) and the revoked key ids.\n"
                + "\n"
                + "Exit status: 0 listed, 2 usage, 19 the trust store cannot be read.\n";
    }

    static String trustRevoke() {
        return "Usage: forge trust revoke KEYID [--reason TEXT] [--json]\n"
                + "\n"
                + "Revoke a key id (64 lowercase hex digits, as 'forge trust list' and 'forge pkg inspect' show\n"
                + "them): packages signed by it are refused from now on, even ones already in the node's store.\n"
                + "Revoking a key that is already revoked changes nothing.\n"
                + "\n"
                + "Options:\n"
                + "  --reason TEXT   Why, for people (one line) [default: none]\n"
                + "  --json          Print the revocation as JSON\n"
                + "  -h, --help      Print this help\n"
                + "\n"
                + "Exit status: 0 revoked, 2 usage, 19 the trust store cannot be changed.\n";
    }

    static String audit() {
        return "Usage: forge audit [OPTIONS]\n"
                + "\n"
                + "Show the node's decision log: every host call a policy denied (and allowed calls, where a policy\n"
                + "logs them), oldest first, read from var/log/decisions.log and its rotated files (decisions.log.1\n"
                + "is newer than .2). A line that is not a record is named on stderr (FILE:LINE) and skipped.\n"
                + "\n"
                + "Options (all filters must hold):\n"
                + "  --container ID|NAME   Containers whose id or name starts with this (web matches web-1, web-10)\n"
                + "  --decision D[,D...]   deny, audit-deny, permissive-deny, allow, release; repeatable\n"
                + "  --call NAME           A function: path_open, or module.name (kv.get)\n"
                + "  --policy P            The policy that decided\n"
                + "  --rule R              The rule that decided: fs[1], or a family: fs, limits, default-deny\n"
                + "  --since WHEN          From then on: 30s, 10m, 2h, 1d ago; 2026-11-22T07:00:00Z (or with an\n"
                + "                        offset, +01:00); 2026-11-22 (midnight UTC)\n"
                + "  --until WHEN          Up to (not including) then; same forms as --since\n"
                + "  -n, --tail N          Only the last N matching records [default: all; 10 with -f; 0 = all]\n"
                + "  -f, --follow          Then print new records as they are written, until Ctrl-C\n"
                + "  --json                Print the log's own lines (one JSON object each), for jq and scripts\n"
                + "  -h, --help            Print this help\n"
                + "\n"
                + "Times are UTC, as the log keeps them. Fields of a record: time, container, name, identity, call,\n"
                + "args, decision, policy, rule, reason (and quarantine, trustScore where a denial quarantined).\n"
                + "\n"
                + "Examples:\n"
                + "  forge audit --decision deny --since 1h\n"
                + "  forge audit --container web-1 --call path_open -n 20\n"
                + "  forge audit -f --decision deny,audit-deny\n"
                + "  forge audit --json --since 2026-11-22 | jq -r .args.guestPath\n"
                + "\n"
                + "Exit status: 0 shown (also when nothing matched), 1 the log cannot be read or the trust bundle\n"
                + "is missing, 2 usage, 130 interrupted while following.\n";
    }

    static String policy() {
        return "Usage: forge policy COMMAND [ARGS...]\n"
                + "\n"
                + "The node's policies: files in etc/policies (*.yaml, *.yml, *.json) that grant capabilities to the\n"
                + "workloads they match; whatever no policy grants is denied. A running node rereads them every\n"
                + "second. These commands read the files as the node does.\n"
                + "\n"
                + "Commands:\n"
                + "  list                          The policies in force, and the files that are not (with why)\n"
                + "  show NAME                     One policy, rule by rule\n"
                + "  check FILE...                 Validate policy files without installing them\n"
                + "  explain --name NAME|--module FILE.wasm CALL [KEY=VALUE...]\n"
                + "                                How a call by a workload would be decided, and by which rule\n"
                + "\n"
                + "Every command takes --json and -h/--help. 'forge help policy COMMAND' shows a command's page.\n"
                + "\n"
                + "Examples:\n"
                + "  forge policy list\n"
                + "  forge policy check ./web.yaml && cp web.yaml /opt/forgeone/etc/policies/\n"
                + "  forge policy explain --module app.wasm path_open path=/data/x oflags=1\n"
                + "\n"
                + "Exit status: 0 done, 1 a file is not valid (check), no such policy (show), the trust bundle is\n"
                + "missing, 2 usage.\n";
    }

    static String policyList() {
        return "Usage: forge policy list [--json]\n"
                + "\n"
                + "List the policies in force (name, mode, which workloads they apply to, file). Files that are\n"
                + "not in force (invalid, or a name already taken) are named on stderr with file, line and why;\n"
                + "a file that became invalid keeps its last good version in force on a running node.\n"
                + "\n"
                + "Exit status: 0 listed, 1 the trust bundle is missing, 2 usage.\n";
    }

    static String policyShow() {
        return "Usage: forge policy show NAME [--json]\n"
                + "\n"
                + "Show one policy: its file, mode, selector and every rule, each starting with the rule id the\n"
                + "decision log names (fs[0], stdout, default-deny, ...).\n"
                + "\n"
                + "Exit status: 0 shown, 1 no policy of that name is in force, 2 usage.\n";
    }

    static String policyCheck() {
        return "Usage: forge policy check FILE... [--json]\n"
                + "\n"
                + "Validate policy files without installing them: each valid FILE is reported on stdout, each\n"
                + "problem is one line on stderr (file:line:column: path: message). FILE is relative to the\n"
                + "current directory.\n"
                + "\n"
                + "Exit status: 0 every FILE is valid, 1 one is not (or cannot be read), 2 usage.\n";
    }

    static String policyExplain() {
        return "Usage: forge policy explain [--name NAME] [--module FILE.wasm|sha256:HEX] [--label KEY=VALUE]...\n"
                + "                            [--spiffe ID] CALL [KEY=VALUE...] [--json]\n"
                + "\n"
                + "Say how the node's policies would decide CALL made by a workload, and why: the policy, its mode,\n"
                + "the rule that decides, in the words of the decision log. Nothing runs.\n"
                + "\n"
                + "Arguments:\n"
                + "  CALL             A WASI function (path_open, fd_write, random_get) or module.name (kv.get)\n"
                + "  KEY=VALUE        The call's arguments as the log shows them: path=/data/x (a guest path),\n"
                + "                   fd=1, oflags=1 (O_CREAT), rights=64 (fd_write), fdflags=1 (append)\n"
                + "\n"
                + "Options (give --name or --module, or both):\n"
                + "  --name NAME      The container's name [default: as 'forge run' names one: FILE's base name\n"
                + "                   and an id, shown as NAME-xxxxxx]\n"
                + "  --module M       FILE.wasm (its SHA-256 is taken) or sha256:HEX [default: none, which matches\n"
                + "                   no policy's module selector]\n"
                + "  --label K=V      A container label; repeatable\n"
                + "  --spiffe ID      The SPIFFE id a verified package gives (label spiffe)\n"
                + "  --json           Print the explanation as JSON\n"
                + "  -h, --help       Print this help\n"
                + "\n"
                + "Examples:\n"
                + "  forge policy explain --module examples/hello.wasm fd_write fd=1\n"
                + "  forge policy explain --name web-1 path_open path=/data/x oflags=1\n"
                + "\n"
                + "Exit status: 0 explained (allowed or denied: see the output), 1 FILE.wasm cannot be read,\n"
                + "2 usage.\n";
    }
}
