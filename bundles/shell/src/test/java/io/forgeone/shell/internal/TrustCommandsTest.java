package io.forgeone.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustCommandsTest {
    @TempDir
    Path tmp;

    private final ShellFakes.Trust store = new ShellFakes.Trust();

    @Test
    void addAndRevokeAreOffUntilConfigured() throws IOException {
        TrustCommands commands = new TrustCommands(ShellFakes.config(false), store);
        Path pub = Files.writeString(tmp.resolve("acme.pub.pem"), "-----BEGIN PUBLIC KEY-----\n");
        IllegalStateException off = assertThrows(IllegalStateException.class,
                () -> commands.trust("add", "--name", "acme", pub.toString()));
        assertTrue(off.getMessage().contains("enabled=true in configuration io.forgeone.shell.trust"), off.getMessage());
        assertTrue(off.getMessage().contains("'forge trust add'"), off.getMessage());
        assertThrows(IllegalStateException.class, () -> commands.trust("revoke", ShellFakes.KEY));
        assertTrue(store.keys.isEmpty());
        assertTrue(store.revoked.isEmpty());

        commands.modified(ShellFakes.config(true));
        assertEquals("trusted " + ShellFakes.KEY + " (ed25519) for publisher acme\n",
                commands.trust("add", "--name", "acme", pub.toString()));
        assertEquals("revoked " + ShellFakes.KEY + ": lost\n", commands.trust("revoke", ShellFakes.KEY, "--reason",
                "lost"));

        commands.modified(ShellFakes.config(false));
        assertThrows(IllegalStateException.class, () -> commands.trust("revoke", ShellFakes.KEY));
    }

    @Test
    void listIsAlwaysAllowed() {
        TrustCommands commands = new TrustCommands(ShellFakes.config(false), store);
        store.add("acme", "pem");
        store.revoke("0".repeat(64), "old");
        String out = commands.trust("list");
        assertTrue(out.startsWith("PUBLISHER"), out);
        assertTrue(out.contains("acme                 ed25519            " + ShellFakes.KEY + " trusted\n"), out);
        assertTrue(out.contains("revoked, not in the store: " + "0".repeat(64) + "  old\n"), out);
    }

    @Test
    void badInputIsIllegalArgument() throws IOException {
        TrustCommands commands = new TrustCommands(ShellFakes.config(true), store);
        assertThrows(IllegalArgumentException.class, commands::trust);
        assertThrows(IllegalArgumentException.class, () -> commands.trust("frob"));
        assertThrows(IllegalArgumentException.class, () -> commands.trust("list", "x"));
        assertThrows(IllegalArgumentException.class, () -> commands.trust("revoke", "ABC"));
        assertThrows(IllegalArgumentException.class, () -> commands.trust("add", "x.pem"));
        assertThrows(IllegalArgumentException.class, () -> commands.trust("add", "--name", "acme",
                tmp.resolve("missing.pem").toString()));
        Path priv = Files.writeString(tmp.resolve("k.pem"), "-----BEGIN PRIVATE KEY-----\n");
        assertThrows(IllegalArgumentException.class, () -> commands.trust("add", "--name", "acme", priv.toString()));
        assertTrue(store.keys.isEmpty());
    }
}
