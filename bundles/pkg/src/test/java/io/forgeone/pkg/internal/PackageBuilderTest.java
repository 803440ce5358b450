package io.forgeone.pkg.internal;

import static io.forgeone.pkg.internal.Fixture.ACME_ED;
import static io.forgeone.pkg.internal.Fixture.ACME_PQ;
import static io.forgeone.pkg.internal.Fixture.OTHER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.pkg.PackageException.Reason;
import io.forgeone.api.pkg.PackageInfo;
import io.forgeone.api.pkg.PackageManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class PackageBuilderTest {
    @TempDir
    Path dir;
    private Fixture fx;
    private PackageBuilderImpl builder;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixture(dir);
        builder = fx.builder(fx.enforcing());
    }

    @Test
    void buildWritesCanonicalManifestAndPins() throws Exception {
        Path pkg = dir.resolve("a.forgepkg");
        PackageManifest m = builder.build(fx.source("a", s -> s), pkg);
        List<Fixture.Raw> entries = Fixture.entries(Files.readAllBytes(pkg));
        assertEquals(List.of("forge.json", "assets/greeting.txt", "hello.wasm"), entries.stream().map(Fixture.Raw::name).toList());
        String json = Fixture.text(entries.get(0).content());
        assertTrue(json.startsWith("{\"capabilities\":[\"wasi:stdout\"],\"created\":\""), json);
        assertTrue(json.contains("\"entries\":{\"assets/greeting.txt\":{\"sha256\":\""), json);
        assertTrue(json.contains("\"hello.wasm\":{\"sha256\":\"" + SafetyChecks.sha256Hex(Fixture.WASM) + "\",\"size\":8}"), json);
        assertEquals(m, SafetyChecks.parseCanonical(entries.get(0).content(), "forge.json"));
    }

    @Test
    void theRunObjectRoundTripsAndIsChecked() throws Exception {
        Path pkg = dir.resolve("run.forgepkg");
        PackageManifest m = builder.build(fx.source("run", s -> s.replace("\"name\": \"hello\"",
                "\"name\": \"hello\", \"run\": {\"engine\": \"wasmtime\", \"onDeploy\": true}")), pkg);
        assertEquals(Optional.of(new PackageManifest.Run("wasmtime", true, false, null)), m.run());
        String json = Fixture.text(Fixture.entries(Files.readAllBytes(pkg)).get(0).content());
        assertTrue(json.endsWith(",\"run\":{\"engine\":\"wasmtime\",\"onDeploy\":true,\"rollover\":false},\"version\":\"1.0.0\"}"),
                json);
        assertEquals(m, SafetyChecks.parseCanonical(Fixture.entries(Files.readAllBytes(pkg)).get(0).content(), "forge.json"));

        PackageManifest plain = builder.build(fx.source("plain", s -> s), dir.resolve("plain.forgepkg"));
        assertEquals(Optional.empty(), plain.run());
        assertTrue(!Fixture.text(Fixture.entries(Files.readAllBytes(dir.resolve("plain.forgepkg"))).get(0).content())
                .contains("\"run\""), "no run object unless the source has one");

        Path snap = fx.source("snap", s -> s.replace("\"name\": \"hello\"",
                "\"name\": \"hello\", \"run\": {\"snapshot\": \"assets/greeting.txt\"}"));
        assertEquals(Optional.of("assets/greeting.txt"), builder.build(snap, dir.resolve("snap.forgepkg")).run()
                .flatMap(PackageManifest.Run::snapshotEntry));

        for (String[] bad : new String[][] {
                {"{\"engine\": \"Wasm Time\"}", "run.engine must be 1..32 of [a-z0-9-]"},
                {"{\"onDeploy\": \"yes\"}", "\"run.onDeploy\" must be true or false"},
                {"{\"colour\": 1}", "unknown field \"run.colour\""},
                {"{\"snapshot\": \"missing.fsnap\"}", "run.snapshot 'missing.fsnap' is not one of the entries"},
                {"{\"snapshot\": \"../x\"}", "run.snapshot '../x': '..' segment"},
                {"[]", "\"run\" must be an object"}}) {
            Path src = fx.source("bad" + bad[1].hashCode(), s -> s.replace("\"name\": \"hello\"",
                    "\"name\": \"hello\", \"run\": " + bad[0]));
            PackageException e = assertThrows(PackageException.class, () -> builder.build(src, dir.resolve("x.forgepkg")));
            assertEquals(Reason.MALFORMED, e.reason());
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
    }

    @Test
    void sameInputSameBytes() throws Exception {
        Clock fixed = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
        PackageBuilderImpl a = new PackageBuilderImpl(Duration.ofDays(30), Fixture.CODEC, fx.enforcing(), fixed);
        Path src = fx.source("same", s -> s);
        a.build(src, dir.resolve("1.forgepkg"));
        a.build(src, dir.resolve("2.forgepkg"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("1.forgepkg")), Files.readAllBytes(dir.resolve("2.forgepkg")));
        // Ed25519 signatures are deterministic too
        a.sign(dir.resolve("1.forgepkg"), ACME_ED.getPrivate());
        a.sign(dir.resolve("2.forgepkg"), ACME_ED.getPrivate());
        assertArrayEquals(Files.readAllBytes(dir.resolve("1.forgepkg")), Files.readAllBytes(dir.resolve("2.forgepkg")));
    }

    @Test
    void signingByEveryKeyKeepsTheOthersAndReplacesItsOwn() throws Exception {
        Path pkg = dir.resolve("multi.forgepkg");
        builder.build(fx.source("multi", s -> s), pkg);
        builder.sign(pkg, ACME_ED.getPrivate());
        PackageInfo info = builder.sign(pkg, ACME_PQ.getPrivate());
        assertEquals(2, info.signatures().size());
        assertEquals(List.of("ed25519", "ml-dsa-65"), info.signatures().stream()
                .sorted((x, y) -> x.scheme().compareTo(y.scheme())).map(PackageInfo.SignatureEntry::scheme).toList());
        assertTrue(info.signatures().stream().anyMatch(s -> s.entry().equals(
                "signatures/" + Fixture.id(ACME_ED) + ".ed25519.sig") && s.length() == 64));
        PackageInfo again = builder.sign(pkg, ACME_ED.getPrivate());
        assertEquals(2, again.signatures().size(), "re-signing with a key replaces its signature");
        assertEquals(again, builder.inspect(pkg));
    }

    @Test
    void signFromAPemFile() throws Exception {
        Path pkg = dir.resolve("pem.forgepkg");
        builder.build(fx.source("pem", s -> s), pkg);
        Path key = dir.resolve("acme.key.pem");
        Files.write(key, Fixture.CODEC.writePrivateKey(ACME_ED.getPrivate()));
        assertEquals(Fixture.id(ACME_ED), builder.sign(pkg, key).signatures().get(0).keyId());
        Files.writeString(dir.resolve("bad.pem"), "not a key");
        assertEquals(Reason.MALFORMED, assertThrows(PackageException.class, () -> builder.sign(pkg, dir.resolve("bad.pem"))).reason());
    }

    @Test
    void aKeyTheManifestDoesNotListCannotSign() throws Exception {
        Path pkg = dir.resolve("unlisted.forgepkg");
        builder.build(fx.source("unlisted", s -> s), pkg);
        PackageException e = assertThrows(PackageException.class, () -> builder.sign(pkg, OTHER.getPrivate()));
        assertEquals(Reason.UNTRUSTED_KEY, e.reason());
        assertTrue(e.getMessage().contains("not among the publisher keys"), e.getMessage());
    }

    @Test
    void badSourceManifestNamesFileLineAndColumn() throws Exception {
        Path src = fx.source("bad", s -> s.replace("\"version\": \"1.0.0\",", "\"version\": \"1.0.0\",,"));
        PackageException e = assertThrows(PackageException.class, () -> builder.build(src, dir.resolve("x.forgepkg")));
        assertEquals(Reason.MALFORMED, e.reason());
        assertTrue(e.getMessage().contains("forge.json:3:22: expected a string key"), e.getMessage());

        Path unknown = fx.source("unknown", s -> s.replace("\"name\": \"hello\"", "\"name\": \"hello\", \"colour\": \"red\""));
        assertTrue(assertThrows(PackageException.class, () -> builder.build(unknown, dir.resolve("x.forgepkg")))
                .getMessage().contains("unknown field \"colour\""));
        Path notWasm = fx.source("notwasm", s -> s.replace("hello.wasm", "assets/greeting.txt"));
        assertTrue(assertThrows(PackageException.class, () -> builder.build(notWasm, dir.resolve("x.forgepkg")))
                .getMessage().contains("not a WebAssembly module"));
        Path noEntry = fx.source("noentry", s -> s.replace("hello.wasm", "missing.wasm"));
        assertTrue(assertThrows(PackageException.class, () -> builder.build(noEntry, dir.resolve("x.forgepkg")))
                .getMessage().contains("entrypoint 'missing.wasm' is not one of the entries"));
        Path badKey = fx.source("badkey", s -> s.replace(Fixture.id(ACME_ED), "abc"));
        assertTrue(assertThrows(PackageException.class, () -> builder.build(badKey, dir.resolve("x.forgepkg")))
                .getMessage().contains("not a key id"));
    }

    @Test
    void symbolicLinksAreRefused() throws Exception {
        Path src = fx.source("link", s -> s);
        Files.createSymbolicLink(src.resolve("assets/passwd"), Path.of("/etc/passwd"));
        PackageException e = assertThrows(PackageException.class, () -> builder.build(src, dir.resolve("x.forgepkg")));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("x.forgepkg")));
    }

    @Test
    void inspectRefusesAnUnsafePackage() throws Exception {
        Path pkg = dir.resolve("unsafe.forgepkg");
        builder.build(fx.source("unsafe", s -> s), pkg);
        List<Fixture.Raw> entries = new java.util.ArrayList<>(Fixture.entries(Files.readAllBytes(pkg)));
        entries.add(new Fixture.Raw("../evil", new byte[1]));
        Files.write(pkg, Fixture.zip(entries));
        PackageException e = assertThrows(PackageException.class, () -> builder.inspect(pkg));
        assertEquals(Reason.MALFORMED, e.reason());
        assertTrue(e.getMessage().contains("entry-names: entry '../evil': '..' segment"), e.getMessage());
    }
}
