package io.forgeone.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerSpecException;
import io.forgeone.api.crypto.KeyCodec;
import io.forgeone.api.crypto.SignatureScheme;
import io.forgeone.api.pkg.PackageBuilder;
import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.pkg.TrustStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.ServiceReference;

/** Signed packages end to end in a real node: build, sign, trust, run; unsigned, tampered and revoked refused. */
@Timeout(120)
public class PackageIT {
    private ContainerRuntime runtime;
    private PackageBuilder builder;
    private TrustStore trust;
    private KeyCodec codec;
    private Path dir;

    @BeforeAll
    static void onlyWithoutPolicyGate() {
        Assumptions.assumeFalse(Node.policyGate(), "runs on the node without the policy gate (felix.bndrun)");
    }

    @BeforeEach
    void setUp() throws Exception {
        runtime = Node.service(ContainerRuntime.class);
        builder = Node.service(PackageBuilder.class);
        trust = Node.service(TrustStore.class);
        codec = Node.service(KeyCodec.class);
        dir = Files.createTempDirectory("forge-pkg");
    }

    private SignatureScheme scheme(String name) throws Exception {
        Node.service(SignatureScheme.class);
        for (ServiceReference<SignatureScheme> ref : Node.context().getServiceReferences(SignatureScheme.class, null)) {
            SignatureScheme s = Node.context().getService(ref);
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no signature scheme " + name);
    }

    /** A package of hello.wasm by {@code publisher}, signed with {@code key} unless it is null. */
    private Path pkg(String publisher, KeyPair key, String name) throws Exception {
        return pkg(publisher, key, name, "");
    }

    /** The same, with {@code extra} (JSON members, each with a leading comma) added to the manifest. */
    private Path pkg(String publisher, KeyPair key, String name, String extra) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src-" + name));
        Node.wasm(src, "hello.wasm");
        String keyId = key == null ? "0".repeat(64) : codec.keyId(key.getPublic());
        Files.writeString(src.resolve("forge.json"), "{\"name\": \"" + name + "\", \"version\": \"1.0.0\","
                + " \"entrypoint\": \"hello.wasm\", \"capabilities\": [\"wasi:stdout\"],"
                + " \"limits\": {\"memoryPages\": 64, \"timeoutMs\": 10000},"
                + " \"publisher\": {\"name\": \"" + publisher + "\", \"keys\": [\"" + keyId + "\"]}" + extra + "}");
        Path out = dir.resolve(name + ".forgepkg");
        builder.build(src, out);
        if (key != null) {
            builder.sign(out, key.getPrivate());
        }
        return out;
    }

    private ContainerInfo run(Path pkg) throws Exception {
        ContainerInfo created = runtime.create(ContainerSpec.of(pkg).withArgs(List.of("x")), ContainerIO.DETACHED);
        runtime.start(created.id());
        ContainerInfo done = runtime.await(created.id(), Duration.ofSeconds(30));
        return done;
    }

    private PackageException.Reason refused(Path pkg) {
        ContainerSpecException e = assertThrows(ContainerSpecException.class,
                () -> runtime.create(ContainerSpec.of(pkg), ContainerIO.DETACHED));
        assertTrue(e.getCause() instanceof PackageException, "cause: " + e.getCause());
        assertTrue(e.getMessage().contains(pkg.getFileName().toString()) && e.getMessage().contains("rejected"),
                e.getMessage());
        return ((PackageException) e.getCause()).reason();
    }

    @Test
    public void aSignedPackageByATrustedPublisherRuns() throws Exception {
        KeyPair key = scheme("ed25519").generate();
        trust.add("acme-run", codec.writePublicKey(key.getPublic()));
        ContainerInfo done = run(pkg("acme-run", key, "hello-signed"));
        assertEquals(0, done.exitCode(), done.message());
        assertTrue(runtime.logs(done.id()).stdout().startsWith("hello from wasm\narg[0]=hello-signed\narg[1]=x\n"),
                runtime.logs(done.id()).stdout());
        assertEquals(64, done.limits().maxMemoryPages(), "the package's limits tighten the defaults");
        runtime.delete(done.id());
    }

    @Test
    public void thePackagesRunEngineChoosesTheEngineUnlessTheSpecNamesOne() throws Exception {
        Assumptions.assumeTrue(Node.context().getServiceReferences(io.forgeone.api.engine.WasmEngine.class,
                "(forge.engine.name=wasmtime)") != null, "needs the wasmtime engine (felix.bndrun has it)");
        KeyPair key = scheme("ed25519").generate();
        trust.add("acme-engine", codec.writePublicKey(key.getPublic()));
        Path onWasmtime = pkg("acme-engine", key, "hello-wasmtime", ", \"run\": {\"engine\": \"wasmtime\"}");
        ContainerInfo done = run(onWasmtime);
        assertEquals(0, done.exitCode(), done.message());
        assertEquals("wasmtime", done.engine(), "the package's run.engine");
        assertTrue(runtime.logs(done.id()).stdout().startsWith("hello from wasm\n"), runtime.logs(done.id()).stdout());
        runtime.delete(done.id());

        ContainerInfo asked = runtime.create(ContainerSpec.of(onWasmtime).withEngine("chicory"), ContainerIO.DETACHED);
        assertEquals("chicory", asked.engine(), "the spec's engine wins over the package's");
        runtime.delete(asked.id());

        Path auto = pkg("acme-engine", key, "hello-auto", ", \"run\": {\"engine\": \"auto\"}");
        ContainerInfo picked = runtime.create(ContainerSpec.of(auto), ContainerIO.DETACHED);
        assertEquals("chicory", picked.engine(), "auto: the node's default (chicory) when it is installed");
        runtime.delete(picked.id());

        Path nowhere = pkg("acme-engine", key, "hello-v8", ", \"run\": {\"engine\": \"v8\"}");
        ContainerSpecException e = assertThrows(ContainerSpecException.class,
                () -> runtime.create(ContainerSpec.of(nowhere), ContainerIO.DETACHED));
        assertTrue(e.getMessage().contains("engine 'v8' is not installed"), e.getMessage());
    }

    @Test
    public void unsignedTamperedUntrustedAndRevokedPackagesNeverRun() throws Exception {
        KeyPair key = scheme("ecdsa-p256").generate();
        assertEquals(PackageException.Reason.UNTRUSTED_KEY, refused(pkg("acme-x", key, "hello-untrusted")));
        trust.add("acme-x", codec.writePublicKey(key.getPublic()));
        assertEquals(PackageException.Reason.UNSIGNED, refused(pkg("acme-x", null, "hello-unsigned")));

        Path tampered = pkg("acme-x", key, "hello-tampered");
        byte[] bytes = Files.readAllBytes(tampered);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(tampered, bytes);
        PackageException.Reason reason = refused(tampered);
        assertTrue(reason == PackageException.Reason.TAMPERED || reason == PackageException.Reason.MALFORMED,
                reason.toString());

        Path good = pkg("acme-x", key, "hello-revoked");
        assertEquals(0, run(good).exitCode());
        trust.revoke(codec.keyId(key.getPublic()), "compromised in the test");
        assertEquals(PackageException.Reason.REVOKED_KEY, refused(good));
        for (ContainerInfo c : runtime.list()) {
            runtime.delete(c.id());
        }
    }
}
