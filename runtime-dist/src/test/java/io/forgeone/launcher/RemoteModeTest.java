package io.forgeone.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteModeTest {
    @TempDir
    Path system;

    private static boolean remote(Map<String, String> env, String... args) {
        return RemoteMode.applies(args, env);
    }

    @Test
    void onlyCommandsForANodeGoRemote() {
        Map<String, String> none = Map.of();
        assertTrue(remote(none, "--node", "http://h:1", "ps"));
        assertTrue(remote(none, "--node=http://h:1", "run", "a.wasm"));
        assertTrue(remote(none, "--token-file", "t", "ps"));
        assertTrue(remote(none, "ps"), "a remote-only command without a node: the client says how to name one");
        assertTrue(remote(none, "stats"));
        assertTrue(remote(none, "restore", "counter-478"), "restore exists only on a node");
        assertTrue(remote(none, "help", "restore"));
        assertTrue(remote(none, "help", "logs"));
        assertTrue(remote(none, "help", "remote"));
        assertFalse(remote(none, "run", "a.wasm"));
        assertFalse(remote(none, "help", "run"));
        assertFalse(remote(none));
        assertFalse(remote(none, "pkg", "build", "x"));
        assertFalse(remote(none, "--help"));

        Map<String, String> node = Map.of("FORGE_NODE", "http://h:1");
        assertTrue(remote(node, "run", "a.wasm"));
        assertFalse(remote(node, "pkg", "build", "x"), "FORGE_NODE does not take local commands away");
    }

    @Test
    void withForgeNodeSnapshotAndTraceGoToTheNodeUnlessTheyNameFiles(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path tmp) throws Exception {
        Map<String, String> node = Map.of("FORGE_NODE", "http://h:1");
        java.nio.file.Path file = java.nio.file.Files.writeString(tmp.resolve("web-12.fsnap"), "x");
        java.nio.file.Path folder = java.nio.file.Files.createDirectories(tmp.resolve("traces/abc"));
        assertTrue(remote(node, "snapshot", "web"));
        assertTrue(remote(node, "snapshot", "ls"));
        assertTrue(remote(node, "snapshot", "rm", "web-12"));
        assertTrue(remote(node, "snapshot", "inspect", "web-12"), "a name the node knows, not a file here");
        assertFalse(remote(node, "snapshot", "inspect", file.toString()));
        assertFalse(remote(node, "snapshot", "init", "app.wasm"));
        assertFalse(remote(node, "snapshot", "export", file.toString(), "out.fsnap"));
        assertFalse(remote(node, "snapshot", "import", file.toString()));
        assertFalse(remote(node, "snapshot", "--help"));
        assertFalse(remote(node, "snapshot"));
        assertTrue(remote(node, "trace", "web"));
        assertTrue(remote(node, "trace", "--since", "5", "web"));
        assertFalse(remote(node, "trace", folder.toString()));
        assertFalse(remote(node, "trace", "--summary", file.toString()));
        assertFalse(remote(node, "trace", "--help"));
        Map<String, String> none = Map.of();
        assertFalse(remote(none, "snapshot", "web"), "without a node the local command says what it takes");
        assertFalse(remote(none, "trace", "web"));
        assertFalse(remote(node));
        assertFalse(remote(Map.of("FORGE_NODE", " "), "run", "a.wasm"));
    }

    @Test
    void anIncompleteInstallationIsNamed() throws IOException {
        LaunchException e = assertThrows(LaunchException.class, () -> RemoteMode.run(system, new String[] {"ps"}));
        assertTrue(e.getMessage().contains("no bundle with a Forge-Remote header"), e.getMessage());
    }

    /** The real cli and api jars of this build (runtime dependencies), in a system/ folder of their own. */
    @Test
    void runsTheClientFromTheBundleJarsWithoutAFramework() throws Exception {
        int found = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            String name = jar.getFileName().toString();
            if (Files.isRegularFile(jar) && (name.startsWith("io.forgeone.cli-") || name.startsWith("io.forgeone.api-"))) {
                Files.copy(jar, system.resolve(name));
                found++;
            }
        }
        Assumptions.assumeTrue(found == 2, "the cli and api bundles are jars on the class path (a Maven build)");
        try (JarFile cli = new JarFile(Files.list(system).filter(p -> p.getFileName().toString().startsWith(
                "io.forgeone.cli-")).findFirst().orElseThrow().toFile())) {
            Manifest m = cli.getManifest();
            assertEquals("io.forgeone.cli.internal.RemoteMain", m.getMainAttributes().getValue(RemoteMode.HEADER));
        }
        // a usage error (2) and a help page (0) need no node: the client ran, with no OSGi or SLF4J around it
        assertEquals(2, RemoteMode.run(system, new String[] {"ps", "--bogus"}));
        assertEquals(0, RemoteMode.run(system, new String[] {"help", "ps"}));
    }
}
