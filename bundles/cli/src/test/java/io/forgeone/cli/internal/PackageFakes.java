package io.forgeone.cli.internal;

import io.forgeone.api.crypto.CryptoException;
import io.forgeone.api.crypto.KeyCodec;
import io.forgeone.api.crypto.PublicKeyInfo;
import io.forgeone.api.crypto.SignatureScheme;
import io.forgeone.api.pkg.PackageBuilder;
import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.pkg.PackageInfo;
import io.forgeone.api.pkg.PackageManifest;
import io.forgeone.api.pkg.PackageVerifier;
import io.forgeone.api.pkg.Revocation;
import io.forgeone.api.pkg.TrustStore;
import io.forgeone.api.pkg.TrustedKey;
import io.forgeone.api.pkg.VerificationMode;
import io.forgeone.api.pkg.VerificationReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** In-memory stand-ins for the package and key services, recording what the commands asked of them. */
final class PackageFakes {
    static final String KEY = "5c1d".repeat(16);
    static final String KEY2 = "9f8e".repeat(16);
    static final String SHA = "ab".repeat(32);

    private PackageFakes() {
    }

    static PackageManifest manifest() {
        return new PackageManifest("hello", "1.0.0", "hello.wasm", List.of("wasi:stdout"),
                PackageManifest.Limits.DEFAULT, new PackageManifest.Publisher("acme", List.of(KEY, KEY2)),
                Instant.parse("2026-01-31T12:00:00Z"), Instant.parse("2027-01-31T12:00:00Z"),
                List.of(new PackageManifest.Entry("hello.wasm", SHA, 1234)));
    }

    static PackageInfo info(List<PackageInfo.SignatureEntry> signatures) {
        return new PackageInfo("cd".repeat(32), 4321, manifest(), signatures);
    }

    static PackageInfo.SignatureEntry signature(String keyId, String scheme) {
        return new PackageInfo.SignatureEntry(keyId, scheme, "signatures/" + keyId + "." + scheme + ".sig", 64);
    }

    static VerificationReport report(VerificationReport.Verdict verdict, VerificationReport.Check... checks) {
        return new VerificationReport("cd".repeat(32), manifest(), VerificationMode.ENFORCE, List.of(checks), verdict,
                false);
    }

    /** A services holder with every fake bound, and no waiting for missing ones. */
    static OptionalServices services(Object... services) {
        OptionalServices s = new OptionalServices(java.time.Duration.ZERO, OptionalServices.PACKAGE_BUNDLES);
        for (Object o : services) {
            if (o instanceof Builder b) {
                s.bind(PackageBuilder.class, b);
            } else if (o instanceof Verifier v) {
                s.bind(PackageVerifier.class, v);
            } else if (o instanceof Trust t) {
                s.bind(TrustStore.class, t);
            } else if (o instanceof Codec c) {
                s.bind(KeyCodec.class, c);
            } else if (o instanceof Scheme sc) {
                s.bindScheme(sc, sc.name());
            }
        }
        return s;
    }

    static final class Builder implements PackageBuilder {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile PackageManifest manifest = manifest();
        volatile RuntimeException failure;
        final List<PackageInfo.SignatureEntry> signatures = new CopyOnWriteArrayList<>();

