package io.forgeone.pkg.internal;

import static io.forgeone.pkg.internal.Fixture.ACME_ED;
import static io.forgeone.pkg.internal.Fixture.ACME_PQ;
import static io.forgeone.pkg.internal.Fixture.OTHER;
import static io.forgeone.pkg.internal.Fixture.STRANGER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.pkg.PackageException.Reason;
import io.forgeone.api.pkg.Revocation;
import io.forgeone.api.pkg.TrustedKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustStoreTest {
    @TempDir
    Path dir;
    private Fixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixture(dir);
    }

    @Test
    void addListRevoke() throws Exception {
        List<TrustedKey> keys = fx.trust.list();
        assertEquals(List.of("acme", "acme", "other"), keys.stream().map(TrustedKey::name).toList());
        assertTrue(keys.stream().anyMatch(k -> k.id().equals(Fixture.id(ACME_PQ)) && k.info().algorithm().equals("ml-dsa-65")));
        assertEquals(2, Fixture.CODEC.readPublicKeys(Files.readString(dir.resolve("trust/acme.pem"))).size(),
                "both of acme's keys in acme.pem");
        assertEquals(keys.get(0), fx.trust.add("acme", Fixture.CODEC.writePublicKey(
                keys.get(0).key())), "adding again changes nothing");

        Revocation r = fx.trust.revoke(Fixture.id(ACME_ED), "  key leaked  ");
        assertEquals("key leaked", r.reason());
        assertTrue(fx.trust.isRevoked(Fixture.id(ACME_ED)));
        assertTrue(fx.trust.find(Fixture.id(ACME_ED)).orElseThrow().revoked());
        assertEquals(r, fx.trust.revoke(Fixture.id(ACME_ED), "again"));
        // a key that is not in the store can be revoked ahead of time
        fx.trust.revoke(Fixture.id(STRANGER), "");
        assertEquals(2, fx.trust.revocations().size());
        assertFalse(fx.trust.find(Fixture.id(STRANGER)).isPresent());
    }

    @Test
    void oneKeyTwoPublishersIsRefused() {
        PackageException e = assertThrows(PackageException.class,
                () -> fx.trust.add("acme", Fixture.CODEC.writePublicKey(OTHER.getPublic())));
        assertEquals(Reason.TRUST_STORE, e.reason());
        assertTrue(e.getMessage().contains("already trusted for 'other'"));
    }

    @Test
    void badInputIsNamed() {
        assertEquals(Reason.MALFORMED, assertThrows(PackageException.class, () -> fx.trust.add("../x", "")).reason());
        assertEquals(Reason.MALFORMED, assertThrows(PackageException.class, () -> fx.trust.add("x", "junk")).reason());
        assertEquals(Reason.MALFORMED, assertThrows(PackageException.class, () -> fx.trust.revoke("ABC", "")).reason());
    }

    @Test
    void anUnreadableKeyFileIsIgnoredAndAKeyInTwoFilesIsTrustedForNeither() throws Exception {
        Files.writeString(dir.resolve("trust/broken.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        Files.writeString(dir.resolve("trust/copycat.pem"), Fixture.CODEC.writePublicKey(OTHER.getPublic()));
        List<TrustedKey> keys = fx.trust.list();
        assertEquals(List.of("acme", "acme"), keys.stream().map(TrustedKey::name).toList());
    }

    @Test
    void directoryIsResolvedAgainstTheHome() {
        assertEquals(Path.of("/opt/forge/etc/trust"), TrustStoreImpl.resolve("etc/trust", "/opt/forge"));
        assertEquals(Path.of("/abs"), TrustStoreImpl.resolve("/abs", "/opt/forge"));
        assertEquals(Path.of("etc/trust"), TrustStoreImpl.resolve("etc/trust", null));
    }
}
