package io.forgeone.shell.internal;

import io.forgeone.api.crypto.KeyCodec;
import io.forgeone.api.crypto.PublicKeyInfo;
import io.forgeone.api.crypto.SignatureScheme;
import io.forgeone.api.pkg.PackageBuilder;
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
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Stand-ins for the package and key services. */
final class ShellFakes {
    static final String KEY = "5c1d".repeat(16);

    private ShellFakes() {
    }

    static TrustCommandsConfig config(boolean enabled) {
        return new TrustCommandsConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return TrustCommandsConfig.class;
            }

            @Override
            public boolean enabled() {
                return enabled;
            }
        };
    }

    static PackageManifest manifest() {
        return new PackageManifest("hello", "1.0.0", "hello.wasm", List.of(), PackageManifest.Limits.DEFAULT,
                new PackageManifest.Publisher("acme", List.of(KEY)), Instant.parse("2026-01-31T12:00:00Z"),
                Instant.parse("2027-01-31T12:00:00Z"), List.of(new PackageManifest.Entry("hello.wasm",
                        "ab".repeat(32), 8)));
    }

    static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class Trust implements TrustStore {
        final Map<String, TrustedKey> keys = new TreeMap<>();
        final Map<String, Revocation> revoked = new TreeMap<>();

        @Override
        public Path directory() {
            return Path.of("etc/trust");
        }

        @Override
        public List<TrustedKey> list() {
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
            TrustedKey k = new TrustedKey(new PublicKeyInfo(KEY, name, "ed25519", publicKeyPem), ed25519().getPublic(),
                    false);
            keys.put(KEY, k);
            return k;
        }

        @Override
        public Revocation revoke(String keyId, String reason) {
            return revoked.computeIfAbsent(keyId, id -> new Revocation(id, reason));
        }
    }

    static final class Builder implements PackageBuilder {
        final List<String> calls = new ArrayList<>();

        @Override
        public PackageManifest build(Path sourceFolder, Path output) {
            calls.add("build " + output.getFileName());
            try {
                Files.writeString(output, "PK");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return manifest();
        }

        @Override
        public PackageInfo sign(Path pkg, PrivateKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PackageInfo sign(Path pkg, Path privateKeyPem) {
            calls.add("sign " + privateKeyPem.getFileName());
            return inspect(pkg);
        }

        @Override
        public PackageInfo inspect(Path pkg) {
            return new PackageInfo("cd".repeat(32), 2, manifest(), List.of(new PackageInfo.SignatureEntry(KEY,
                    "ed25519", "signatures/" + KEY + ".ed25519.sig", 64)));
        }
    }

    static final class Verifier implements PackageVerifier {
        VerificationReport report;

        @Override
        public VerificationReport verify(byte[] pkg) {
            return report;
        }

        @Override
        public VerificationMode mode() {
            return VerificationMode.ENFORCE;
        }
    }

    static final class Codec implements KeyCodec {
        final List<byte[]> privatePems = new ArrayList<>();

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
            throw new UnsupportedOperationException();
        }

        @Override
        public String writePublicKey(PublicKey key) {
            return "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
        }

        @Override
        public byte[] writePrivateKey(PrivateKey key) {
            byte[] pem = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
                    .getBytes(StandardCharsets.US_ASCII);
            privatePems.add(pem);
            return pem;
        }

        @Override
        public PublicKey publicKeyOf(PrivateKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String keyId(PublicKey key) {
            return KEY;
        }

        @Override
        public String algorithm(Key key) {
            return "ed25519";
        }

        @Override
        public PublicKeyInfo describe(PublicKey key, String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void destroy(PrivateKey key) {
        }
    }

    static final class Scheme implements SignatureScheme {
        @Override
        public String name() {
            return ED25519;
        }

        @Override
        public boolean isPostQuantum() {
            return false;
        }

        @Override
        public KeyPair generate() {
            return ed25519();
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
}
