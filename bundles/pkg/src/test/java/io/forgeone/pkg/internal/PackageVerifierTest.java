package io.forgeone.pkg.internal;

import static io.forgeone.pkg.internal.Fixture.ACME_ED;
import static io.forgeone.pkg.internal.Fixture.ACME_PQ;
import static io.forgeone.pkg.internal.Fixture.OTHER;
import static io.forgeone.pkg.internal.Fixture.STRANGER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.pkg.PackageException.Reason;
import io.forgeone.api.pkg.PackageManifest;
import io.forgeone.api.pkg.VerificationMode;
import io.forgeone.api.pkg.VerificationReport;
import io.forgeone.api.pkg.VerificationReport.Check;
import io.forgeone.api.pkg.VerificationReport.Outcome;
import io.forgeone.api.pkg.VerificationReport.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class PackageVerifierTest {
    @TempDir
    Path dir;
    private Fixture fx;
    private PackageVerifierImpl verifier;
    private PackageBuilderImpl builder;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixture(dir);
        verifier = fx.enforcing();
        builder = fx.builder(verifier);
    }

    private byte[] signed(String name, java.security.KeyPair... keys) throws Exception {
        return Files.readAllBytes(fx.signedPackage(builder, name, keys));
    }

    private static void assertRejected(VerificationReport report, String check, Reason reason, String detailPart) {
        assertEquals(Verdict.REJECTED, report.verdict(), () -> report.checks().toString());
        Check failed = report.firstFailure().orElseThrow();
        assertEquals(check, failed.name(), () -> report.checks().toString());
        assertEquals(reason, failed.reason(), failed::toString);
        assertTrue(failed.detail().contains(detailPart), failed::detail);
    }

    /** Rewrites a signed package's entries, keeping the manifest and signatures as they are. */
    private byte[] repack(byte[] pkg, java.util.function.Consumer<List<Fixture.Raw>> edit) throws Exception {
        List<Fixture.Raw> entries = new ArrayList<>(Fixture.entries(pkg));
        edit.accept(entries);
        return Fixture.zip(entries);
    }

    @Test
    void signedByTheTrustedPublisherIsVerified() throws Exception {
        VerificationReport report = verifier.verify(signed("ok", ACME_ED));
        assertEquals(Verdict.VERIFIED, report.verdict(), report.checks()::toString);
        assertEquals(CheckList.ORDER, report.checks().stream().map(Check::name).toList());
        assertTrue(report.checks().stream().allMatch(c -> c.passed() || c.name().equals(Check.HYBRID)));
        assertEquals(Outcome.SKIPPED, report.check(Check.HYBRID).orElseThrow().outcome());
        PackageManifest m = report.manifest();
        assertEquals("hello", m.name());
        assertEquals(List.of("wasi:stdout"), m.capabilities());
        assertEquals(new PackageManifest.Limits(16, Duration.ofSeconds(5)), m.limits());
        assertEquals(List.of("assets/greeting.txt", "hello.wasm"), m.entries().stream().map(PackageManifest.Entry::path).toList());
        assertEquals(Duration.ofDays(30), Duration.between(m.created(), m.expires()));
    }

    @Test
    void ecdsaAndMlDsaSignaturesCountToo() throws Exception {
        assertEquals(Verdict.VERIFIED, verifier.verify(signed("pq", ACME_PQ)).verdict());
    }

    @Test
    void unsigned() throws Exception {
        assertRejected(verifier.verify(signed("unsigned")), Check.SIGNATURES, Reason.UNSIGNED, "no signature");
    }

    @Test
    void tamperedEntry() throws Exception {
        byte[] pkg = repack(signed("tampered", ACME_ED), entries -> entries.replaceAll(e -> e.name().equals("hello.wasm")
                ? new Fixture.Raw(e.name(), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 1}) : e));
        assertRejected(verifier.verify(pkg), Check.ENTRIES_PINNED, Reason.TAMPERED, "'hello.wasm' has SHA-256");
    }

    @Test
    void tamperedManifest() throws Exception {
        byte[] pkg = repack(signed("manifest", ACME_ED), entries -> entries.replaceAll(e -> e.name().equals("forge.json")
                ? new Fixture.Raw(e.name(), Fixture.text(e.content()).replace("wasi:stdout", "wasi:network")
                        .getBytes(StandardCharsets.UTF_8)) : e));
        assertRejected(verifier.verify(pkg), Check.SIGNATURES, Reason.TAMPERED, "does not verify over the manifest");
    }

    @Test
    void missingEntry() throws Exception {
        byte[] pkg = repack(signed("missing", ACME_ED), entries -> entries.removeIf(e -> e.name().startsWith("assets/")));
        assertRejected(verifier.verify(pkg), Check.ENTRIES_PINNED, Reason.TAMPERED, "listed but missing");
    }

    @Test
    void extraEntry() throws Exception {
        byte[] pkg = repack(signed("extra", ACME_ED), entries -> entries.add(new Fixture.Raw("x.wasm", Fixture.WASM)));
        assertRejected(verifier.verify(pkg), Check.NO_EXTRA_ENTRIES, Reason.TAMPERED, "[x.wasm]");
    }

    @Test
    void duplicateEntry() throws Exception {
        byte[] pkg = repack(signed("dup", ACME_ED), entries -> entries.add(new Fixture.Raw("hello.wasm", new byte[] {1})));
        assertRejected(verifier.verify(pkg), Check.ENTRY_NAMES, Reason.MALFORMED, "duplicate entry 'hello.wasm'");
        byte[] cased = repack(signed("case", ACME_ED), entries -> entries.add(new Fixture.Raw("Hello.wasm", new byte[] {1})));
        assertRejected(verifier.verify(cased), Check.ENTRY_NAMES, Reason.MALFORMED, "differ only in case");
    }

    @Test
    void unsafeNames() throws Exception {
        byte[] pkg = signed("names", ACME_ED);
        Map<String, String> cases = Map.of("../x", "'..' segment", "a/../../x", "'..' segment", "/etc/passwd",
                "absolute path", "a\\b", "backslash", "C:/x", "drive letter", "c:x", "drive letter", "dir/", "directory",
                "a//b", "empty", "./a", "'.' segment", "a\u0000b", "control character");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            byte[] bad = repack(pkg, entries -> entries.add(new Fixture.Raw(c.getKey(), new byte[] {1})));
            assertRejected(verifier.verify(bad), Check.ENTRY_NAMES, Reason.MALFORMED, c.getValue());
        }
    }

    @Test
    void zipBombDeclaredSmallInflatesLarge() throws Exception {
        // a pinned entry whose directory record and pin both say 100 bytes, holding deflate data for 16 MiB of zeros
        byte[] big = new byte[16 << 20];
        byte[] first100 = new byte[100];
        String sha = SafetyChecks.sha256Hex(first100);
        PackageManifest m = verifier.verify(signed("bomb", ACME_ED)).manifest();
        List<PackageManifest.Entry> entries = new ArrayList<>(m.entries());
        entries.add(new PackageManifest.Entry("bomb.bin", sha, 100));
        PackageManifest bombManifest = m.withEntries(entries);
        ZipWriter zip = new ZipWriter().add("forge.json", ManifestCodec.canonical(bombManifest))
                .add("hello.wasm", Fixture.WASM).add("assets/greeting.txt", "hello, world\n".repeat(50).getBytes(StandardCharsets.UTF_8))
                .add("bomb.bin", ZipWriter.deflate(big), StrictZip.DEFLATED, 100, ZipWriter.crc(first100));
        long start = System.nanoTime();
        VerificationReport report = verifier.verify(zip.finish());
        assertRejected(report, Check.LIMITS, Reason.TOO_LARGE, "'bomb.bin' inflates past 100 bytes");
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "stopped early, not after inflating 16 MiB");
    }

    @Test
    void entryDeclaredOverTheLimitIsRefusedFromTheDirectory() throws Exception {
        PackageVerifierImpl small = fx.verifier(Map.of("max.entry.mib", 1));
        byte[] pkg = repack(signed("declared", ACME_ED), entries -> entries.add(new Fixture.Raw("big.bin", new byte[(1 << 20) + 1])));
        assertRejected(small.verify(pkg), Check.LIMITS, Reason.TOO_LARGE, "'big.bin' declares 1048577 bytes");
    }

    @Test
    void hugeNumberOfEntries() throws Exception {
        ZipWriter zip = new ZipWriter();
        for (int i = 0; i < 5000; i++) {
            zip.add("e" + i, new byte[0], StrictZip.STORED, 0, 0);
        }
        long start = System.nanoTime();
        assertRejected(verifier.verify(zip.finish()), Check.LIMITS, Reason.TOO_LARGE, "declares 5000 entries, more than the limit of 1024");
        assertTrue(System.nanoTime() - start < 1_000_000_000L);
    }

    @Test
    void packageOverTheSizeLimit() throws Exception {
        PackageVerifierImpl small = fx.verifier(Map.of("max.package.mib", 1));
        assertRejected(small.verify(new byte[(1 << 20) + 1]), Check.LIMITS, Reason.TOO_LARGE, "more than the limit");
    }

    @Test
    void expired() throws Exception {
        Path pkg = dir.resolve("expired.forgepkg");
        builder.build(fx.source("expired", s -> s.replace("\"name\": \"hello\"",
                "\"name\": \"hello\", \"created\": \"2020-01-01T00:00:00Z\", \"expires\": \"2021-01-01T00:00:00+01:00\"")), pkg);
        builder.sign(pkg, ACME_ED.getPrivate());
        VerificationReport report = verifier.verify(Files.readAllBytes(pkg));
        assertRejected(report, Check.VALIDITY, Reason.EXPIRED, "expired 2020-12-31T23:00:00Z");
    }

    @Test
    void notYetValidBeyondTheSkew() throws Exception {
        Instant soon = Instant.now().plus(Duration.ofMinutes(2)).truncatedTo(ChronoUnit.SECONDS);
        Instant later = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        Path within = dir.resolve("within.forgepkg");
        builder.build(fx.source("within", s -> s.replace("\"name\": \"hello\"", "\"name\": \"hello\", \"created\": \"" + soon + "\"")), within);
        builder.sign(within, ACME_ED.getPrivate());
        assertEquals(Verdict.VERIFIED, verifier.verify(Files.readAllBytes(within)).verdict(), "2 minutes ahead is within the 5-minute skew");

        Path future = dir.resolve("future.forgepkg");
        builder.build(fx.source("future", s -> s.replace("\"name\": \"hello\"", "\"name\": \"hello\", \"created\": \"" + later + "\"")), future);
        builder.sign(future, ACME_ED.getPrivate());
        assertRejected(verifier.verify(Files.readAllBytes(future)), Check.VALIDITY, Reason.NOT_YET_VALID, "clock skew of 300 s");
    }

    @Test
    void unknownKey() throws Exception {
        assertRejected(verifier.verify(signed("stranger", STRANGER)), Check.TRUSTED_KEY, Reason.UNTRUSTED_KEY,
                "no valid signature by a key the trust store holds for 'acme'");
    }

    @Test
    void keyTrustedForAnotherPublisher() throws Exception {
        Path pkg = dir.resolve("other.forgepkg");
        builder.build(fx.source("other", s -> s.replace("\"" + Fixture.id(STRANGER) + "\"", "\"" + Fixture.id(OTHER) + "\"")), pkg);
        builder.sign(pkg, OTHER.getPrivate());
        assertRejected(verifier.verify(Files.readAllBytes(pkg)), Check.TRUSTED_KEY, Reason.UNTRUSTED_KEY, "is trusted for 'other'");
    }

    @Test
    void revokedKey() throws Exception {
        byte[] pkg = signed("revoked", ACME_ED, ACME_PQ);
        assertEquals(Verdict.VERIFIED, verifier.verify(pkg).verdict());
        fx.trust.revoke(Fixture.id(ACME_ED), "leaked");
        VerificationReport report = verifier.verify(pkg);
        assertRejected(report, Check.NOT_REVOKED, Reason.REVOKED_KEY, Fixture.id(ACME_ED));
        assertTrue(report.check(Check.TRUSTED_KEY).orElseThrow().passed(), "the other signature is still good");
    }

    @Test
    void hybridRule() throws Exception {
        PackageVerifierImpl hybrid = fx.verifier(Map.of("require.hybrid", true));
        assertRejected(hybrid.verify(signed("classical", ACME_ED)), Check.HYBRID, Reason.HYBRID_MISSING, "missing a valid post-quantum");
        assertRejected(hybrid.verify(signed("quantum", ACME_PQ)), Check.HYBRID, Reason.HYBRID_MISSING, "missing a valid classical");
        VerificationReport both = hybrid.verify(signed("both", ACME_ED, ACME_PQ));
        assertEquals(Verdict.VERIFIED, both.verdict(), both.checks()::toString);
        assertTrue(both.check(Check.HYBRID).orElseThrow().passed());
    }

    @Test
    void signatureNotOverTheManifest() throws Exception {
        byte[] pkg = repack(signed("badsig", ACME_ED), entries -> entries.replaceAll(e -> {
            if (!e.name().startsWith("signatures/")) {
                return e;
            }
            byte[] sig = e.content().clone();
            sig[10] ^= 1;
            return new Fixture.Raw(e.name(), sig);
        }));
        assertRejected(verifier.verify(pkg), Check.SIGNATURES, Reason.TAMPERED, "does not verify");
    }

    @Test
    void nonCanonicalManifest() throws Exception {
        byte[] pkg = repack(signed("pretty", ACME_ED), entries -> entries.replaceAll(e -> e.name().equals("forge.json")
                ? new Fixture.Raw(e.name(), (Fixture.text(e.content()) + "\n").getBytes(StandardCharsets.UTF_8)) : e));
        assertRejected(verifier.verify(pkg), Check.MANIFEST, Reason.MALFORMED, "not in canonical JSON form");
        byte[] duplicate = repack(signed("dupkey", ACME_ED), entries -> entries.replaceAll(e -> e.name().equals("forge.json")
                ? new Fixture.Raw(e.name(), Fixture.text(e.content()).replaceFirst("\\{", "{\"name\":\"x\",")
                        .getBytes(StandardCharsets.UTF_8)) : e));
        assertRejected(verifier.verify(duplicate), Check.MANIFEST, Reason.MALFORMED, "forge.json:1:");
    }

    @Test
    void notAZip() {
        VerificationReport report = verifier.verify("hello".getBytes(StandardCharsets.UTF_8));
        assertRejected(report, Check.ARCHIVE, Reason.MALFORMED, "too short");
        assertNull(report.manifest());
        assertTrue(report.checks().stream().filter(c -> !c.name().equals(Check.ARCHIVE))
                .allMatch(c -> c.outcome() == Outcome.SKIPPED && c.detail().contains("archive failed")));
    }

    @Test
    void auditModeAcceptsUnsignedButNeverUnsafe() throws Exception {
        PackageVerifierImpl audit = fx.mode(VerificationMode.AUDIT);
        VerificationReport unsigned = audit.verify(signed("audit", new java.security.KeyPair[0]));
        assertEquals(Verdict.AUDITED, unsigned.verdict());
        assertEquals(Reason.UNSIGNED, unsigned.firstFailure().orElseThrow().reason());
        byte[] extra = repack(signed("audit-extra", ACME_ED), entries -> entries.add(new Fixture.Raw("x", new byte[1])));
        assertEquals(Verdict.REJECTED, audit.verify(extra).verdict());
        assertEquals(Verdict.VERIFIED, audit.verify(signed("audit-ok", ACME_ED)).verdict());
        // only the rejected one counts as a verification failure (the audited one ran)
        assertEquals(1, audit.rejections());
    }

    @Test
    void offModeSkipsAuthenticityOnly() throws Exception {
        PackageVerifierImpl off = fx.mode(VerificationMode.OFF);
        VerificationReport report = off.verify(signed("off", STRANGER));
        assertEquals(Verdict.UNVERIFIED, report.verdict());
        assertTrue(CheckList.AUTHENTICITY.stream().allMatch(n -> report.check(n).orElseThrow().outcome() == Outcome.SKIPPED));
        byte[] dup = repack(signed("off-dup", ACME_ED), entries -> entries.add(new Fixture.Raw("hello.wasm", new byte[1])));
        assertEquals(Verdict.REJECTED, off.verify(dup).verdict());
    }

    @Test
    void trustStoreChangesAreSeenWithoutRestart() throws Exception {
        byte[] pkg = signed("reload", STRANGER);
        assertEquals(Verdict.REJECTED, verifier.verify(pkg).verdict());
        // a key file dropped into the folder by hand
        Path file = fx.trust.directory().resolve("acme-extra.pem");
        Files.writeString(file, Fixture.CODEC.writePublicKey(STRANGER.getPublic()));
        assertEquals(Verdict.REJECTED, verifier.verify(pkg).verdict(), "trusted, but for 'acme-extra', not 'acme'");
        Files.move(file, fx.trust.directory().resolve("acme-2.pem"));
        Files.writeString(fx.trust.directory().resolve("acme.pem"),
                Files.readString(fx.trust.directory().resolve("acme.pem")) + Fixture.CODEC.writePublicKey(STRANGER.getPublic()));
        Files.delete(fx.trust.directory().resolve("acme-2.pem"));
        assertEquals(Verdict.VERIFIED, verifier.verify(pkg).verdict(), "the edited acme.pem is read again");
        // a revocation list written by hand
        Files.writeString(fx.trust.directory().resolve("revoked.txt"), "# leaked\n" + Fixture.id(STRANGER) + " lost laptop\n");
        assertRejected(verifier.verify(pkg), Check.NOT_REVOKED, Reason.REVOKED_KEY, Fixture.id(STRANGER));
        // a broken revocation list fails closed
        Files.writeString(fx.trust.directory().resolve("revoked.txt"), "not-a-key-id\n");
        PackageException e = assertThrows(PackageException.class, () -> verifier.verify(pkg));
        assertEquals(Reason.TRUST_STORE, e.reason());
        assertTrue(e.getMessage().contains("revoked.txt:1"), e.getMessage());
    }
}
