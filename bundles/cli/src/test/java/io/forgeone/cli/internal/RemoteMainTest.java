package io.forgeone.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote command line: connection options, usage errors (exit 2), help, and what an absent node gives. */
class RemoteMainTest {
    @TempDir
    Path dir;

    private String out;
    private String err;

    private int forge(Map<String, String> env, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = new RemoteMain(env, o, e, false, () -> Instant.EPOCH).applyAsInt(args);
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void connectionOptionsBeforeTheCommandOrAmongItsOptions() {
        Map<String, String> into = new LinkedHashMap<>();
        List<String> args = List.of("--node", "http://n:1", "--token-file=t", "ps", "-a");
        int at = RemoteMain.takeConnectionOptions(args, 0, into, true);
        assertEquals(3, at);
        assertEquals(Map.of("--node", "http://n:1", "--token-file", "t"), into);

        Map<String, String> more = new LinkedHashMap<>();
        assertEquals(List.of("-a", "--json"), RemoteMain.withoutConnectionOptions("ps",
                List.of("-a", "--cacert", "ca.pem", "--json", "--cert=c.pem"), more));
        assertEquals(Map.of("--cacert", "ca.pem", "--cert", "c.pem"), more);
    }

    @Test
    void runKeepsEverythingFromTheModuleOnForTheGuest() {
        Map<String, String> into = new LinkedHashMap<>();
        List<String> kept = RemoteMain.withoutConnectionOptions("run", List.of("--name", "--node", "--node", "http://n:1",
                "-d", "app.wasm", "--node", "x", "--token-file", "y"), into);
        // --name's value is the name even though it looks like an option; after the module all is the guest's
        assertEquals(List.of("--name", "--node", "-d", "app.wasm", "--node", "x", "--token-file", "y"), kept);
        assertEquals(Map.of("--node", "http://n:1"), into);
    }

    @Test
    void badConnectionOptionsAreUsageErrors() {
        assertEquals(2, forge(Map.of(), "--node"));
        assertEquals("forge: error: --node needs a value (see 'forge help remote')\n", err);
        assertEquals(2, forge(Map.of(), "--node", "http://a:1", "ps", "--node", "http://b:2"));
        assertEquals("forge: error: --node given more than once (see 'forge help remote')\n", err);
        assertEquals(2, forge(Map.of(), "--node", "http://a:1"));
        assertTrue(err.startsWith("forge: error: no command given"), err);
        assertEquals(2, forge(Map.of(), "--node", "127.0.0.1:8080", "ps"));
        assertEquals("forge: error: --node '127.0.0.1:8080': expected http://HOST:PORT or https://HOST:PORT"
                + " (see 'forge help ps')\n", err);
        assertEquals(2, forge(Map.of("FORGE_NODE", "http://a:1/v1"), "ps"));
        assertTrue(err.startsWith("forge: error: FORGE_NODE 'http://a:1/v1': give the node's address only"), err);
        assertEquals(2, forge(Map.of(), "ps"));
        assertEquals("forge: error: no node given: use --node URL or set FORGE_NODE (e.g. http://127.0.0.1:8080)"
                + " (see 'forge help ps')\n", err);
        assertEquals(2, forge(Map.of("FORGE_NODE", "http://a:1"), "ps", "--cacert", "ca.pem"));
        assertTrue(err.startsWith("forge: error: --cacert needs an https:// node URL"), err);
        assertEquals(2, forge(Map.of("FORGE_NODE", "https://a:1"), "ps", "--cert", "c.pem"));
        assertTrue(err.startsWith("forge: error: --cert needs --key"), err);
        assertEquals(2, forge(Map.of("FORGE_NODE", "http://a:1"), "ps", "--token-file", dir.resolve("t").toString()));
        assertTrue(err.startsWith("forge: error: --token-file " + dir.resolve("t") + ": no such file"), err);
    }

    @Test
    void commandUsageErrors() {
        Map<String, String> env = Map.of("FORGE_NODE", "http://127.0.0.1:9");
        assertEquals(2, forge(env, "ps", "--bogus"));
        assertEquals("forge: error: unknown option '--bogus' (see 'forge help ps')\n", err);
        assertEquals(2, forge(env, "ps", "extra"));
        assertEquals(2, forge(env, "logs"));
        assertEquals("forge: error: no container id or name given (see 'forge help logs')\n", err);
        assertEquals(2, forge(env, "kill", "a", "b"));
        assertEquals(2, forge(env, "stop"));
        assertEquals(2, forge(env, "rm"));
        assertEquals(2, forge(env, "stats", "a", "b"));
        assertEquals(2, forge(env, "pkg", "list"));
        assertEquals("forge: error: 'pkg' has no remote mode (remote commands: ps, run, logs, stop, kill, rm, inspect,"
                + " stats, snapshot, restore, trace) (see 'forge help remote')\n", err);
        assertEquals(2, forge(env, "run"));
        assertEquals("forge: error: no module given: expected FILE.wasm after the options (see 'forge help run')\n", err);
        assertEquals(2, forge(env, "run", "--dir", ".", "app.wasm"));
        assertTrue(err.startsWith("forge: error: --dir: a node is never given host directories"), err);
        assertEquals(2, forge(env, "run", "--cpu-time", "1s", "app.wasm"));
        assertEquals(2, forge(env, "run", "--rm", "-d", "app.wasm"));
        assertEquals(2, forge(env, "run", "--env", "UNSET_IN_THIS_TEST", "app.wasm"));
        assertTrue(err.contains("UNSET_IN_THIS_TEST is not set in this environment"), err);
    }

    @Test
    void helpNeedsNoNode() {
        assertEquals(0, forge(Map.of(), "help", "ps"));
        assertTrue(out.startsWith("Usage: forge --node URL ps [-a] [--json]\n"), out);
        assertEquals(0, forge(Map.of(), "--node", "http://x:1", "ps", "--help"));
        assertTrue(out.startsWith("Usage: forge --node URL ps"), out);
        assertEquals(0, forge(Map.of(), "run", "-h"));
        assertTrue(out.contains("--rm ") && out.contains("FORGE_NODE"), out);
        assertEquals(0, forge(Map.of(), "help"));
        assertTrue(out.startsWith("Usage: forge --node URL COMMAND"), out);
        for (String command : RemoteCommands.COMMANDS) {
            assertEquals(0, forge(Map.of(), "help", command), command);
            assertTrue(out.contains("--token-file FILE"), command + ": " + out);
        }
        assertEquals(2, forge(Map.of(), "help", "nothing"));
    }

    @Test
    void anUnreachableNodeIsOneLineAndExitOne() throws Exception {
        int port = closedPort();
        assertEquals(1, forge(Map.of("FORGE_NODE", "http://127.0.0.1:" + port), "ps"));
        assertEquals("forge: error: cannot reach the node at http://127.0.0.1:" + port + ": connection refused (is the"
                + " node running, with its REST bundle, on that port?)\n", err);
        assertEquals("", out);
    }

    @Test
    void runChecksTheFileBeforeCallingTheNode() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("FORGE_NODE", "http://127.0.0.1:" + closedPort()));
        assertEquals(1, forge(env, "run", dir.resolve("none.wasm").toString()));
        assertEquals("forge: error: " + dir.resolve("none.wasm") + ": no such file\n", err);
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
        assertEquals(1, forge(env, "run", text.toString()));
        assertEquals("forge: error: " + text + ": neither a WebAssembly module (no \\0asm header) nor a .forgepkg"
                + " package\n", err);
        assertEquals(1, forge(env, "run", dir.toString()));
        assertTrue(err.endsWith("is a directory, not a module or package\n"), err);
    }

    @Test
    void theTokenComesFromTheFileOrTheEnvironment() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "  fo1_abc_def\n");
        NodeConnection fromFile = NodeConnection.of("http://h:1", file.toString(), null, null, null,
                Map.of("FORGE_TOKEN", "ignored"));
        assertEquals("fo1_abc_def", fromFile.token());
        assertEquals("http://h:1", fromFile.base().toString());
        NodeConnection fromEnv = NodeConnection.of(null, null, null, null, null,
                Map.of("FORGE_NODE", "HTTP://h:1/", "FORGE_TOKEN", "fo1_x_y"));
        assertEquals("fo1_x_y", fromEnv.token());
        assertEquals("http://h:1", fromEnv.base().toString());
        assertEquals(null, NodeConnection.of("http://h", null, null, null, null, Map.of()).token());
        Files.writeString(file, "\n");
        assertThrows(IllegalArgumentException.class, () -> NodeConnection.of("http://h:1", file.toString(), null, null,
                null, Map.of()));
        Files.writeString(file, "two words");
        IllegalArgumentException spaced = assertThrows(IllegalArgumentException.class,
                () -> NodeConnection.of("http://h:1", file.toString(), null, null, null, Map.of()));
        assertTrue(spaced.getMessage().contains("spaces"), spaced.getMessage());
    }

    @Test
    void badPemFilesAreNamed() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        NodeConnection c = NodeConnection.of("https://h:1", null, ca.toString(), null, null, Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::client);
        assertTrue(e.getMessage().startsWith("--cacert " + ca + ": "), e.getMessage());
        Path key = Files.writeString(dir.resolve("k.pem"), "-----BEGIN EC PRIVATE KEY-----\nAAAA\n"
                + "-----END EC PRIVATE KEY-----\n");
        NodeConnection mtls = NodeConnection.of("https://h:1", null, null, ca.toString(), key.toString(), Map.of());
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, mtls::client);
        assertTrue(k.getMessage().startsWith("--cert " + ca), k.getMessage());
    }
}
