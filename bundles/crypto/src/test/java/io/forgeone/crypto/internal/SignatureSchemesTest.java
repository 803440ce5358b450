package io.forgeone.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.crypto.CryptoException;
import io.forgeone.api.crypto.PublicKeyInfo;
import io.forgeone.api.crypto.SignatureScheme;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(30)
class SignatureSchemesTest {
    static final BouncyCastle BC = new BouncyCastle();
    static final KeyCodecImpl CODEC = new KeyCodecImpl(BC);
    static final Map<String, SignatureScheme> SCHEMES = Stream.of(new Ed25519Scheme(BC), new EcdsaP256Scheme(BC),
            new MlDsa65Scheme(BC), new SlhDsaSha2128sScheme(BC))
            .collect(Collectors.toMap(SignatureScheme::name, Function.identity()));
    static final byte[] DATA = "the canonical manifest".getBytes(StandardCharsets.UTF_8);

    static Stream<String> schemes() {
        return Stream.of("ed25519", "ecdsa-p256", "ml-dsa-65", "slh-dsa-sha2-128s");
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void signVerifyAndPemRoundTrip(String name) {
        SignatureScheme scheme = SCHEMES.get(name);
        KeyPair pair = scheme.generate();
        // the private key goes through PEM first, so one signature (SLH-DSA signs slowly) proves both
        String publicPem = CODEC.writePublicKey(pair.getPublic());
        byte[] privatePem = CODEC.writePrivateKey(pair.getPrivate());
        assertTrue(publicPem.startsWith("-----BEGIN PUBLIC KEY-----\n"));
        assertTrue(new String(privatePem, StandardCharsets.US_ASCII).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        PublicKey publicBack = CODEC.readPublicKey(publicPem);
        PrivateKey privateBack = CODEC.readPrivateKey(privatePem);
        assertEquals(publicPem, CODEC.writePublicKey(publicBack));
        assertEquals(CODEC.keyId(pair.getPublic()), CODEC.keyId(CODEC.publicKeyOf(privateBack)), "public half");

        byte[] signature = scheme.sign(privateBack, DATA);
        assertTrue(scheme.verify(pair.getPublic(), DATA, signature));
        assertTrue(scheme.verify(publicBack, DATA, signature));
        byte[] other = DATA.clone();
        other[0] ^= 1;
        assertFalse(scheme.verify(pair.getPublic(), other, signature), "changed data");
        byte[] bent = signature.clone();
        bent[bent.length / 2] ^= 1;
        assertFalse(scheme.verify(pair.getPublic(), DATA, bent), "changed signature");
        assertFalse(scheme.verify(pair.getPublic(), DATA, new byte[3]), "truncated signature is false, not an error");

        assertEquals(name, CODEC.algorithm(publicBack));
        assertEquals(name, CODEC.algorithm(privateBack));
        assertTrue(scheme.accepts(publicBack));
        assertTrue(scheme.accepts(privateBack));
        CODEC.destroy(privateBack);
    }

    @Test
    void postQuantumFlags() {
        assertFalse(SCHEMES.get("ed25519").isPostQuantum());
        assertFalse(SCHEMES.get("ecdsa-p256").isPostQuantum());
        assertTrue(SCHEMES.get("ml-dsa-65").isPostQuantum());
        assertTrue(SCHEMES.get("slh-dsa-sha2-128s").isPostQuantum());
    }

    @Test
    void keyIdIsSha256OfSubjectPublicKeyInfo() throws Exception {
        KeyPair pair = SCHEMES.get("ed25519").generate();
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pair.getPublic().getEncoded()));
        assertEquals(expected, CODEC.keyId(pair.getPublic()));
        PublicKeyInfo info = CODEC.describe(pair.getPublic(), "acme");
        assertEquals(expected, info.id());
        assertEquals("acme", info.name());
        assertEquals("ed25519", info.algorithm());
        assertEquals(CODEC.writePublicKey(pair.getPublic()), info.pem());
    }

