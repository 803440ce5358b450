package io.forgeone.pkg.internal;

import io.forgeone.api.crypto.SignatureScheme;
import io.forgeone.api.pkg.VerificationMode;
import io.forgeone.crypto.internal.BouncyCastle;
import io.forgeone.crypto.internal.EcdsaP256Scheme;
import io.forgeone.crypto.internal.Ed25519Scheme;
import io.forgeone.crypto.internal.KeyCodecImpl;
import io.forgeone.crypto.internal.MlDsa65Scheme;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.osgi.util.converter.Converters;

/** Real schemes, codec and trust store in a temporary folder; keys made once per test run. */
final class Fixture {
    static final BouncyCastle BC = new BouncyCastle();
    static final KeyCodecImpl CODEC = new KeyCodecImpl(BC);
    static final SignatureScheme ED25519 = new Ed25519Scheme(BC);
    static final SignatureScheme ECDSA = new EcdsaP256Scheme(BC);
    static final SignatureScheme ML_DSA = new MlDsa65Scheme(BC);
    /** The publisher's classical key. */
    static final KeyPair ACME_ED = ED25519.generate();
    /** The publisher's post-quantum key. */
    static final KeyPair ACME_PQ = ML_DSA.generate();
    /** A key the trust store does not hold. */
    static final KeyPair STRANGER = ED25519.generate();
    /** A key the trust store holds for another publisher. */
    static final KeyPair OTHER = ECDSA.generate();
    /** A minimal WebAssembly module: the header only. */
    static final byte[] WASM = {0, 'a', 's', 'm', 1, 0, 0, 0};

    final Path root;
    final TrustStoreImpl trust;
    final AtomicInteger verifyCalls = new AtomicInteger();

    Fixture(Path root) throws IOException {
        this.root = root;
        this.trust = new TrustStoreImpl(root.resolve("trust"), CODEC);
        trust.add("acme", CODEC.writePublicKey(ACME_ED.getPublic()));
        trust.add("acme", CODEC.writePublicKey(ACME_PQ.getPublic()));
        trust.add("other", CODEC.writePublicKey(OTHER.getPublic()));
    }

    static String id(KeyPair pair) {
        return CODEC.keyId(pair.getPublic());
    }

    static VerifierConfig config(Map<String, Object> properties) {
        return Converters.standardConverter().convert(properties).to(VerifierConfig.class);
    }

    PackageVerifierImpl verifier(Map<String, Object> properties) {
        return verifier(VerifierOptions.of(config(properties)), Clock.systemUTC());
    }

    PackageVerifierImpl verifier(VerifierOptions options, Clock clock) {
        PackageVerifierImpl verifier = new PackageVerifierImpl(options, trust, clock);
        for (SignatureScheme s : List.of(ED25519, ECDSA, ML_DSA)) {
            verifier.bindScheme(new CountingScheme(s, verifyCalls));
        }
        return verifier;
    }

    PackageVerifierImpl enforcing() {
        return verifier(Map.of());
    }

    PackageVerifierImpl mode(VerificationMode mode) {
        return verifier(Map.of("mode", mode.name().toLowerCase()));
    }

    PackageBuilderImpl builder(PackageVerifierImpl verifier) {
        return new PackageBuilderImpl(Duration.ofDays(30), CODEC, verifier, Clock.systemUTC());
    }

    /** A source folder: forge.json with the given fields over the defaults, hello.wasm and an asset. */
    Path source(String name, UnaryOperator<String> edit) throws IOException {
        Path dir = Files.createDirectories(root.resolve("src-" + name));
        String json = "{\n  \"name\": \"hello\",\n  \"version\": \"1.0.0\",\n  \"entrypoint\": \"hello.wasm\",\n"
                + "  \"capabilities\": [\"wasi:stdout\"],\n  \"limits\": {\"memoryPages\": 16, \"timeoutMs\": 5000},\n"
                + "  \"publisher\": {\"name\": \"acme\", \"keys\": [\"" + id(ACME_ED) + "\", \"" + id(ACME_PQ) + "\", \""
                + id(STRANGER) + "\"]}\n}\n";
        Files.writeString(dir.resolve("forge.json"), edit.apply(json));
        Files.write(dir.resolve("hello.wasm"), WASM);
        Files.createDirectories(dir.resolve("assets"));
        Files.writeString(dir.resolve("assets/greeting.txt"), "hello, world\n".repeat(50));
        return dir;
    }

    /** Builds the default source into a package and signs it with the given keys. */
    Path signedPackage(PackageBuilderImpl builder, String name, KeyPair... keys) throws IOException {
        Path pkg = root.resolve(name + ".forgepkg");
        builder.build(source(name, s -> s), pkg);
        for (KeyPair k : keys) {
            builder.sign(pkg, k.getPrivate());
        }
        return pkg;
    }

    /** An entry of a zip, for crafting packages by hand. */
    record Raw(String name, byte[] content) {
    }

    /** Every entry of a package, inflated, in order (the zip must be readable). */
    static List<Raw> entries(byte[] pkg) throws Exception {
        StrictZip zip = StrictZip.read(pkg, new StrictZip.Limits(100_000, Long.MAX_VALUE, Long.MAX_VALUE));
        List<Raw> out = new ArrayList<>();
        for (StrictZip.Entry e : zip.entries()) {
            out.add(new Raw(e.name(), zip.content(e, e.size())));
        }
        return out;
    }

    static byte[] zip(List<Raw> entries) {
        ZipWriter w = new ZipWriter();
        entries.forEach(e -> w.add(e.name(), e.content()));
        return w.finish();
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A scheme that counts verifications, to see when the store skips them. */
    static final class CountingScheme implements SignatureScheme {
        private final SignatureScheme delegate;
        private final AtomicInteger calls;

        CountingScheme(SignatureScheme delegate, AtomicInteger calls) {
            this.delegate = delegate;
            this.calls = calls;
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public boolean isPostQuantum() {
            return delegate.isPostQuantum();
        }

        @Override
        public KeyPair generate() {
            return delegate.generate();
        }

        @Override
        public boolean accepts(java.security.Key key) {
            return delegate.accepts(key);
        }

        @Override
        public byte[] sign(java.security.PrivateKey key, byte[] data) {
            return delegate.sign(key, data);
        }

        @Override
        public boolean verify(java.security.PublicKey key, byte[] data, byte[] signature) {
            calls.incrementAndGet();
            return delegate.verify(key, data, signature);
        }
    }
}
