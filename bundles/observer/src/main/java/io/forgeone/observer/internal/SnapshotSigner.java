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
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs snapshot files with the node's snapshot key and verifies them. The key is an Ed25519 key pair made on first
 * use in {@code ${forge.var}/keys/snapshot-node.pem} (private, owner-only) with its public half in
 * {@code snapshot-node.pub.pem}, for other nodes' trust stores ({@code forge trust add NODE snapshot-node.pub.pem}).
 * A file verifies when it is signed by this node's key or by a key in the trust store that is not revoked. With no
 * crypto bundle installed, files are written unsigned and only their checksums are checked.
 *
 * <p>The crypto services are looked up when a snapshot is signed or checked, not bound when this component starts
 * (binding them started BouncyCastle and every scheme in each command-line JVM). A node whose crypto bundle is
 * started or starting, or that has a snapshot key already, signs: if the key codec or the Ed25519 scheme is not
 * registered yet, signing and checking wait for them (at most {@link #CRYPTO_WAIT}) and then fail; a file is never
 * written unsigned, nor an unsigned file accepted, because they were late.
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

    /** How long signing or checking waits for the crypto services of a bundle that is starting. */
    static final Duration CRYPTO_WAIT = Duration.ofSeconds(10);

    /**
     * The crypto bundle's services, opened on first use (opening them starts BouncyCastle and the schemes, which a
     * command-line JVM that never signs must not pay for). Null in unit tests, which bind directly.
     */
    private final ServiceTracker<KeyCodec, KeyCodec> codecs;
    private final ServiceTracker<SignatureScheme, SignatureScheme> schemeTracker;
    private final ServiceTracker<TrustStore, TrustStore> trusts;
    private volatile boolean tracking;
    /** The started or starting bundle that provides the key codec or signature schemes, or null when there is none. */
    private final Supplier<String> cryptoProvider;
    private final Duration cryptoWait;
    /** Counts services arriving (bound or tracked), under its own lock, for the wait in {@link #signing(String)}. */
    private final Object arrivals = new Object();
    private long arrived;

    @Activate
    public SnapshotSigner(BundleContext context) {
        this.keyDir = Path.of(context.getProperty("forge.var") == null ? "." : context.getProperty("forge.var"))
                .resolve("keys");
        this.codecs = tracker(context, KeyCodec.class);
        this.schemeTracker = tracker(context, SignatureScheme.class);
        this.trusts = tracker(context, TrustStore.class);
        this.cryptoProvider = () -> startedProvider(context);
        this.cryptoWait = CRYPTO_WAIT;
    }

    /** Unit tests: services bound with the bind methods; no crypto bundle on the way. */
    SnapshotSigner(Path keyDir) {
        this(keyDir, () -> null, CRYPTO_WAIT);
    }

    /** Unit tests: services bound with the bind methods, {@code cryptoProvider} telling whether they are coming. */
    SnapshotSigner(Path keyDir, Supplier<String> cryptoProvider, Duration cryptoWait) {
        this.keyDir = keyDir;
        this.codecs = null;
        this.schemeTracker = null;
        this.trusts = null;
        this.cryptoProvider = cryptoProvider;
        this.cryptoWait = cryptoWait;
    }

    private <S> ServiceTracker<S, S> tracker(BundleContext context, Class<S> type) {
        return new ServiceTracker<>(context, type, null) {
            @Override
            public S addingService(ServiceReference<S> reference) {
                S service = super.addingService(reference);
                arrived();
                return service;
            }
        };
    }

    @Deactivate
    void deactivate() {
        if (codecs != null) {
            codecs.close();
            schemeTracker.close();
            trusts.close();
        }
    }

    /** Opens the trackers on first use (opening them gets the services, which starts them). */
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

    /** The key codec: one bound directly (tests), else the crypto bundle's, or null when it is not there (yet). */
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

    private void arrived() {
        synchronized (arrivals) {
            arrived++;
            arrivals.notifyAll();
        }
    }

    /**
     * The symbolic name of a bundle that provides a key codec or signature scheme (its {@code osgi.service}
     * capability, which bnd writes for its components) and is started, starting, or marked to start; null if none.
     */
    static String startedProvider(BundleContext context) {
        for (Bundle bundle : context.getBundles()) {
            int state = bundle.getState();
            boolean coming = (state & (Bundle.STARTING | Bundle.ACTIVE)) != 0;
            if (!coming && (state & (Bundle.INSTALLED | Bundle.RESOLVED)) != 0) {
                BundleStartLevel level = bundle.adapt(BundleStartLevel.class);
                coming = level != null && level.isPersistentlyStarted();
            }
            BundleRevision revision = coming ? bundle.adapt(BundleRevision.class) : null;
            if (revision == null) {
                continue;
            }
            for (BundleCapability capability : revision.getDeclaredCapabilities("osgi.service")) {
                Object classes = capability.getAttributes().get("objectClass");
                Collection<?> names = classes instanceof Collection<?> c ? c : List.of(String.valueOf(classes));
                if (names.contains(KeyCodec.class.getName()) || names.contains(SignatureScheme.class.getName())) {
                    return bundle.getSymbolicName();
                }
            }
        }
        return null;
    }

    void bindCodec(KeyCodec c) {
        codec = c;
        arrived();
    }

    void unbindCodec(KeyCodec c) {
        if (codec == c) {
            codec = null;
        }
    }

    void bindScheme(SignatureScheme scheme) {
        schemes.add(scheme);
        arrived();
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

    private boolean ready() {
        return codec() != null && scheme(SignatureScheme.ED25519).isPresent();
    }

    /**
     * Whether this node signs (and so demands signatures): it has the key codec and the Ed25519 scheme. A node
     * without them signs nothing, unless its crypto bundle is started or starting or it has a snapshot key: then
     * this waits for them, at most {@link #cryptoWait}.
     *
     * @param what what needs to know, for the error: the file being checked, or that a snapshot is being written
     * @throws SnapshotException when the node should sign but the services did not come in time
     */
    boolean signing(String what) {
        if (ready()) {
            return true;
        }
        String provider = cryptoProvider.get();
        boolean hasKey = Files.isRegularFile(keyDir.resolve(KEY_FILE));
        if (provider == null && !hasKey) {
            return false; // no crypto bundle: unsigned files, checksums only (docs/snapshots.md)
        }
        long deadline = System.nanoTime() + cryptoWait.toNanos();
        while (true) {
            long seen;
            synchronized (arrivals) {
                seen = arrived;
            }
            if (ready()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            synchronized (arrivals) {
                try {
                    while (arrived == seen && left > 0) {
                        TimeUnit.NANOSECONDS.timedWait(arrivals, left);
                        left = deadline - System.nanoTime();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SnapshotException(what + ": interrupted while waiting for the crypto bundle's "
                            + "signature services", e);
                }
            }
        }
        String missing = codec() == null ? scheme(SignatureScheme.ED25519).isPresent() ? "the key codec"
                : "the key codec and the Ed25519 scheme" : "the Ed25519 scheme";
        String why = provider != null ? "its crypto bundle " + provider + " is started"
                : "it has a snapshot key (" + keyDir.resolve(KEY_FILE) + ") but no crypto bundle is started";
        throw new SnapshotException(what + ": this node signs snapshots (" + why + "), but " + missing
                + " did not become available within " + cryptoWait.toSeconds() + " s; nothing is signed or checked"
                + " without them (see the node's log for why the crypto bundle's components did not start)");
    }

    Signature sign(byte[] digest) {
        if (!signing("the snapshot is not written")) {
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
        if (!signing("the node's snapshot public key")) {
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
        boolean signs = signing(file.toString());
        if (signer.isEmpty()) {
            if (signs) {
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
