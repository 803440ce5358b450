package io.forgeone.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.crypto.KeyCodec;
import io.forgeone.api.crypto.SignatureScheme;
import io.forgeone.api.pkg.PackageBuilder;
import io.forgeone.api.pkg.PackageStore;
import io.forgeone.api.pkg.TrustStore;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * The deploy folder in a real framework with Felix FileInstall watching it (deploy.bndrun), as a node runs it:
 * bundle jars come and go; signed packages run, roll over to newer versions, stop when removed, survive restarts
 * of the deploy bundle and the kernel without running twice; refused packages change nothing.
 */
@Timeout(180)
public class DeployIT {
    private static final long WAIT_MS = 20_000;
    private Path deploy;
    private Path work;
    private ContainerRuntime runtime;

    @BeforeAll
    static void onlyWithFileInstall() {
        Assumptions.assumeTrue(Arrays.stream(Node.context().getBundles())
                .anyMatch(b -> b.getSymbolicName().equals("io.forgeone.deploy")),
                "runs on the node with FileInstall and the deploy bundle (deploy.bndrun)");
    }

    @BeforeEach
    void setUp() throws Exception {
        deploy = Files.createDirectories(Path.of(Node.context().getProperty("felix.fileinstall.dir")));
        work = Files.createTempDirectory("forge-deploy-it");
        runtime = Node.service(ContainerRuntime.class);
    }

