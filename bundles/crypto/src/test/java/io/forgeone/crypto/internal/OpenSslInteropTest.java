package io.forgeone.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.forgeone.api.crypto.SignatureScheme;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keys and signatures made by the real {@code openssl} binary verify here, and the other way round. Skipped, with
 * the reason in the report, when there is no openssl on the PATH, unless {@code -Dforge.openssl.required=true}
 * (as {@code src/test/sh/openssl-interop.sh} sets it) turns the absence into a failure.
 */
@Timeout(60)
class OpenSslInteropTest {
    private static final SignatureScheme ED25519 = SignatureSchemesTest.SCHEMES.get("ed25519");
    private static final SignatureScheme ECDSA = SignatureSchemesTest.SCHEMES.get("ecdsa-p256");
    private static final KeyCodecImpl CODEC = SignatureSchemesTest.CODEC;
    private static String openssl;

    @TempDir
    Path dir;

    @BeforeAll
    static void findOpenssl() {
        String found = null;
        for (String p : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(p.isEmpty() ? "." : p, "openssl");
            if (Files.isExecutable(candidate)) {
                found = candidate.toString();
                break;
            }
        }
        if (found == null && Boolean.getBoolean("forge.openssl.required")) {
            fail("openssl is required (forge.openssl.required=true) but is not on the PATH");
        }
        Assumptions.assumeTrue(found != null, "openssl not found on the PATH: openssl interoperability NOT tested");
        openssl = found;
    }

    private String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(openssl);
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("openssl " + String.join(" ", args) + " did not finish");
        }
        assertEquals(0, process.exitValue(), () -> "openssl " + String.join(" ", args) + ":\n" + output);
        return output;
    }

    private SignatureScheme scheme(String name) {
        return name.equals("ed25519") ? ED25519 : ECDSA;
    }

    private String[] genpkey(String name) {
        return name.equals("ed25519") ? new String[] {"genpkey", "-algorithm", "ed25519", "-out", "openssl.key.pem"}
                : new String[] {"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "openssl.key.pem"};
    }

    /** openssl signs {@code data} with {@code key}: Ed25519 over the raw message, ECDSA over its SHA-256, DER out. */
    private void opensslSign(String name, String key, String sig) throws Exception {
        if (name.equals("ed25519")) {
            run("pkeyutl", "-sign", "-inkey", key, "-rawin", "-in", "data", "-out", sig);
        } else {
            run("dgst", "-sha256", "-sign", key, "-out", sig, "data");
        }
    }

    private String opensslVerify(String name, String publicKey, String sig) throws Exception {
        if (name.equals("ed25519")) {
            return run("pkeyutl", "-verify", "-pubin", "-inkey", publicKey, "-rawin", "-in", "data", "-sigfile", sig);
        }
        return run("dgst", "-sha256", "-verify", publicKey, "-signature", sig, "data");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa-p256"})
    void opensslKeysAndSignaturesVerifyHere(String name) throws Exception {
        Files.write(dir.resolve("data"), SignatureSchemesTest.DATA);
        run(genpkey(name));
        run("pkey", "-in", "openssl.key.pem", "-pubout", "-out", "openssl.pub.pem");
        run("pkey", "-pubin", "-in", "openssl.pub.pem", "-outform", "DER", "-out", "openssl.pub.der");
        opensslSign(name, "openssl.key.pem", "openssl.sig");

        PublicKey publicKey = CODEC.readPublicKey(Files.readString(dir.resolve("openssl.pub.pem")));
        assertEquals(name, CODEC.algorithm(publicKey));
        assertTrue(scheme(name).verify(publicKey, SignatureSchemesTest.DATA, Files.readAllBytes(dir.resolve("openssl.sig"))),
                "openssl's signature verifies here");
        String expectedId = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(dir.resolve("openssl.pub.der"))));
        assertEquals(expectedId, CODEC.keyId(publicKey), "key id is SHA-256 of openssl's SubjectPublicKeyInfo DER");
        assertEquals(Files.readString(dir.resolve("openssl.pub.pem")), CODEC.writePublicKey(publicKey),
                "public PEM written byte for byte as openssl writes it");

        // openssl's private key reads here, its public half matches, and it signs what openssl's public key verifies
        PrivateKey privateKey = CODEC.readPrivateKey(Files.readAllBytes(dir.resolve("openssl.key.pem")));
        assertEquals(expectedId, CODEC.keyId(CODEC.publicKeyOf(privateKey)));
        Files.write(dir.resolve("here.sig"), scheme(name).sign(privateKey, SignatureSchemesTest.DATA));
        assertTrue(opensslVerify(name, "openssl.pub.pem", "here.sig").contains("Verified"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa-p256"})
    void keysAndSignaturesMadeHereVerifyInOpenssl(String name) throws Exception {
        Files.write(dir.resolve("data"), SignatureSchemesTest.DATA);
        KeyPair pair = scheme(name).generate();
        Files.writeString(dir.resolve("here.pub.pem"), CODEC.writePublicKey(pair.getPublic()));
        Files.write(dir.resolve("here.key.pem"), CODEC.writePrivateKey(pair.getPrivate()));
        Files.write(dir.resolve("here.sig"), scheme(name).sign(pair.getPrivate(), SignatureSchemesTest.DATA));

        assertTrue(opensslVerify(name, "here.pub.pem", "here.sig").contains("Verified"), "our signature in openssl");
        // openssl reads our private key, derives the same public key, and its signature with it verifies here
        run("pkey", "-in", "here.key.pem", "-pubout", "-out", "derived.pub.pem");
        assertEquals(Files.readString(dir.resolve("here.pub.pem")), Files.readString(dir.resolve("derived.pub.pem")));
        run("pkey", "-in", "here.key.pem", "-check", "-noout");
        opensslSign(name, "here.key.pem", "openssl.sig");
        assertTrue(scheme(name).verify(pair.getPublic(), SignatureSchemesTest.DATA,
                Files.readAllBytes(dir.resolve("openssl.sig"))), "openssl's signature with our key verifies here");
    }
}
