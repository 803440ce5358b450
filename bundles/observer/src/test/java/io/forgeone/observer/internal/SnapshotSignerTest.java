package io.forgeone.observer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.crypto.SignatureScheme;
import io.forgeone.api.observe.SnapshotException;
import io.forgeone.crypto.internal.Ed25519Scheme;
import io.forgeone.crypto.internal.KeyCodecImpl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signer when the crypto services are late or missing: a snapshot is never written unsigned, nor an unsigned one
 * accepted, because the crypto bundle had not registered its services yet.
 */
@Timeout(30)
class SnapshotSignerTest {
    private static final String CRYPTO = "io.forgeone.crypto";

    @TempDir
    Path tmp;

    private static byte[] digest(String text) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void bindCrypto(SnapshotSigner signer) {
        signer.bindCodec(new KeyCodecImpl(Node.BC));
        signer.bindScheme(new Ed25519Scheme(Node.BC));
    }

    /**
     * A crypto bundle that is starting: the signer asks whether one is on the way only when the services are
     * missing, and it binds them from another thread once asked, so they arrive while the signer waits.
     */
    private static final class StartingCrypto {
        final CountDownLatch asked = new CountDownLatch(1);
        SnapshotSigner signer;
        Thread binder;

        String provider() {
            asked.countDown();
            return CRYPTO;
        }

        void bindWhenAsked() {
            binder = new Thread(() -> {
                try {
                    asked.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                bindCrypto(signer);
            }, "late-crypto");
            binder.start();
        }
    }

    private SnapshotSigner startingCrypto(StartingCrypto crypto) {
        crypto.signer = new SnapshotSigner(tmp.resolve("keys"), crypto::provider, Duration.ofSeconds(20));
        crypto.bindWhenAsked();
        return crypto.signer;
    }

    @Test
    void withoutACryptoBundleOrAKeySnapshotsAreUnsignedAtOnce() throws Exception {
        SnapshotSigner signer = new SnapshotSigner(tmp.resolve("keys"), () -> null, Duration.ofSeconds(20));
        long start = System.nanoTime();
        SnapshotSigner.Signature signature = signer.sign(digest("body"));
        assertEquals("", signature.signer());
        assertEquals(0, signature.bytes().length);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "no waiting without a crypto bundle");
        // and an unsigned file passes on its checksum alone, as documented
        signer.verify(tmp.resolve("a.fsnap"), "", digest("body"), new byte[0]);
    }

    @Test
    void aSnapshotTakenWhileTheCryptoBundleStartsWaitsForItAndIsSigned() throws Exception {
        StartingCrypto crypto = new StartingCrypto();
        SnapshotSigner signer = startingCrypto(crypto);
        byte[] digest = digest("body");
        SnapshotSigner.Signature signature = signer.sign(digest);
        crypto.binder.join();
        assertEquals(0, crypto.asked.getCount(), "the services came while the signer waited");
        assertTrue(signature.signer().startsWith(SignatureScheme.ED25519 + ":"), signature.signer());
        assertTrue(signature.bytes().length > 0);
        assertTrue(Files.isRegularFile(tmp.resolve("keys").resolve(SnapshotSigner.KEY_FILE)));
        signer.verify(tmp.resolve("a.fsnap"), signature.signer(), digest, signature.bytes());
    }

    @Test
    void anUnsignedFileIsNotAcceptedWhileTheCryptoBundleStarts() throws Exception {
        StartingCrypto crypto = new StartingCrypto();
        SnapshotSigner signer = startingCrypto(crypto);
        SnapshotException e = assertThrows(SnapshotException.class,
                () -> signer.verify(tmp.resolve("a.fsnap"), "", digest("body"), new byte[0]));
        crypto.binder.join();
        assertTrue(e.getMessage().contains("a.fsnap: the snapshot is not signed"), e.getMessage());
    }

    @Test
    void servicesThatNeverComeFailTheSnapshotRatherThanLeaveItUnsigned() throws Exception {
        SnapshotSigner signer = new SnapshotSigner(tmp.resolve("keys"), () -> CRYPTO, Duration.ofMillis(300));
        SnapshotException e = assertThrows(SnapshotException.class, () -> signer.sign(digest("body")));
        assertTrue(e.getMessage().startsWith("the snapshot is not written: this node signs snapshots (its crypto bundle "
                + CRYPTO + " is started), but the key codec and the Ed25519 scheme did not become available within"),
                e.getMessage());
        SnapshotException check = assertThrows(SnapshotException.class,
                () -> signer.verify(tmp.resolve("b.fsnap"), "", digest("body"), new byte[0]));
        assertTrue(check.getMessage().startsWith(tmp.resolve("b.fsnap") + ": this node signs snapshots"),
                check.getMessage());
    }

    @Test
    void onlyTheMissingServiceIsNamed() throws Exception {
        SnapshotSigner signer = new SnapshotSigner(tmp.resolve("keys"), () -> CRYPTO, Duration.ofMillis(200));
        signer.bindCodec(new KeyCodecImpl(Node.BC));
        SnapshotException e = assertThrows(SnapshotException.class, () -> signer.sign(digest("body")));
        assertTrue(e.getMessage().contains("), but the Ed25519 scheme did not become available"), e.getMessage());
    }

    @Test
    void aNodeWithASnapshotKeyButNoCryptoBundleRefusesToWriteUnsigned() throws Exception {
        Path keys = tmp.resolve("keys");
        SnapshotSigner before = new SnapshotSigner(keys);
        bindCrypto(before);
        assertTrue(before.sign(digest("first")).signer().startsWith(SignatureScheme.ED25519 + ":"));

        SnapshotSigner after = new SnapshotSigner(keys, () -> null, Duration.ofMillis(200));
        SnapshotException e = assertThrows(SnapshotException.class, () -> after.sign(digest("second")));
        assertTrue(e.getMessage().contains("it has a snapshot key (" + keys.resolve(SnapshotSigner.KEY_FILE)
                + ") but no crypto bundle is started"), e.getMessage());
    }

    @Test
    void aWaitingSnapshotCanBeInterrupted() throws Exception {
        SnapshotSigner signer = new SnapshotSigner(tmp.resolve("keys"), () -> CRYPTO, Duration.ofSeconds(20));
        CountDownLatch started = new CountDownLatch(1);
        Throwable[] thrown = new Throwable[1];
        Thread taker = new Thread(() -> {
            started.countDown();
            try {
                signer.sign(digest("body"));
            } catch (Throwable t) {
                thrown[0] = t;
            }
        }, "snapshot");
        taker.start();
        started.await();
        taker.interrupt();
        taker.join(10_000);
        assertTrue(thrown[0] instanceof SnapshotException, String.valueOf(thrown[0]));
        assertTrue(thrown[0].getMessage().contains("interrupted while waiting"), thrown[0].getMessage());
    }
}
