package io.forgeone.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.pkg.PackageManifest;
import io.forgeone.api.pkg.VerificationMode;
import io.forgeone.api.pkg.VerificationReport;
import io.forgeone.api.pkg.VerificationReport.Check;
import io.forgeone.api.pkg.VerificationReport.Verdict;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code forge pkg}: arguments, what reaches the services, outputs, files and exit codes. */
class PkgCommandTest {
    @TempDir
    Path tmp;

    private final Console console = new Console();
    private final PackageFakes.Codec codec = new PackageFakes.Codec();
    private final PackageFakes.Scheme ed25519 = new PackageFakes.Scheme(codec, "ed25519");
    private final PackageFakes.Scheme mldsa = new PackageFakes.Scheme(codec, "ml-dsa-65");
    private final PackageFakes.Builder builder = new PackageFakes.Builder();
    private final PackageFakes.Verifier verifier = new PackageFakes.Verifier();
    private ForgeCommand forge;
    private Path app;

    @BeforeEach
    void setUp() throws IOException {
        forge = new ForgeCommand(new FakeRuntime(), console.terminal, "1.2.3", "java", name -> null,
                PackageFakes.services(codec, ed25519, mldsa, builder, verifier), tmp);
        app = Files.writeString(tmp.resolve("app.forgepkg"), "PK...");
    }

    private int forge(String... args) {
        return forge.applyAsInt(args);
    }

    // keygen