    @AfterEach
    void cleanUp() throws Exception {
        try (var files = Files.list(deploy)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        // FileInstall sees the files go and the containers stop; give it the time, then clear what is left
        await("every deployed container to stop", () -> Node.service(ContainerRuntime.class).list().stream()
                .noneMatch(c -> c.state() == ContainerState.RUNNING));
        ContainerRuntime r = Node.service(ContainerRuntime.class);
        for (ContainerInfo c : r.list()) {
            r.delete(c.id());
        }
    }

    // ---- bundles ------------------------------------------------------------------------------------------------

    @Test
    public void aBundleJarDroppedInIsStartedAndDeletingItUninstallsItAgainAndAgain() throws Exception {
        String bsn = "io.forgeone.itests.dropped";
        for (int round = 1; round <= 3; round++) {
            Path jar = work.resolve("dropped-" + round + ".jar");
            writeBundle(jar, bsn, "1.0." + round);
            drop(jar, "dropped.jar");
            String version = "1.0." + round;
            await("bundle " + bsn + " " + version + " active", () -> bundle(bsn)
                    .filter(b -> b.getState() == Bundle.ACTIVE && b.getVersion().toString().equals(version)).isPresent());
            Files.delete(deploy.resolve("dropped.jar"));
            await("bundle " + bsn + " uninstalled", () -> bundle(bsn).isEmpty());
        }
    }

    @Test
    public void aBundleJarReplacedInPlaceIsUpdated() throws Exception {
        String bsn = "io.forgeone.itests.updated";
        writeBundle(work.resolve("a.jar"), bsn, "1.0.0");
        drop(work.resolve("a.jar"), "updated.jar");
        await("1.0.0 active", () -> bundle(bsn).filter(b -> b.getVersion().toString().equals("1.0.0")
                && b.getState() == Bundle.ACTIVE).isPresent());
        long id = bundle(bsn).orElseThrow().getBundleId();
        writeBundle(work.resolve("b.jar"), bsn, "1.1.0");
        drop(work.resolve("b.jar"), "updated.jar");
        await("1.1.0 active", () -> bundle(bsn).filter(b -> b.getVersion().toString().equals("1.1.0")
                && b.getState() == Bundle.ACTIVE).isPresent());
        assertEquals(id, bundle(bsn).orElseThrow().getBundleId(), "updated in place, not installed twice");
        Files.delete(deploy.resolve("updated.jar"));
        await("uninstalled", () -> bundle(bsn).isEmpty());
    }

    private static void writeBundle(Path jar, String bsn, String version) throws Exception {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", bsn);
        a.putValue("Bundle-Version", version);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
    }

    private static Optional<Bundle> bundle(String bsn) {
        return Arrays.stream(Node.context().getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst();
    }

    // ---- packages -----------------------------------------------------------------------------------------------

    @Test
    public void aSignedPackageRunsRollsOverStopsWhenRemovedAndRefusedOnesChangeNothing() throws Exception {
        KeyPair key = scheme("ed25519").generate();
        KeyCodec codec = Node.service(KeyCodec.class);
        Node.service(TrustStore.class).add("acme-deploy", codec.writePublicKey(key.getPublic()));

        // 1. dropped in: verified, stored, run as a detached container named after the file
        drop(pkg(key, "1.0.0", true), "svc.forgepkg");
        ContainerInfo v1 = awaitRunning("svc-1.0.0-");
        await("v1's output", () -> runtime.logs(v1.id()).stdout().equals("service svc up\n"));

        // 2. a newer version with rollover: the new one starts, then the old one stops
        drop(pkg(key, "2.0.0", true), "svc.forgepkg");
        ContainerInfo v2 = awaitRunning("svc-2.0.0-");
        ContainerInfo v1Stopped = awaitStopped(v1.id());
        assertFalse(v1Stopped.finishedAt().isBefore(v2.startedAt()),
                "rollover: v1 stopped at " + v1Stopped.finishedAt() + ", before v2 started at " + v2.startedAt());
        assertEquals(1, running("svc-").size());

        // 3. a newer version without rollover: the old one stops, then the new one starts
        Path v3File = pkg(key, "3.0.0", false);
        drop(v3File, "svc.forgepkg");
        ContainerInfo v3 = awaitRunning("svc-3.0.0-");
        ContainerInfo v2Stopped = awaitStopped(v2.id());
        assertFalse(v2Stopped.finishedAt().isAfter(v3.startedAt()),
                "no rollover: v2 stopped at " + v2Stopped.finishedAt() + ", after v3 started at " + v3.startedAt());
        assertEquals(1, running("svc-").size());

        // 3b. a new version that traps as it starts, with rollover: it is left stopped, v3 keeps running
        drop(pkg(key, "3.5.0", true, "trap.wasm"), "svc.forgepkg");
        await("3.5.0 tried", () -> runtime.list().stream().anyMatch(c -> c.name().startsWith("svc-3.5.0-")
                && c.state() == ContainerState.STOPPED));
        Thread.sleep(300);
        assertEquals(List.of(v3.id()), running("svc-").stream().map(ContainerInfo::id).toList());
        // rolled back: the file holds what runs again, so nothing changes
        drop(v3File, "svc.forgepkg");
        Thread.sleep(1500);
        assertEquals(List.of(v3.id()), running("svc-").stream().map(ContainerInfo::id).toList());

        // 4. the deploy bundle restarted: it adopts the running container instead of starting another
        Bundle deployer = Node.bundle("io.forgeone.deploy");
        deployer.stop();
        assertEquals(ContainerState.RUNNING, runtime.state(v3.id()).state(), "stopping the deployer leaves it running");
        deployer.start();
        await("the deployer's installer back", () -> Node.context()
                .getServiceReference("org.apache.felix.fileinstall.ArtifactInstaller") != null);
        Thread.sleep(1000);
        assertEquals(List.of(v3.id()), running("svc-").stream().map(ContainerInfo::id).toList());

        // 5. the kernel restarted (every container is gone with it): the package runs again, once
        Bundle kernel = Node.bundle("io.forgeone.kernel");
        kernel.stop();
        kernel.start();
        runtime = Node.service(ContainerRuntime.class);
        ContainerInfo again = awaitRunning("svc-3.0.0-");
        Thread.sleep(1000);
        assertEquals(List.of(again.id()), running("svc-").stream().map(ContainerInfo::id).toList());

        // 6. refused packages: tampered, truncated, unsigned; nothing of them runs and svc keeps running
        Path tampered = pkg(key, "4.0.0", true);
        byte[] bytes = Files.readAllBytes(tampered);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(tampered, bytes);
        drop(tampered, "tampered.forgepkg");
        Path truncated = work.resolve("truncated.forgepkg");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 3));
        drop(truncated, "truncated.forgepkg");
        drop(pkg(null, "4.0.0", true), "unsigned.forgepkg");
        Files.write(work.resolve("garbage"), new byte[] {'P', 'K', 3, 4, 0, 0});
        drop(work.resolve("garbage"), "garbage.forgepkg");
        // a good one dropped after them is handled, so they have been handled too
        drop(pkg(key, "1.0.0", true), "late.forgepkg");
        awaitRunning("late.svc-1.0.0-");
        assertEquals(List.of(again.id()), running("svc-").stream().map(ContainerInfo::id).toList());
        assertTrue(runtime.list().stream().noneMatch(c -> c.name().startsWith("tampered") || c.name().startsWith("truncated")
                || c.name().startsWith("unsigned") || c.name().startsWith("garbage")), runtime.list().toString());
        assertTrue(Files.exists(deploy.resolve("tampered.forgepkg")), "a refused file is left where it is");

        // 7. removed: the container stops, the stored package stays
        String storedBefore = String.join(",", Node.service(PackageStore.class).list());
        Files.delete(deploy.resolve("svc.forgepkg"));
        awaitStopped(again.id());
        assertEquals(storedBefore, String.join(",", Node.service(PackageStore.class).list()));
        assertEquals(1, running("").size(), "only late.forgepkg's container runs");
    }