        @Override
        public PackageManifest build(Path sourceFolder, Path output) {
            calls.add("build " + sourceFolder + " " + output);
            if (failure != null) {
                throw failure;
            }
            try {
                Files.writeString(output, "package");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return manifest;
        }

        @Override
        public PackageInfo sign(Path pkg, PrivateKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PackageInfo sign(Path pkg, Path privateKeyPem) {
            calls.add("sign " + pkg + " " + privateKeyPem);
            if (failure != null) {
                throw failure;
            }
            String name = privateKeyPem.getFileName().toString();
            signatures.add(signature(name.startsWith("pq") ? KEY2 : KEY, name.startsWith("pq") ? "ml-dsa-65"
                    : "ed25519"));
            return info(signatures);
        }

        @Override
        public PackageInfo inspect(Path pkg) {
            calls.add("inspect " + pkg);
            if (failure != null) {
                throw failure;
            }
            return new PackageInfo("cd".repeat(32), 4321, manifest, signatures);
        }
    }

    static final class Verifier implements PackageVerifier {
        final List<byte[]> verified = new CopyOnWriteArrayList<>();
        volatile VerificationReport report;
        volatile RuntimeException failure;

        @Override
        public VerificationReport verify(byte[] pkg) {
            verified.add(pkg);
            if (failure != null) {
                throw failure;
            }
            return report;
        }

        @Override
        public VerificationMode mode() {
            return report.mode();
        }
    }

    static final class Trust implements TrustStore {
        final Path directory;
        final Map<String, TrustedKey> keys = new TreeMap<>();
        final Map<String, Revocation> revoked = new TreeMap<>();
        final List<String> added = new ArrayList<>();
        volatile RuntimeException failure;

        Trust(Path directory) {
            this.directory = directory;
        }

        static TrustedKey key(String id, String name, boolean revoked) {
            return new TrustedKey(new PublicKeyInfo(id, name, "ed25519", "-----BEGIN PUBLIC KEY-----\n"),
                    new Codec().generate().getPublic(), revoked);
        }

        @Override
        public Path directory() {
            return directory;
        }

        @Override
        public List<TrustedKey> list() {
            if (failure != null) {
                throw failure;
            }
            return List.copyOf(keys.values());
        }

        @Override
        public Optional<TrustedKey> find(String keyId) {
            return Optional.ofNullable(keys.get(keyId));
        }

        @Override
        public boolean isRevoked(String keyId) {
            return revoked.containsKey(keyId);
        }

        @Override
        public List<Revocation> revocations() {
            return List.copyOf(revoked.values());
        }

        @Override
        public TrustedKey add(String name, String publicKeyPem) {
            added.add(name + "\n" + publicKeyPem);
            if (failure != null) {
                throw failure;
            }
            TrustedKey k = key(KEY, name, revoked.containsKey(KEY));
            keys.put(KEY, k);
            return k;
        }

        @Override
        public Revocation revoke(String keyId, String reason) {
            if (failure != null) {
                throw failure;
            }
            return revoked.computeIfAbsent(keyId, id -> new Revocation(id, reason));
        }
    }

    /** Real Ed25519 keys from the JDK, PEM without the ASN.1 checks of the real codec. */
    static final class Codec implements KeyCodec {
        final List<byte[]> privatePems = new CopyOnWriteArrayList<>();
        final List<PrivateKey> destroyed = new CopyOnWriteArrayList<>();

        KeyPair generate() {
            try {
                return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public PublicKey readPublicKey(String pem) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<PublicKey> readPublicKeys(String pem) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PrivateKey readPrivateKey(byte[] pemAscii) {
            throw new CryptoException("not used");
        }

        @Override
        public String writePublicKey(PublicKey key) {
            return "-----BEGIN PUBLIC KEY-----\n" + Base64.getEncoder().encodeToString(key.getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
        }

        @Override
        public byte[] writePrivateKey(PrivateKey key) {
            byte[] pem = ("-----BEGIN PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(key.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n").getBytes(StandardCharsets.US_ASCII);
            privatePems.add(pem);
            return pem;
        }

        @Override
        public PublicKey publicKeyOf(PrivateKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String keyId(PublicKey key) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String algorithm(Key key) {
            return "ed25519";
        }

        @Override
        public PublicKeyInfo describe(PublicKey key, String name) {
            return new PublicKeyInfo(keyId(key), name, "ed25519", writePublicKey(key));
        }

        @Override
        public void destroy(PrivateKey key) {
            destroyed.add(key);
        }
    }

    static final class Scheme implements SignatureScheme {
        private final Codec codec;
        private final String name;
        int generated;

        Scheme(Codec codec, String name) {
            this.codec = codec;
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean isPostQuantum() {
            return name.startsWith("ml-") || name.startsWith("slh-");
        }

        @Override
        public KeyPair generate() {
            generated++;
            return codec.generate();
        }

        @Override
        public boolean accepts(Key key) {
            return true;
        }

        @Override
        public byte[] sign(PrivateKey key, byte[] data) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean verify(PublicKey key, byte[] data, byte[] signature) {
            throw new UnsupportedOperationException();
        }
    }

    static PackageException rejected(PackageException.Reason reason, String message) {
        return new PackageException(reason, message);
    }
}