    @Test
    void keygenWritesAnOwnerOnlyPrivateKeyAndThePublicKeyBeside() throws IOException {
        assertEquals(0, forge("pkg", "keygen", "--alg", "ed25519", "--out", "acme.pem", "--name", "acme"),
                console.err());
        Path key = tmp.resolve("acme.pem");
        Path pub = tmp.resolve("acme.pub.pem");
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertTrue(Files.readString(pub).startsWith("-----BEGIN PUBLIC KEY-----\n"));
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        }
        String out = console.out();
        assertTrue(out.startsWith("key id     "), out);
        assertTrue(out.contains("algorithm  ed25519\n"), out);
        assertTrue(out.contains("forge trust add --name acme " + pub), out);
        assertEquals("", console.err());
    }

    @Test
    void keygenZeroesThePrivateKeyBytesAndDestroysTheKey() {
        assertEquals(0, forge("pkg", "keygen", "--alg=ed25519", "--out=k.pem"));
        assertEquals(1, codec.privatePems.size());
        for (byte b : codec.privatePems.get(0)) {
            assertEquals(0, b);
        }
        assertEquals(1, codec.destroyed.size());
    }

    @Test
    void keygenPrintsTheKeyIdOfThePublicKeyWritten() throws IOException {
        assertEquals(0, forge("pkg", "keygen", "--alg", "ml-dsa-65", "--out", "pq.pem", "--json"));
        String json = console.out();
        assertTrue(json.startsWith("{\"id\":\""), json);
        assertTrue(json.contains("\"algorithm\":\"ml-dsa-65\",\"postQuantum\":true,\"name\":\"pq\""), json);
        String id = json.substring(7, 71);
        String pem = Files.readString(tmp.resolve("pq.pub.pem"));
        String der = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "").strip();
        java.security.PublicKey key;
        try {
            key = java.security.KeyFactory.getInstance("Ed25519").generatePublic(
                    new java.security.spec.X509EncodedKeySpec(java.util.Base64.getDecoder().decode(der)));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
        assertEquals(codec.keyId(key), id);
        assertEquals(1, mldsa.generated);
    }

    @Test
    void keygenRefusesToOverwriteWithoutForce() throws IOException {
        Files.writeString(tmp.resolve("acme.pem"), "precious");
        assertEquals(1, forge("pkg", "keygen", "--alg", "ed25519", "--out", "acme.pem"));
        assertEquals("forge: error: " + tmp.resolve("acme.pem") + ": already exists (use --force to replace it)\n",
                console.err());
        assertEquals("precious", Files.readString(tmp.resolve("acme.pem")));
        assertFalse(Files.exists(tmp.resolve("acme.pub.pem")));
        assertEquals(0, ed25519.generated);
    }

    @Test
    void keygenRefusesWhenOnlyThePublicKeyExists() throws IOException {
        Files.writeString(tmp.resolve("acme.pub.pem"), "old");
        assertEquals(1, forge("pkg", "keygen", "--alg", "ed25519", "--out", "acme.pem"));
        assertFalse(Files.exists(tmp.resolve("acme.pem")));
        assertEquals("old", Files.readString(tmp.resolve("acme.pub.pem")));
    }

    @Test
    void keygenForceReplacesBothAndTightensPermissions() throws IOException {
        Path key = Files.writeString(tmp.resolve("acme.pem"), "old");
        Files.writeString(tmp.resolve("acme.pub.pem"), "old");
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (posix) {
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        }
        assertEquals(0, forge("pkg", "keygen", "--alg", "ed25519", "--out", "acme.pem", "--force"), console.err());
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(Files.readString(tmp.resolve("acme.pub.pem")).startsWith("-----BEGIN PUBLIC KEY-----"));
        if (posix) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        }
    }

    @Test
    void keygenPublicKeyNameForOtherSuffixes() {
        assertEquals(Path.of("a/key.pub.pem"), PkgCommand.publicKeyPath(Path.of("a/key.pem")));
        assertEquals(Path.of("a/key.pub.pem"), PkgCommand.publicKeyPath(Path.of("a/key")));
        assertEquals(Path.of("k.der.pub.pem"), PkgCommand.publicKeyPath(Path.of("k.der")));
    }

    @Test
    void keygenUnknownAlgorithmNamesTheInstalledOnes() {
        assertEquals(2, forge("pkg", "keygen", "--alg", "rsa", "--out", "k.pem"));
        assertEquals("forge: error: unknown algorithm 'rsa' (installed: ed25519, ml-dsa-65)"
                + " (see 'forge pkg keygen --help')\n", console.err());
        assertFalse(Files.exists(tmp.resolve("k.pem")));
    }

    @Test
    void keygenFindsASchemeByItsServiceProperty() {
        OptionalServices services = PackageFakes.services(codec);
        services.bindScheme(ed25519, "ecdsa-p256");
        assertTrue(services.scheme("ecdsa-p256").isPresent());
        assertFalse(services.scheme("ed25519").isPresent());
        services.unbindScheme(ed25519);
        assertFalse(services.scheme("ecdsa-p256").isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--out k.pem", "--alg ed25519", "--alg ed25519 --out", "--alg ed25519 --out k.pem extra",
        "--alg ed25519 --out k.pem --bogus", "--alg ed25519 --alg ed25519 --out k.pem"})
    void keygenUsageErrors(String args) {
        String[] all = ("pkg keygen " + args).split(" ");
        assertEquals(2, forge(all));
        assertTrue(console.err().startsWith("forge: error: "), console.err());
        assertTrue(console.err().endsWith(" (see 'forge pkg keygen --help')\n"), console.err());
        assertEquals(1, console.err().split("\n").length);
    }

    @Test
    void keygenWithoutTheCryptoBundleIsExit1() {
        ForgeCommand bare = new ForgeCommand(new FakeRuntime(), console.terminal, "1", "java", n -> null,
                PackageFakes.services(), tmp);
        assertEquals(2, bare.applyAsInt(new String[] {"pkg", "keygen", "--alg", "ed25519", "--out", "k.pem"}));
        assertTrue(console.err().contains("installed: none"), console.err());
        console.stderr.reset();
        assertEquals(1, bare.applyAsInt(new String[] {"pkg", "inspect", app.toString()}));
        assertTrue(console.err().startsWith("forge: error: no PackageBuilder service: the package bundles"),
                console.err());
    }

    // build

    @Test
    void buildDefaultsToNameVersionInTheWorkingFolder() throws IOException {
        Path src = Files.createDirectory(tmp.resolve("src"));
        assertEquals(0, forge("pkg", "build", "src"), console.err());
        Path out = tmp.resolve("hello-1.0.0.forgepkg");
        assertEquals("package", Files.readString(out));
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".forge-build-")));
        }
        assertTrue(builder.calls.get(0).startsWith("build " + src + " " + tmp.resolve(".forge-build-")),
                builder.calls.toString());
        assertTrue(console.out().startsWith("built " + out + ": hello 1.0.0, 1 entry, entrypoint hello.wasm"),
                console.out());
    }

    @Test
    void buildWithOut() throws IOException {
        Files.createDirectory(tmp.resolve("src"));
        assertEquals(0, forge("pkg", "build", "src", "--out", "app2.forgepkg", "--json"), console.err());
        assertEquals(List.of("build " + tmp.resolve("src") + " " + tmp.resolve("app2.forgepkg")), builder.calls);
        String json = console.out();
        assertTrue(json.startsWith("{\"package\":\"" + tmp.resolve("app2.forgepkg") + "\",\"manifest\":{"
                + "\"name\":\"hello\",\"version\":\"1.0.0\",\"entrypoint\":\"hello.wasm\","
                + "\"capabilities\":[\"wasi:stdout\"],\"limits\":{\"memoryPages\":4096,\"timeoutMs\":30000},"), json);
        assertTrue(json.endsWith("\"entries\":[{\"path\":\"hello.wasm\",\"sha256\":\"" + PackageFakes.SHA
                + "\",\"size\":1234}]}}\n"), json);
    }

    @Test
    void defaultNameKeepsOddVersionsOutOfThePath() {
        PackageManifest m = PackageFakes.manifest();
        PackageManifest odd = new PackageManifest(m.name(), "1.0/../x:y", m.entrypoint(), m.capabilities(),
                m.limits(), m.publisher(), m.created(), m.expires(), m.entries());
        assertEquals("hello-1.0_.._x_y.forgepkg", PkgCommand.defaultName(odd));
    }

    @Test
    void buildOfAMissingFolderIsAnIoError() {
        assertEquals(20, forge("pkg", "build", "nope"));
        assertEquals("forge: error: " + tmp.resolve("nope") + ": no such folder [io]\n", console.err());
        assertTrue(builder.calls.isEmpty());
    }

    @Test
    void buildOfABadManifestIsOneLineWithExit10() throws IOException {
        Files.createDirectory(tmp.resolve("src"));
        builder.failure = new PackageException(PackageException.Reason.MALFORMED,
                "src/forge.json:3:14: expected ',' or '}'");
        assertEquals(10, forge("pkg", "build", "src"));
        assertEquals("forge: error: src/forge.json:3:14: expected ',' or '}' [malformed]\n", console.err());
        assertEquals("", console.out());
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".forge-build-")));
        }
    }

    // sign

    @Test
    void signWithSeveralKeysSignsWithEachInOrder() {
        assertEquals(0, forge("pkg", "sign", "app.forgepkg", "--key", "acme.pem", "--key=pq.pem"), console.err());
        assertEquals(List.of("sign " + app + " " + tmp.resolve("acme.pem"), "sign " + app + " " + tmp.resolve("pq.pem")),
                builder.calls);
        String out = console.out();
        assertTrue(out.startsWith("signed " + app + " (2 signatures)\n"), out);
        assertTrue(out.contains(PackageFakes.KEY + "  ed25519"), out);
        assertTrue(out.contains(PackageFakes.KEY2 + "  ml-dsa-65"), out);
    }

    @Test
    void signWarnsAboutAKeyOthersCanRead() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path key = Files.writeString(tmp.resolve("acme.pem"), "x");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(0, forge("pkg", "sign", "app.forgepkg", "--key", "acme.pem"));
        assertEquals("forge: warning: " + key + " is readable by others (chmod 600 " + key + ")\n", console.err());
    }

    @Test
    void signNeedsAKey() {
        assertEquals(2, forge("pkg", "sign", "app.forgepkg"));
        assertEquals("forge: error: --key is required (see 'forge pkg sign --help')\n", console.err());
    }

    @Test
    void signWithAKeyTheManifestDoesNotListIsExit14() {
        builder.failure = new PackageException(PackageException.Reason.UNTRUSTED_KEY, "key " + PackageFakes.KEY
                + " is not one of publisher acme's keys in the manifest of app.forgepkg");
        assertEquals(14, forge("pkg", "sign", "app.forgepkg", "--key", "acme.pem"));
        assertEquals("forge: error: key " + PackageFakes.KEY + " is not one of publisher acme's keys in the manifest"
                + " of app.forgepkg [untrusted-key]\n", console.err());
    }

    @Test
    void signWithAnUnreadableKeyIsExit1() {
        builder.failure = new io.forgeone.api.crypto.CryptoException("acme.pem: an encrypted private key; convert it"
                + " with: openssl pkcs8 -topk8 -nocrypt");
        assertEquals(1, forge("pkg", "sign", "app.forgepkg", "--key", "acme.pem", "--json"));
        assertTrue(console.err().startsWith("forge: error: acme.pem: an encrypted private key"), console.err());
    }

    @Test
    void signJson() {
        assertEquals(0, forge("pkg", "sign", "--json", "app.forgepkg", "--key", "acme.pem"));
        assertEquals("{\"package\":\"" + app + "\",\"id\":\"" + "cd".repeat(32) + "\",\"signatures\":[{\"keyId\":\""
                + PackageFakes.KEY + "\",\"scheme\":\"ed25519\",\"entry\":\"signatures/" + PackageFakes.KEY
                + ".ed25519.sig\",\"length\":64}]}\n", console.out());
    }

    // verify

    private static VerificationReport verified() {
        return PackageFakes.report(Verdict.VERIFIED, Check.passed(Check.ARCHIVE, "zip ok"),
                Check.passed(Check.SIGNATURES, "1 valid"), Check.passed(Check.TRUSTED_KEY, "key 5c1d… of acme"));
    }

    @Test
    void verifyPrintsEveryCheckAndTheVerdict() {
        verifier.report = verified();
        assertEquals(0, forge("pkg", "verify", "app.forgepkg"), console.err());
        assertEquals("PK...", new String(verifier.verified.get(0), java.nio.charset.StandardCharsets.US_ASCII));
        String out = console.out();
        assertTrue(out.contains("manifest        hello 1.0.0, publisher acme\n"), out);
        assertTrue(out.contains("mode            enforce\n"), out);
        assertTrue(out.contains("  archive           passed   zip ok\n"), out);
        assertTrue(out.contains("  trusted-key       passed   key 5c1d… of acme\n"), out);
        assertTrue(out.endsWith("verdict         verified\n"), out);
        assertEquals("", console.err());
    }

    @ParameterizedTest
    @EnumSource(PackageException.Reason.class)
    void aRejectedPackageExitsWithItsReasonsCodeAndOneLine(PackageException.Reason reason) {
        verifier.report = PackageFakes.report(Verdict.REJECTED, Check.passed(Check.ARCHIVE, "zip ok"),
                Check.failed(Check.TRUSTED_KEY, reason, "signed only by key 9f8e… which is not trusted for acme"),
                Check.skipped(Check.VALIDITY, "after a failure"));
        assertEquals(10 + reason.ordinal(), forge("pkg", "verify", "app.forgepkg"));
        assertEquals("forge: error: " + app + " rejected: check trusted-key failed: signed only by key 9f8e… which"
                + " is not trusted for acme [" + reason.name().toLowerCase().replace('_', '-') + "]\n", console.err());
        assertTrue(console.out().contains("  trusted-key       failed   signed only"), console.out());
        assertTrue(console.out().contains("  validity          skipped  after a failure"), console.out());
        assertTrue(console.out().endsWith("verdict         rejected\n"), console.out());
    }

    @Test
    void auditedIsNotVerified() {
        verifier.report = new VerificationReport("cd".repeat(32), PackageFakes.manifest(), VerificationMode.AUDIT,
                List.of(Check.failed(Check.SIGNATURES, PackageException.Reason.UNSIGNED, "no signature")),
                Verdict.AUDITED, false);
        assertEquals(13, forge("pkg", "verify", "app.forgepkg"));
        assertEquals("forge: error: " + app + " accepted only because the verification mode is audit: check"
                + " signatures failed: no signature [unsigned]\n", console.err());
    }

    @Test
    void unverifiedIsExit1() {
        verifier.report = new VerificationReport("cd".repeat(32), PackageFakes.manifest(), VerificationMode.OFF,
                List.of(Check.skipped(Check.SIGNATURES, "mode off")), Verdict.UNVERIFIED, false);
        assertEquals(1, forge("pkg", "verify", "app.forgepkg"));
        assertTrue(console.err().contains("authenticity not checked"), console.err());
    }

    @Test
    void verifyOfAMissingFileIsExit20() {
        assertEquals(20, forge("pkg", "verify", "gone.forgepkg"));
        assertEquals("forge: error: " + tmp.resolve("gone.forgepkg") + ": cannot read: no such file [io]\n",
                console.err());
        assertTrue(verifier.verified.isEmpty());
    }

    @Test
    void unreadableTrustStoreIsExit19() {
        verifier.failure = new PackageException(PackageException.Reason.TRUST_STORE,
                "cannot read the trust store /node/etc/trust/revoked.txt: permission denied");
        assertEquals(19, forge("pkg", "verify", "app.forgepkg"));
        assertEquals("forge: error: cannot read the trust store /node/etc/trust/revoked.txt: permission denied"
                + " [trust-store]\n", console.err());
    }

    @Test
    void verifyJson() {
        verifier.report = PackageFakes.report(Verdict.REJECTED, Check.passed(Check.ARCHIVE, "zip \"ok\""),
                Check.failed(Check.ENTRIES_PINNED, PackageException.Reason.TAMPERED, "hello.wasm: SHA-256 differs"));
        assertEquals(12, forge("pkg", "verify", "--json", "app.forgepkg"));
        String json = console.out();
        assertTrue(json.startsWith("{\"package\":\"" + app + "\",\"id\":\"" + "cd".repeat(32) + "\",\"mode\":\"enforce\","
                + "\"verdict\":\"rejected\",\"fromStore\":false,\"checks\":[{\"name\":\"archive\",\"outcome\":\"passed\","
                + "\"detail\":\"zip \\\"ok\\\"\",\"reason\":null},{\"name\":\"entries-pinned\",\"outcome\":\"failed\","
                + "\"detail\":\"hello.wasm: SHA-256 differs\",\"reason\":\"tampered\"}],\"manifest\":{"), json);
        assertEquals(1, json.split("\n").length);
        assertTrue(console.err().contains("check entries-pinned failed: hello.wasm: SHA-256 differs [tampered]"));
    }

    // inspect

    @Test
    void inspectShowsManifestEntriesAndSignatures() {
        builder.signatures.add(PackageFakes.signature(PackageFakes.KEY, "ed25519"));
        assertEquals(0, forge("pkg", "inspect", "app.forgepkg"), console.err());
        String out = console.out();
        for (String expected : List.of("id              " + "cd".repeat(32) + "\n", "size            4321 bytes\n",
                "name            hello\n", "version         1.0.0\n", "publisher       acme\n",
                "publisher keys  " + PackageFakes.KEY + ", " + PackageFakes.KEY2 + "\n",
                "entrypoint      hello.wasm\n", "capabilities    wasi:stdout\n",
                "limits          memory 256MiB (4096 pages), timeout 30s\n",
                "created         2026-01-31T12:00:00Z\n", "expires         2027-01-31T12:00:00Z\n",
                "entries:\n  " + PackageFakes.SHA + "        1234  hello.wasm\n",
                "signatures:\n  " + PackageFakes.KEY + "  ed25519               64 bytes\n")) {
            assertTrue(out.contains(expected), expected + " in\n" + out);
        }
    }

    @Test
    void inspectShowsHowThePackageAsksToBeRun() {
        builder.manifest = PackageFakes.manifest().withRun(new PackageManifest.Run("wasmtime", true, false, null));
        assertEquals(0, forge("pkg", "inspect", "app.forgepkg"), console.err());
        assertTrue(console.out().contains("run             engine wasmtime, on deploy yes, rollover no\n"), console.out());
        assertTrue(!console.out().contains("snapshot"), console.out());
        assertEquals(0, forge("pkg", "inspect", "app.forgepkg", "--json"));
        assertTrue(console.out().contains(
                "\"run\":{\"engine\":\"wasmtime\",\"onDeploy\":true,\"rollover\":false,\"snapshot\":null}"), console.out());
    }

    @Test
    void inspectUnsignedSaysSo() {
        assertEquals(0, forge("pkg", "inspect", "app.forgepkg"));
        assertTrue(console.out().endsWith("signatures: none (unsigned)\n"), console.out());
    }

    @Test
    void inspectJson() {
        assertEquals(0, forge("pkg", "inspect", "app.forgepkg", "--json"));
        assertTrue(console.out().startsWith("{\"package\":\"" + app + "\",\"id\":\"" + "cd".repeat(32)
                + "\",\"size\":4321,\"manifest\":{\"name\":\"hello\""), console.out());
        assertTrue(console.out().endsWith(",\"signatures\":[]}\n"), console.out());
    }

    @Test
    void inspectOfATooLargePackageIsExit11() {
        builder.failure = new PackageException(PackageException.Reason.TOO_LARGE,
                "app.forgepkg: entry 'big.bin' inflates past its size 1024");
        assertEquals(11, forge("pkg", "inspect", "app.forgepkg"));
        assertEquals("forge: error: app.forgepkg: entry 'big.bin' inflates past its size 1024 [too-large]\n",
                console.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"inspect", "verify", "build"})
    void oneOperandExactly(String command) {
        assertEquals(2, forge("pkg", command));
        assertEquals(2, forge("pkg", command, "a", "b"));
        assertEquals(2, console.err().split("\n").length);
    }

    // help and dispatch

    @ParameterizedTest
    @ValueSource(strings = {"keygen", "build", "sign", "verify", "inspect"})
    void everySubcommandHasHelpBothWays(String command) {
        assertEquals(0, forge("pkg", command, "--help"));
        String page = console.out();
        console.stdout.reset();
        assertEquals(0, forge("help", "pkg", command));
        assertEquals(page, console.out());
        console.stdout.reset();
        assertEquals(0, forge("pkg", command, "-h", "--bogus-is-ignored-after-help"), console.err());
        assertTrue(page.startsWith("Usage: forge pkg " + command + " "), page);
        assertTrue(page.contains("Exit status"), page);
        assertTrue(builder.calls.isEmpty());
    }

    @Test
    void pkgHelpListsCommandsAndTheExitCodeTable() {
        assertEquals(0, forge("help", "pkg"));
        String page = console.out();
        console.stdout.reset();
        assertEquals(0, forge("pkg", "--help"));
        assertEquals(page, console.out());
        for (String s : List.of("keygen --alg ALG --out KEY.pem", "build FOLDER [--out APP.forgepkg]",
                "sign APP.forgepkg --key KEY.pem", "verify APP.forgepkg", "inspect APP.forgepkg",
                "  10    malformed", "  14    untrusted-key", "  20    io")) {
            assertTrue(page.contains(s), s + " in\n" + page);
        }
    }

    @Test
    void keygenHelpNamesTheInstalledAlgorithms() {
        assertEquals(0, forge("pkg", "keygen", "--help"));
        assertTrue(console.out().contains("installed: ed25519, ml-dsa-65"), console.out());
    }

    @Test
    void pkgWithoutOrWithAnUnknownCommand() {
        assertEquals(2, forge("pkg"));
        assertEquals("forge: error: pkg needs a command: keygen, build, sign, verify or inspect"
                + " (see 'forge help pkg')\n", console.err());
        console.stderr.reset();
        assertEquals(2, forge("pkg", "publish"));
        assertTrue(console.err().startsWith("forge: error: unknown pkg command 'publish'"), console.err());
        console.stderr.reset();
        assertEquals(2, forge("help", "pkg", "publish"));
    }

    @Test
    void waitsForAServiceThatIsStillStarting() throws Exception {
        OptionalServices services = new OptionalServices(Duration.ofSeconds(5), OptionalServices.PACKAGE_BUNDLES);
        Thread late = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            services.bind(io.forgeone.api.pkg.PackageBuilder.class, builder);
        });
        late.start();
        assertEquals(builder, services.get(io.forgeone.api.pkg.PackageBuilder.class));
        late.join();
        services.unbind(io.forgeone.api.pkg.PackageBuilder.class, new PackageFakes.Builder());
        assertEquals(builder, services.get(io.forgeone.api.pkg.PackageBuilder.class), "unbinding another keeps it");
    }
}