    @Test
    void aKeyOfAnotherSchemeIsRefused() {
        KeyPair ed = SCHEMES.get("ed25519").generate();
        SignatureScheme ecdsa = SCHEMES.get("ecdsa-p256");
        assertFalse(ecdsa.accepts(ed.getPublic()));
        CryptoException e = assertThrows(CryptoException.class, () -> ecdsa.sign(ed.getPrivate(), DATA));
        assertTrue(e.getMessage().contains("ed25519 key cannot be used with ecdsa-p256"), e.getMessage());
        assertThrows(CryptoException.class, () -> ecdsa.verify(ed.getPublic(), DATA, new byte[64]));
    }

    @Test
    void jdkKeysWork() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("Ed25519");
        KeyPair jdk = g.generateKeyPair();
        SignatureScheme ed = SCHEMES.get("ed25519");
        assertTrue(ed.verify(jdk.getPublic(), DATA, ed.sign(jdk.getPrivate(), DATA)));
        assertEquals(CODEC.keyId(jdk.getPublic()), CODEC.keyId(CODEC.publicKeyOf(jdk.getPrivate())));
    }

    @Test
    void ecdsaOnAnotherCurveIsRefused() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
        KeyPair p384 = g.generateKeyPair();
        assertFalse(SCHEMES.get("ecdsa-p256").accepts(p384.getPublic()));
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(p384.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        CryptoException e = assertThrows(CryptoException.class, () -> CODEC.readPublicKey(pem));
        assertTrue(e.getMessage().contains("unsupported elliptic curve 1.3.132.0.34"), e.getMessage());
    }

    @Test
    void pemProblemsAreNamed() {
        KeyPair pair = SCHEMES.get("ed25519").generate();
        String pub = CODEC.writePublicKey(pair.getPublic());
        assertTrue(assertThrows(CryptoException.class, () -> CODEC.readPublicKey("hello"))
                .getMessage().contains("found 0"));
        assertTrue(assertThrows(CryptoException.class, () -> CODEC.readPublicKey(pub + pub))
                .getMessage().contains("found 2"));
        assertTrue(assertThrows(CryptoException.class, () -> CODEC.readPublicKey(pub.replace("-----END", "x\n-----END")))
                .getMessage().contains("not valid base64"));
        assertTrue(assertThrows(CryptoException.class, () -> CODEC.readPublicKey(pub.replace("-----END PUBLIC KEY-----\n", "")))
                .getMessage().contains("has no END line"));
        assertTrue(assertThrows(CryptoException.class,
                () -> CODEC.readPrivateKey("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"
                        .getBytes(StandardCharsets.US_ASCII))).getMessage().contains("openssl pkcs8"));
        assertTrue(assertThrows(CryptoException.class,
                () -> CODEC.readPrivateKey("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n"
                        .getBytes(StandardCharsets.US_ASCII))).getMessage().contains("-topk8"));
        assertTrue(assertThrows(CryptoException.class,
                () -> CODEC.readPrivateKey(pub.getBytes(StandardCharsets.US_ASCII))).getMessage().contains("no PRIVATE KEY"));
        byte[] priv = CODEC.writePrivateKey(pair.getPrivate());
        assertTrue(assertThrows(CryptoException.class,
                () -> CODEC.readPublicKey(new String(priv, StandardCharsets.US_ASCII))).getMessage().contains("-pubout"));
    }

    @Test
    void severalKeysInOneFileWithTextAround() {
        KeyPair a = SCHEMES.get("ed25519").generate();
        KeyPair b = SCHEMES.get("ml-dsa-65").generate();
        String text = "# acme release keys\r\n" + CODEC.writePublicKey(a.getPublic()).replace("\n", "\r\n") + "\n"
                + "comment between\n" + CODEC.writePublicKey(b.getPublic());
        List<PublicKey> keys = CODEC.readPublicKeys(text);
        assertEquals(2, keys.size());
        assertEquals(CODEC.keyId(a.getPublic()), CODEC.keyId(keys.get(0)));
        assertEquals(CODEC.keyId(b.getPublic()), CODEC.keyId(keys.get(1)));
    }

    @Test
    void pemWriteIsSixtyFourColumns() {
        byte[] der = new byte[200];
        byte[] pem = Pem.write("PUBLIC KEY", der);
        for (String line : new String(pem, StandardCharsets.US_ASCII).split("\n")) {
            assertTrue(line.length() <= 64, line);
        }
        assertArrayEquals(der, Pem.read(pem).get(0).der());
    }
}
