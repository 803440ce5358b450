package io.forgeone.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.pkg.Revocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code forge trust}: the operator's own changes to the node's trust store. */
class TrustCommandTest {
    private static final String PEM = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n";

    @TempDir
    Path tmp;

    private final Console console = new Console();
    private PackageFakes.Trust store;
    private ForgeCommand forge;

    @BeforeEach
    void setUp() throws IOException {
        store = new PackageFakes.Trust(tmp.resolve("etc/trust"));
        forge = new ForgeCommand(new FakeRuntime(), console.terminal, "1", "java", n -> null,
                PackageFakes.services(store), tmp);
        Files.writeString(tmp.resolve("acme.pub.pem"), PEM);
    }

    private int forge(String... args) {
        return forge.applyAsInt(args);
    }

    @Test
    void addTrustsTheFilesKeyForThePublisher() {
        assertEquals(0, forge("trust", "add", "--name", "acme", "acme.pub.pem"), console.err());
        assertEquals(List.of("acme\n" + PEM), store.added);
        assertEquals("trusted " + PackageFakes.KEY + " (ed25519) for publisher acme in " + tmp.resolve("etc/trust")
                + "\n", console.out());
    }

    @Test
    void addJson() {
        assertEquals(0, forge("trust", "add", "acme.pub.pem", "--name=acme", "--json"));
        assertEquals("{\"id\":\"" + PackageFakes.KEY + "\",\"name\":\"acme\",\"algorithm\":\"ed25519\","
                + "\"revoked\":false,\"directory\":\"" + tmp.resolve("etc/trust") + "\"}\n", console.out());
    }