    @Test
    public void aPackageThatDoesNotAskToRunIsOnlyStored() throws Exception {
        KeyPair key = scheme("ed25519").generate();
        Node.service(TrustStore.class).add("acme-deploy", Node.service(KeyCodec.class).writePublicKey(key.getPublic()));
        PackageStore store = Node.service(PackageStore.class);
        Path quiet = pkg(key, "1.0.0", null);
        String id = Node.service(PackageBuilder.class).inspect(quiet).id();
        drop(quiet, "quiet.forgepkg");
        await("the package stored", () -> store.list().contains(id));
        Thread.sleep(500);
        assertTrue(runtime.list().stream().noneMatch(c -> c.name().startsWith("quiet")), runtime.list().toString());
    }

    /** A package of service.wasm named svc; {@code rollover} null leaves the run object out (not run on deploy). */
    private Path pkg(KeyPair key, String version, Boolean rollover) throws Exception {
        return pkg(key, version, rollover, "service.wasm");
    }

    private Path pkg(KeyPair key, String version, Boolean rollover, String module) throws Exception {
        Path src = Files.createDirectories(work.resolve("src-" + version + "-" + System.nanoTime()));
        Node.wasm(src, module);
        if (!module.equals("service.wasm")) {
            Files.move(src.resolve(module), src.resolve("service.wasm"));
        }
        String keyId = key == null ? "0".repeat(64) : Node.service(KeyCodec.class).keyId(key.getPublic());
        String run = rollover == null ? "" : ", \"run\": {\"onDeploy\": true, \"rollover\": " + rollover + "}";
        Files.writeString(src.resolve("forge.json"), "{\"name\": \"svc\", \"version\": \"" + version + "\","
                + " \"entrypoint\": \"service.wasm\", \"capabilities\": [\"wasi:stdout\"],"
                + " \"limits\": {\"memoryPages\": 64, \"timeoutMs\": 0},"
                + " \"publisher\": {\"name\": \"acme-deploy\", \"keys\": [\"" + keyId + "\"]}" + run + "}");
        Path out = work.resolve("svc-" + version + "-" + System.nanoTime() + ".forgepkg");
        PackageBuilder builder = Node.service(PackageBuilder.class);
        builder.build(src, out);
        if (key != null) {
            builder.sign(out, key.getPrivate());
        }
        return out;
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

    /** Puts a file into the deploy folder whole: copied beside it under a name FileInstall ignores, then moved. */
    private void drop(Path source, String name) throws Exception {
        Path tmp = deploy.resolve("." + name + ".part");
        Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, deploy.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private List<ContainerInfo> running(String prefix) {
        return runtime.list().stream().filter(c -> c.name().startsWith(prefix) && c.state() == ContainerState.RUNNING)
                .toList();
    }

    private ContainerInfo awaitRunning(String prefix) throws Exception {
        await("a running container " + prefix + "*", () -> !running(prefix).isEmpty());
        return running(prefix).get(0);
    }

    private ContainerInfo awaitStopped(String id) throws Exception {
        await("container " + id + " stopped", () -> runtime.state(id).state() == ContainerState.STOPPED);
        return runtime.state(id);
    }

    private void await(String what, Supplier<Boolean> condition) throws Exception {
        long end = System.currentTimeMillis() + WAIT_MS;
        while (!condition.get()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("waited " + WAIT_MS + " ms for " + what + "; containers: " + runtime.list());
            }
            Thread.sleep(50);
        }
    }
}
