package io.forgeone.observer.internal;

import io.forgeone.api.crypto.CryptoException;
import io.forgeone.api.crypto.KeyCodec;
import io.forgeone.api.crypto.SignatureScheme;
import io.forgeone.api.observe.SnapshotException;
import io.forgeone.api.pkg.TrustStore;
import io.forgeone.api.pkg.TrustedKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs snapshot files with the node's snapshot key and verifies them. The key is an Ed25519 key pair made on first
 * use in {@code ${forge.var}/keys/snapshot-node.pem} (private, owner-only) with its public half in
 * {@code snapshot-node.pub.pem}, for other nodes' trust stores ({@code forge trust add NODE snapshot-node.pub.pem}).
 * A file verifies when it is signed by this node's key or by a key in the trust store that is not revoked. With no
 * crypto bundle installed, files are written unsigned and only their checksums are checked.
 */
@Component(service = SnapshotSigner.class)
public final class SnapshotSigner {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSigner.class);
    static final String KEY_FILE = "snapshot-node.pem";
    static final String PUBLIC_KEY_FILE = "snapshot-node.pub.pem";

    /** A signature and who made it ({@code scheme:key-id}); both empty for an unsigned file. */
    record Signature(String signer, byte[] bytes) {
    }

    private final Path keyDir;
    private final List<SignatureScheme> schemes = new CopyOnWriteArrayList<>();
    private volatile KeyCodec codec;
    private volatile TrustStore trust;
    private PrivateKey key;
    private PublicKey publicKey;

    /**
     * The crypto bundle's services, looked up when a snapshot is signed or checked rather than bound when this
     * component starts: binding them would start BouncyCastle and every signature scheme in each command-line JVM
     * that merely could take a snapshot (about 300 ms of `forge run`). Null in unit tests, which bind directly.
     */
    private final org.osgi.util.tracker.ServiceTracker<KeyCodec, KeyCodec> codecs;
    private final org.osgi.util.tracker.ServiceTracker<SignatureScheme, SignatureScheme> schemeTracker;
    private final org.osgi.util.tracker.ServiceTracker<TrustStore, TrustStore> trusts;
    private volatile boolean tracking;

    @Activate
    public SnapshotSigner(BundleContext context) {
        this.keyDir = Path.of(context.getProperty("forge.var") == null ? "." : context.getProperty("forge.var"))
                .resolve("keys");
        this.codecs = new org.osgi.util.tracker.ServiceTracker<>(context, KeyCodec.class, null);
        this.schemeTracker = new org.osgi.util.tracker.ServiceTracker<>(context, SignatureScheme.class, null);
        this.trusts = new org.osgi.util.tracker.ServiceTracker<>(context, TrustStore.class, null);
    }

    SnapshotSigner(Path keyDir) {
        this.keyDir = keyDir;
        this.codecs = null;
        this.schemeTracker = null;
        this.trusts = null;
    }

    @org.osgi.service.component.annotations.Deactivate
    void deactivate() {
        if (codecs != null) {
            codecs.close();
            schemeTracker.close();
            trusts.close();
        }
    }

    /** Opens the trackers on first use (opening them starts nothing; asking a tracker for a service does). */
    private void track() {
        if (codecs != null && !tracking) {
            synchronized (this) {
                if (!tracking) {
                    codecs.open();
                    schemeTracker.open();
                    trusts.open();
                    tracking = true;
                }
            }
        }
    }

    /** The key codec: one bound directly (tests), else the crypto bundle's, or null when it is not installed. */
    private KeyCodec codec() {
        KeyCodec c = this.codec;
        if (c == null && codecs != null) {
            track();
            c = codecs.getService();
        }
        return c;
    }

    /** The trust store: one bound directly (tests), else the pkg bundle's, or null when it is not installed. */
    private TrustStore trust() {
        TrustStore t = this.trust;
        if (t == null && trusts != null) {
            track();
            t = trusts.getService();
        }
        return t;
    }

    void bindCodec(KeyCodec c) {
        codec = c;
    }

    void unbindCodec(KeyCodec c) {
        if (codec == c) {
            codec = null;
        }
    }

    void bindScheme(SignatureScheme scheme) {
        schemes.add(scheme);
    }

    void unbindScheme(SignatureScheme scheme) {
        schemes.remove(scheme);
    }

    void bindTrust(TrustStore store) {
        trust = store;
    }

    void unbindTrust(TrustStore store) {
        if (trust == store) {
            trust = null;
        }
    }

    /** Whether this node signs (and so demands signatures). */
    boolean signing() {
        return codec() != null && scheme(SignatureScheme.ED25519).isPresent();
    }

    Signature sign(byte[] digest) {
        if (!signing()) {
            LOG.debug("No Ed25519 scheme or key codec installed; snapshot written unsigned");
            return new Signature("", new byte[0]);
        }
        SignatureScheme ed = scheme(SignatureScheme.ED25519).orElseThrow();
        synchronized (this) {
            loadKey(ed);
            return new Signature(SignatureScheme.ED25519 + ":" + codec().keyId(publicKey), ed.sign(key, digest));
        }
    }

    /** The node's snapshot public key as PEM (made if there is none yet), or empty without crypto. */
    Optional<String> publicKeyPem() {
        if (!signing()) {
            return Optional.empty();
        }
        synchronized (this) {
            loadKey(scheme(SignatureScheme.ED25519).orElseThrow());
            return Optional.of(codec().writePublicKey(publicKey));
        }
    }

    /**
     * Checks a file's signature over its digest. Unsigned files pass only on a node that does not sign.
     *
     * @throws SnapshotException naming the file and the problem
     */
    void verify(Path file, String signer, byte[] digest, byte[] signature) {
        if (signer.isEmpty()) {
            if (signing()) {
                throw new SnapshotException(file + ": the snapshot is not signed; this node restores only snapshots"
                        + " signed by its own key or a trusted one");
            }
            return;
        }
        int colon = signer.indexOf(':');
        if (colon <= 0) {
            throw new SnapshotException(file + ": the signer '" + signer + "' is malformed: the file is corrupted");
        }
        String schemeName = signer.substring(0, colon);
        String keyId = signer.substring(colon + 1);
        KeyCodec c = codec();
        SignatureScheme scheme = scheme(schemeName).orElseThrow(() -> new SnapshotException(file
                + ": signed with " + schemeName + ", which this node does not have (is the crypto bundle installed?)"));
        PublicKey verifying = null;
        synchronized (this) {
            if (c != null && scheme.name().equals(SignatureScheme.ED25519)) {
                loadKey(scheme);
                if (c.keyId(publicKey).equals(keyId)) {
                    verifying = publicKey;
                }
            }
        }
        if (verifying == null) {
            TrustStore store = trust();
            Optional<TrustedKey> trusted = store == null ? Optional.empty() : store.find(keyId);
            if (trusted.isEmpty()) {
                throw new SnapshotException(file + ": signed by key " + keyId + ", which is neither this node's nor"
                        + " in its trust store (add the signing node's " + PUBLIC_KEY_FILE
                        + " with forge trust add NAME FILE)");
            }
            if (trusted.get().revoked() || store.isRevoked(keyId)) {
                throw new SnapshotException(file + ": signed by key " + keyId + ", which is revoked");
            }
            verifying = trusted.get().key();
        }
        boolean ok;
        try {
            ok = scheme.verify(verifying, digest, signature);
        } catch (CryptoException e) {
            throw new SnapshotException(file + ": the signature cannot be checked: " + e.getMessage(), e);
        }
        if (!ok) {
            throw new SnapshotException(file + ": the signature does not verify against key " + keyId
                    + ": the file was altered after it was signed, or the signature is forged");
        }
    }

    private Optional<SignatureScheme> scheme(String name) {
        for (SignatureScheme s : schemes) {
            if (s.name().equals(name)) {
                return Optional.of(s);
            }
        }
        if (schemeTracker != null) {
            track();
            for (SignatureScheme s : schemeTracker.getTracked().values()) {
                if (s != null && s.name().equals(name)) {
                    return Optional.of(s);
                }
            }
        }
        return Optional.empty();
    }

    private void loadKey(SignatureScheme ed) {
        if (key != null) {
            return;
        }
        KeyCodec c = codec();
        Path file = keyDir.resolve(KEY_FILE);
        try {
            if (Files.isRegularFile(file)) {
                byte[] pem = Files.readAllBytes(file);
                try {
                    key = c.readPrivateKey(pem);
                } finally {
                    Arrays.fill(pem, (byte) 0);
                }
                publicKey = c.publicKeyOf(key);
                return;
            }
            Files.createDirectories(keyDir);
            java.security.KeyPair pair = ed.generate();
            byte[] pem = c.writePrivateKey(pair.getPrivate());
            Path tmp = keyDir.resolve(KEY_FILE + ".tmp");
            try {
                Files.deleteIfExists(tmp);
                Files.createFile(tmp);
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    LOG.debug("{} cannot have POSIX permissions; left as created", tmp, e);
                }
                Files.write(tmp, pem);
                Files.move(tmp, file);
            } finally {
                Arrays.fill(pem, (byte) 0);
                Files.deleteIfExists(tmp);
            }
            Files.writeString(keyDir.resolve(PUBLIC_KEY_FILE), c.writePublicKey(pair.getPublic()),
                    StandardCharsets.US_ASCII);
            key = pair.getPrivate();
            publicKey = pair.getPublic();
            LOG.info("Made this node's snapshot signing key {} ({})", c.keyId(publicKey), file);
        } catch (IOException e) {
            throw new SnapshotException("the node's snapshot key " + file + " cannot be read or made: "
                    + e.getMessage(), e);
        } catch (CryptoException e) {
            throw new SnapshotException("the node's snapshot key " + file + " is unusable: " + e.getMessage(), e);
        }
    }
}
