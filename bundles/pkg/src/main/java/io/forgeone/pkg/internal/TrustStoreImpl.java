package io.forgeone.pkg.internal;

import io.forgeone.api.crypto.CryptoException;
import io.forgeone.api.crypto.KeyCodec;
import io.forgeone.api.crypto.PublicKeyInfo;
import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.pkg.PackageException.Reason;
import io.forgeone.api.pkg.Revocation;
import io.forgeone.api.pkg.TrustStore;
import io.forgeone.api.pkg.TrustedKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trust store in a folder. Every use compares the folder's listing with each file's size and modification
 * time against the last reading and reads the folder again when anything differs, so edits made by hand, by
 * another process or by {@link #add}/{@link #revoke} take effect at the next verification without a restart.
 *
 * <p>A key file that cannot be read is logged and its keys are not trusted (failing closed); a revocation list
 * that cannot be read, or holds a line that is not a key id, fails every use until fixed, since honouring only
 * part of it could trust a revoked key.
 */
@Component(service = TrustStore.class, configurationPid = "io.forgeone.pkg.trust")
@Designate(ocd = TrustStoreConfig.class)
public final class TrustStoreImpl implements TrustStore {
    static final String REVOKED_FILE = "revoked.txt";
    private static final String KEY_SUFFIX = ".pem";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Logger LOG = LoggerFactory.getLogger(TrustStoreImpl.class);

    private final Path directory;
    private final KeyCodec codec;
    private final Object lock = new Object();
    private Map<String, Stamp> stamps = Map.of();
    private Snapshot snapshot;

    private record Stamp(long size, java.time.Instant modified, Object fileKey) {
    }

    /** One reading of the folder. */
    record Snapshot(Map<String, TrustedKey> keys, Map<String, Revocation> revocations) {
        TrustDecision.TrustSnapshot forDecision() {
            return new TrustDecision.TrustSnapshot(keys, revocations.keySet());
        }
    }

    @Activate
    public TrustStoreImpl(TrustStoreConfig config, @Reference KeyCodec codec, BundleContext context) {
        this(resolve(config.directory(), context.getProperty("forge.home")), codec);
    }

    TrustStoreImpl(Path directory, KeyCodec codec) {
        this.directory = directory.toAbsolutePath().normalize();
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    static Path resolve(String configured, String base) {
        Path path = Path.of(configured);
        return path.isAbsolute() || base == null ? path : Path.of(base).resolve(path);
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public List<TrustedKey> list() {
        return snapshot().keys().values().stream()
                .sorted(Comparator.comparing(TrustedKey::name).thenComparing(TrustedKey::id)).toList();
    }

    @Override
    public Optional<TrustedKey> find(String keyId) {
        return Optional.ofNullable(snapshot().keys().get(keyId));
    }

    @Override
    public boolean isRevoked(String keyId) {
        return snapshot().revocations().containsKey(keyId);
    }

    @Override
    public List<Revocation> revocations() {
        return List.copyOf(snapshot().revocations().values());
    }

    @Override
    public TrustedKey add(String name, String publicKeyPem) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new PackageException(Reason.MALFORMED, "a trust name must be 1..128 of [A-Za-z0-9._-] starting with"
                    + " a letter or digit, was '" + name + "'");
        }
        PublicKey key;
        try {
            key = codec.readPublicKey(publicKeyPem);
        } catch (CryptoException e) {
            throw new PackageException(Reason.MALFORMED, "cannot add a key for '" + name + "': " + e.getMessage(), e);
        }
        String id = codec.keyId(key);
        synchronized (lock) {
            Snapshot current = snapshot();
            TrustedKey existing = current.keys().get(id);
            if (existing != null) {
                if (!existing.name().equals(name)) {
                    throw new PackageException(Reason.TRUST_STORE, "key " + id + " is already trusted for '"
                            + existing.name() + "', not '" + name + "'");
                }
                return existing;
            }
            Path file = directory.resolve(name + KEY_SUFFIX);
            try {
                Files.createDirectories(directory);
                String before = Files.exists(file) ? Files.readString(file, StandardCharsets.US_ASCII) : "";
                String separator = before.isEmpty() || before.endsWith("\n") ? "" : "\n";
                writeAtomically(file, before + separator + codec.writePublicKey(key));
            } catch (IOException e) {
                throw new PackageException(Reason.IO, "cannot write " + file + ": " + e.getMessage(), e);
            }
            LOG.info("Trusting {} key {} for '{}'", codec.algorithm(key), id, name);
            TrustedKey added = snapshot().keys().get(id);
            if (added == null) {
                throw new PackageException(Reason.TRUST_STORE, "key " + id + " was written to " + file
                        + " but is not read back");
            }
            return added;
        }
    }

    @Override
    public Revocation revoke(String keyId, String reason) {
        if (!PublicKeyInfo.isKeyId(keyId)) {
            throw new PackageException(Reason.MALFORMED, "not a key id (64 lowercase hex digits): '" + keyId + "'");
        }
        Revocation revocation = new Revocation(keyId, reason == null ? "" : reason.strip());
        synchronized (lock) {
            Revocation existing = snapshot().revocations().get(keyId);
            if (existing != null) {
                return existing;
            }
            Path file = directory.resolve(REVOKED_FILE);
            try {
                Files.createDirectories(directory);
                String before = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
                String separator = before.isEmpty() || before.endsWith("\n") ? "" : "\n";
                String line = keyId + (revocation.reason().isEmpty() ? "" : " " + revocation.reason()) + "\n";
                writeAtomically(file, before + separator + line);
            } catch (IOException e) {
                throw new PackageException(Reason.IO, "cannot write " + file + ": " + e.getMessage(), e);
            }
            LOG.info("Revoked key {}{}", keyId, revocation.reason().isEmpty() ? "" : ": " + revocation.reason());
            snapshot();
            return revocation;
        }
    }

    /** The current reading, re-read when the folder changed since the last one. */
    Snapshot snapshot() {
        synchronized (lock) {
            Map<String, Stamp> now = stamp();
            if (snapshot == null || !now.equals(stamps)) {
                snapshot = load(now.keySet());
                stamps = now;
            }
            return snapshot;
        }
    }

    private Map<String, Stamp> stamp() {
        Map<String, Stamp> out = new TreeMap<>();
        if (!Files.isDirectory(directory)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (!name.endsWith(KEY_SUFFIX) && !name.equals(REVOKED_FILE)) {
                    continue;
                }
                try {
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                    out.put(name, new Stamp(a.size(), a.lastModifiedTime().toInstant(), a.fileKey()));
                } catch (NoSuchFileException e) {
                    // removed while listing: the next use sees the folder without it
                    LOG.debug("{} vanished while reading the trust store", f);
                }
            }
        } catch (IOException e) {
            throw new PackageException(Reason.TRUST_STORE, "cannot list the trust store " + directory + ": "
                    + e.getMessage(), e);
        }
        return out;
    }

    private Snapshot load(Set<String> files) {
        Map<String, TrustedKey> keys = new LinkedHashMap<>();
        Set<String> ambiguous = new java.util.HashSet<>();
        Map<String, Revocation> revocations = readRevocations(files.contains(REVOKED_FILE));
        for (String file : files) {
            if (!file.endsWith(KEY_SUFFIX)) {
                continue;
            }
            String name = file.substring(0, file.length() - KEY_SUFFIX.length());
            Path path = directory.resolve(file);
            if (!NAME.matcher(name).matches()) {
                LOG.warn("Ignoring trust file {}: '{}' is not a valid publisher name", path, name);
                continue;
            }
            List<PublicKey> found;
            try {
                found = codec.readPublicKeys(Files.readString(path, StandardCharsets.US_ASCII));
            } catch (IOException | CryptoException e) {
                LOG.warn("Ignoring trust file {}: its keys are not trusted: {}", path, e.getMessage());
                continue;
            }
            for (PublicKey key : found) {
                PublicKeyInfo info = codec.describe(key, name);
                TrustedKey previous = keys.putIfAbsent(info.id(),
                        new TrustedKey(info, key, revocations.containsKey(info.id())));
                if (previous != null && !previous.name().equals(name)) {
                    // one key speaking for two publishers is ambiguous: trust it for neither
                    LOG.warn("Key {} is in both {}.pem and {}.pem: trusted for neither", info.id(), previous.name(), name);
                    ambiguous.add(info.id());
                }
            }
        }
        keys.keySet().removeAll(ambiguous);
        LOG.debug("Trust store {}: {} keys, {} revocations", directory, keys.size(), revocations.size());
        return new Snapshot(Map.copyOf(keys), Map.copyOf(revocations));
    }

    private Map<String, Revocation> readRevocations(boolean present) {
        Map<String, Revocation> out = new LinkedHashMap<>();
        if (!present) {
            return out;
        }
        Path path = directory.resolve(REVOKED_FILE);
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PackageException(Reason.TRUST_STORE, "cannot read the revocation list " + path + ": "
                    + e.getMessage(), e);
        }
        int lineNo = 0;
        for (String raw : lines) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            if (!PublicKeyInfo.isKeyId(parts[0])) {
                throw new PackageException(Reason.TRUST_STORE, path + ":" + lineNo + ": not a key id (64 lowercase hex "
                        + "digits): '" + parts[0] + "'; no package is accepted until the revocation list is fixed");
            }
            out.putIfAbsent(parts[0], new Revocation(parts[0], parts.length > 1 ? parts[1] : ""));
        }
        return out;
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public String toString() {
        return "TrustStore[" + directory + ", " + list().stream().map(TrustedKey::name).collect(Collectors.toSet()) + "]";
    }
}
