package io.forgeone.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.crypto.SignatureScheme;
import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.pkg.VerificationMode;
import io.forgeone.api.pkg.VerificationReport;
import io.forgeone.api.pkg.VerificationReport.Check;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageCommandsTest {
    @TempDir
    Path tmp;

    private final ShellFakes.Builder builder = new ShellFakes.Builder();
    private final ShellFakes.Verifier verifier = new ShellFakes.Verifier();
    private final ShellFakes.Codec codec = new ShellFakes.Codec();
    private final PackageCommands commands = new PackageCommands(builder, verifier, codec);

    @BeforeEach
    void schemes() {
        commands.bindScheme(new ShellFakes.Scheme(), Map.of(SignatureScheme.NAME_PROPERTY, "ed25519"));
    }

    @Test
    void keygenWritesAnOwnerOnlyKeyAndZeroesItsBytes() throws IOException {
        Path key = tmp.resolve("acme.pem");
        String out = commands.pkg("keygen", "--alg", "ed25519", "--out", key.toString());
        assertTrue(out.startsWith("key id     " + ShellFakes.KEY + "\nalgorithm  ed25519\nname       acme\n"), out);
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(Files.exists(tmp.resolve("acme.pub.pem")));
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        }
        for (byte b : codec.privatePems.get(0)) {
            assertEquals(0, b);
        }
        IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
                () -> commands.pkg("keygen", "--alg", "ed25519", "--out", key.toString()));
        assertTrue(again.getMessage().contains("already exists (add --force"), again.getMessage());
        commands.pkg("keygen", "--alg", "ed25519", "--out", key.toString(), "--force");
    }

    @Test
    void keygenOfAnUnknownAlgorithmNamesTheInstalledOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> commands.pkg("keygen", "--alg", "rsa", "--out", tmp.resolve("k.pem").toString()));
        assertEquals("unknown algorithm 'rsa' (installed: ed25519)", e.getMessage());
    }

    @Test
    void buildWithoutOutGoesBesideTheFolder() throws IOException {
        Path src = Files.createDirectory(tmp.resolve("src"));
        String out = commands.pkg("build", src.toString());
        assertEquals("built " + tmp.resolve("hello-1.0.0.forgepkg") + ": hello 1.0.0, 1 entries\n", out);
        assertEquals("PK", Files.readString(tmp.resolve("hello-1.0.0.forgepkg")));
        assertEquals(List.of("build .src.forgepkg.tmp"), builder.calls);
    }

    @Test
    void signWithEveryKey() {
        String out = commands.pkg("sign", tmp.resolve("app.forgepkg").toString(), "--key", "a.pem", "--key=b.pem");
        assertEquals(List.of("sign a.pem", "sign b.pem"), builder.calls);
        assertTrue(out.contains(ShellFakes.KEY + "  ed25519"), out);
        assertThrows(IllegalArgumentException.class, () -> commands.pkg("sign", "app.forgepkg"));
    }

    @Test
    void verifyReturnsTheChecksAndTheVerdictWithTheReason() throws IOException {
        Path app = Files.writeString(tmp.resolve("app.forgepkg"), "PK");
        verifier.report = new VerificationReport("cd".repeat(32), null, VerificationMode.ENFORCE,
                List.of(Check.passed(Check.ARCHIVE, "ok"), Check.failed(Check.NOT_REVOKED,
                        PackageException.Reason.REVOKED_KEY, "key 5c1d… is revoked")),
                VerificationReport.Verdict.REJECTED, false);
        String out = commands.pkg("verify", app.toString());
        assertTrue(out.contains("  not-revoked       failed   key 5c1d… is revoked\n"), out);
        assertTrue(out.endsWith("verdict  rejected (not-revoked: key 5c1d… is revoked)\n"), out);
    }

    @Test
    void inspect() {
        String out = commands.pkg("inspect", "app.forgepkg");
        assertTrue(out.contains("name         hello 1.0.0\n"), out);
        assertTrue(out.contains("hello.wasm\nsignatures:\n  " + ShellFakes.KEY), out);
    }

    @Test
    void badInputIsIllegalArgument() {
        assertThrows(IllegalArgumentException.class, commands::pkg);
        assertThrows(IllegalArgumentException.class, () -> commands.pkg("publish"));
        assertThrows(IllegalArgumentException.class, () -> commands.pkg("verify"));
        assertThrows(IllegalArgumentException.class, () -> commands.pkg("inspect", "a", "b"));
        assertThrows(IllegalArgumentException.class, () -> commands.pkg("keygen", "--out", "k.pem"));
        assertThrows(IllegalArgumentException.class, () -> commands.pkg("build", tmp.resolve("none").toString()));
        assertThrows(IllegalArgumentException.class, () -> commands.pkg("verify", "--bogus", "x"));
    }
}
