package io.forgeone.pkg.internal;

import static io.forgeone.pkg.internal.Fixture.ACME_ED;
import static io.forgeone.pkg.internal.Fixture.STRANGER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.pkg.PackageException.Reason;
import io.forgeone.api.pkg.VerificationReport.Check;
import io.forgeone.api.pkg.VerificationReport.Verdict;
import io.forgeone.api.pkg.VerifiedPackage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class PackageStoreTest {
    @TempDir
    Path dir;
    private Fixture fx;
    private PackageVerifierImpl verifier;
    private PackageBuilderImpl builder;
    private PackageStoreImpl store;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixture(dir);
        verifier = fx.enforcing();
        builder = fx.builder(verifier);
        store = new PackageStoreImpl(dir.resolve("store"), verifier, 16);
    }

    @Test
    void openVerifiesKeepsAndReads() throws Exception {
        Path pkg = fx.signedPackage(builder, "app", ACME_ED);
        VerifiedPackage opened = store.open(pkg);
        assertEquals(Verdict.VERIFIED, opened.report().verdict());
        assertFalse(opened.report().fromStore());
        String id = SafetyChecks.sha256Hex(Files.readAllBytes(pkg));
        assertEquals(id, opened.id());
        assertEquals(List.of(id), store.list());
        assertArrayEquals(Files.readAllBytes(pkg), Files.readAllBytes(store.directory().resolve(id + ".forgepkg")));
        assertArrayEquals(Fixture.WASM, opened.entrypoint());
        assertEquals("hello, world\n".repeat(50), new String(opened.read("assets/greeting.txt"), StandardCharsets.UTF_8));
        PackageException e = assertThrows(PackageException.class, () -> opened.read("nope"));
        assertEquals(Reason.MALFORMED, e.reason());
        assertTrue(store.remove(id));
        assertFalse(store.remove(id));
        assertEquals(List.of(), store.list());
    }

    @Test
    void aStoreHitSkipsVerificationButNotTheTrustDecision() throws Exception {
        Path pkg = fx.signedPackage(builder, "hit", ACME_ED);
        store.open(pkg);
        assertEquals(1, fx.verifyCalls.get(), "first open checks the signature");

        VerifiedPackage again = store.open(pkg);
        assertTrue(again.report().fromStore());
        assertEquals(Verdict.VERIFIED, again.report().verdict());
        assertEquals(1, fx.verifyCalls.get(), "unchanged bytes: no signature is checked again");
        assertTrue(again.report().check(Check.ENTRIES_PINNED).orElseThrow().detail().contains("when the store took"));
        assertArrayEquals(Fixture.WASM, again.entrypoint(), "entries are still checked against their pins when read");

        // a store (a new process) that finds the file but remembers nothing checks the signature, not the digests
        PackageStoreImpl restarted = new PackageStoreImpl(dir.resolve("store"), verifier, 16);
        assertTrue(restarted.open(pkg).report().fromStore());
        assertEquals(2, fx.verifyCalls.get());

        // revoking the key takes effect on the next open, stored or not
        fx.trust.revoke(Fixture.id(ACME_ED), "compromised");
        PackageException e = assertThrows(PackageException.class, () -> store.open(pkg));
        assertEquals(Reason.REVOKED_KEY, e.reason());
        assertTrue(e.report().orElseThrow().fromStore());
        assertEquals(2, fx.verifyCalls.get());
    }

    @Test
    void aRefusedPackageIsNotWritten() throws Exception {
        Path pkg = fx.signedPackage(builder, "refused", STRANGER);
        PackageException e = assertThrows(PackageException.class, () -> store.open(pkg));
        assertEquals(Reason.UNTRUSTED_KEY, e.reason());
        assertTrue(e.getMessage().contains("trusted-key"), e.getMessage());
        assertEquals(Check.TRUSTED_KEY, e.report().orElseThrow().firstFailure().orElseThrow().name());
        assertFalse(Files.exists(dir.resolve("store")), "nothing is written before verification passes");
    }

    @Test
    void aKeyTrustedAfterTheFirstOpenIsCheckedThen() throws Exception {
        Path pkg = fx.signedPackage(builder, "later", STRANGER);
        PackageVerifierImpl audit = fx.verifier(Map.of("mode", "audit"));
        PackageStoreImpl auditing = new PackageStoreImpl(dir.resolve("store"), audit, 16);
        assertEquals(Verdict.AUDITED, auditing.open(pkg).report().verdict(), "audit mode keeps it despite the unknown key");
        fx.trust.add("acme", Fixture.CODEC.writePublicKey(STRANGER.getPublic()));
        VerifiedPackage now = auditing.open(pkg);
        assertTrue(now.report().fromStore());
        assertEquals(Verdict.VERIFIED, now.report().verdict());
    }

    @Test
    void openRefusesAFileOverTheLimitBeforeReadingIt() throws Exception {
        PackageStoreImpl small = new PackageStoreImpl(dir.resolve("store"), fx.verifier(Map.of("max.package.mib", 1)), 16);
        Path big = dir.resolve("big.forgepkg");
        Files.write(big, new byte[(1 << 20) + 1]);
        PackageException e = assertThrows(PackageException.class, () -> small.open(big));
        assertEquals(Reason.TOO_LARGE, e.reason());
        assertEquals(Reason.IO, assertThrows(PackageException.class, () -> small.open(dir.resolve("none"))).reason());
    }
}