    @Test
    void addRefusesAPrivateKey() throws IOException {
        Files.writeString(tmp.resolve("acme.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertEquals(10, forge("trust", "add", "--name", "acme", "acme.pem"));
        assertTrue(console.err().startsWith("forge: error: " + tmp.resolve("acme.pem") + ": holds a private key"),
                console.err());
        assertTrue(store.added.isEmpty());
    }

    @Test
    void addOfAMissingFileIsExit20() {
        assertEquals(20, forge("trust", "add", "--name", "acme", "nope.pem"));
        assertEquals("forge: error: " + tmp.resolve("nope.pem") + ": cannot read: no such file [io]\n", console.err());
    }

    @Test
    void addOfAKeyTrustedForAnotherPublisherIsExit19() {
        store.failure = new PackageException(PackageException.Reason.TRUST_STORE, "key " + PackageFakes.KEY
                + " is already trusted for publisher 'other'");
        assertEquals(19, forge("trust", "add", "--name", "acme", "acme.pub.pem"));
        assertEquals("forge: error: key " + PackageFakes.KEY + " is already trusted for publisher 'other'"
                + " [trust-store]\n", console.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"add acme.pub.pem", "add --name acme", "add --name ../x acme.pub.pem",
        "add --name acme a.pem b.pem", "add --name", "list extra", "revoke", "revoke ABC",
        "revoke 5c1d --reason x", "list --bogus"})
    void usageErrors(String args) {
        assertEquals(2, forge(("trust " + args).split(" ")));
        assertTrue(console.err().startsWith("forge: error: "), console.err());
        assertEquals(1, console.err().split("\n").length, console.err());
        assertTrue(store.added.isEmpty());
        assertTrue(store.revoked.isEmpty());
    }

    @Test
    void listShowsKeysAndRevocations() {
        store.keys.put(PackageFakes.KEY, PackageFakes.Trust.key(PackageFakes.KEY, "acme", false));
        store.keys.put(PackageFakes.KEY2, PackageFakes.Trust.key(PackageFakes.KEY2, "acme", true));
        store.revoked.put(PackageFakes.KEY2, new Revocation(PackageFakes.KEY2, "laptop stolen"));
        String orphan = "0".repeat(64);
        store.revoked.put(orphan, new Revocation(orphan, ""));
        assertEquals(0, forge("trust", "list"));
        String out = console.out();
        assertTrue(out.startsWith("PUBLISHER            ALGORITHM          KEY ID"), out);
        assertTrue(out.contains("acme                 ed25519            " + PackageFakes.KEY + " trusted\n"), out);
        assertTrue(out.contains(PackageFakes.KEY2 + " revoked\n"), out);
        assertTrue(out.contains("revoked:\n  " + orphan + " (not in the store)\n"), out);
        assertTrue(out.contains("  " + PackageFakes.KEY2 + "  laptop stolen\n"), out);
    }

    @Test
    void listOfAnEmptyStore() {
        assertEquals(0, forge("trust", "list"));
        assertEquals("no trusted keys in " + tmp.resolve("etc/trust") + "\n", console.out());
    }

    @Test
    void listJson() {
        store.keys.put(PackageFakes.KEY, PackageFakes.Trust.key(PackageFakes.KEY, "acme", false));
        store.revoked.put(PackageFakes.KEY2, new Revocation(PackageFakes.KEY2, "old"));
        assertEquals(0, forge("trust", "list", "--json"));
        assertEquals("{\"directory\":\"" + tmp.resolve("etc/trust") + "\",\"keys\":[{\"id\":\"" + PackageFakes.KEY
                + "\",\"name\":\"acme\",\"algorithm\":\"ed25519\",\"revoked\":false}],\"revocations\":[{\"keyId\":\""
                + PackageFakes.KEY2 + "\",\"reason\":\"old\"}]}\n", console.out());
    }

    @Test
    void unreadableStoreIsExit19() {
        store.failure = new PackageException(PackageException.Reason.TRUST_STORE, "cannot read " + tmp);
        assertEquals(19, forge("trust", "list"));
        assertEquals("forge: error: cannot read " + tmp + " [trust-store]\n", console.err());
    }

    @Test
    void revokeWithReason() {
        store.keys.put(PackageFakes.KEY, PackageFakes.Trust.key(PackageFakes.KEY, "acme", false));
        assertEquals(0, forge("trust", "revoke", PackageFakes.KEY, "--reason", "laptop stolen"));
        assertEquals("laptop stolen", store.revoked.get(PackageFakes.KEY).reason());
        assertEquals("revoked " + PackageFakes.KEY + " (publisher acme): laptop stolen\n"
                + "packages it signs are refused from now on\n", console.out());
    }

    @Test
    void revokeAnUnknownKeyJson() {
        assertEquals(0, forge("trust", "revoke", "--json", PackageFakes.KEY2));
        assertEquals("{\"keyId\":\"" + PackageFakes.KEY2 + "\",\"reason\":\"\",\"publisher\":null,\"directory\":\""
                + tmp.resolve("etc/trust") + "\"}\n", console.out());
    }

    @Test
    void revokeReasonMustBeOneLine() {
        assertEquals(2, forge("trust", "revoke", PackageFakes.KEY, "--reason", "a\nb"));
        assertTrue(console.err().startsWith("forge: error: --reason must be one line"), console.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"add", "list", "revoke"})
    void everySubcommandHasHelpBothWays(String command) {
        assertEquals(0, forge("trust", command, "--help"));
        String page = console.out();
        console.stdout.reset();
        assertEquals(0, forge("help", "trust", command));
        assertEquals(page, console.out());
        assertTrue(page.startsWith("Usage: forge trust " + command), page);
        assertTrue(page.contains("Exit status"), page);
    }

    @Test
    void trustHelp() {
        assertEquals(0, forge("help", "trust"));
        String page = console.out();
        console.stdout.reset();
        assertEquals(0, forge("trust", "-h"));
        assertEquals(page, console.out());
        assertTrue(page.contains("add --name PUBLISHER KEY.pub.pem"), page);
        assertTrue(page.contains("revoke KEYID [--reason TEXT]"), page);
    }

    @Test
    void withoutTheTrustStoreServiceIsExit1() {
        ForgeCommand bare = new ForgeCommand(new FakeRuntime(), console.terminal, "1", "java", n -> null,
                PackageFakes.services(), tmp);
        assertEquals(1, bare.applyAsInt(new String[] {"trust", "list"}));
        assertTrue(console.err().startsWith("forge: error: no TrustStore service"), console.err());
    }
}
