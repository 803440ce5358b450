package io.forgeone.deploy.internal;

import static io.forgeone.deploy.internal.Fakes.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.pkg.PackageManifest;
import io.forgeone.deploy.internal.Deployments.Outcome;
import io.forgeone.deploy.internal.Fakes.FakeRuntime;
import io.forgeone.deploy.internal.Fakes.FakeStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentsTest {
    @TempDir
    Path tmp;
    private Path deploy;
    private Path storeDir;
    private FakeRuntime runtime;
    private FakeStore store;
    private Deployments deployments;

    @BeforeEach
    void setUp() throws Exception {
        deploy = Files.createDirectories(tmp.resolve("deploy"));
        storeDir = tmp.resolve("var/packages");
        runtime = new FakeRuntime();
        store = new FakeStore();
        deployments = newDeployments();
    }

    private Deployments newDeployments() {
        return new Deployments(runtime, store, storeDir, new DeploymentRecords(tmp.resolve("data/deployments.properties")),
                Duration.ZERO);
    }

    private ContainerInfo only() {
        List<ContainerInfo> running = runtime.running();
        assertEquals(1, running.size(), running.toString());
        return running.get(0);
    }

    @Test
    void aPackageThatAsksToRunOnDeployRunsFromTheStoreNotFromTheDeployFolder() {
        Path f = write(deploy.resolve("web.forgepkg"), "web 1.0.0 run engine=auto");
        assertEquals(Outcome.STARTED, deployments.deploy(f, false));
        ContainerInfo c = only();
        assertTrue(c.name().startsWith("web-1.0.0-"), c.name());
        ContainerSpec spec = runtime.specs.get(c.id());
        assertEquals(storeDir.toAbsolutePath().resolve(store.opened.get(0) + ".forgepkg"), spec.module());
        assertNull(spec.engine(), "auto leaves the engine to the node");
        assertTrue(spec.limits().wallTimeout().isZero(), "a deployed service has no wall-clock limit of its own");
    }

    @Test
    void theEngineThePackageNamesIsAskedFor() {
        deployments.deploy(write(deploy.resolve("web.forgepkg"), "web 1.0.0 run engine=wasmtime"), false);
        assertEquals("wasmtime", runtime.specs.get(only().id()).engine());
    }

    @Test
    void aPackageThatDoesNotAskIsOnlyStored() {
        assertEquals(Outcome.STORED, deployments.deploy(write(deploy.resolve("lib.forgepkg"), "lib 1.0.0"), false));
        assertEquals(Outcome.STORED, deployments.deploy(write(deploy.resolve("lib2.forgepkg"), "lib 2.0.0 rollover"), false));
        assertTrue(runtime.containers.isEmpty());
        assertEquals(2, store.opened.size(), "both were verified and stored");
    }

    @Test
    void aRefusedPackageChangesNothingAndWhatRunsKeepsRunning() {
        Path f = write(deploy.resolve("web.forgepkg"), "web 1.0.0 run");
        deployments.deploy(f, false);
        ContainerInfo before = only();
        write(f, "refuse:TAMPERED");
        assertEquals(Outcome.REFUSED, deployments.deploy(f, true));
        assertEquals(before.id(), only().id());
        assertEquals(Outcome.REFUSED, deployments.deploy(write(deploy.resolve("bad.forgepkg"), "refuse:UNSIGNED"), false));
        assertEquals(1, runtime.containers.size());
    }

    @Test
    void rolloverStartsTheNewVersionBeforeStoppingTheOld() {
        Path f = write(deploy.resolve("web.forgepkg"), "web 1.0.0 run rollover");
        deployments.deploy(f, false);
        ContainerInfo old = only();
        write(f, "web 2.0.0 run rollover");
        assertEquals(Outcome.STARTED, deployments.deploy(f, true));
        ContainerInfo now = only();
        assertTrue(now.name().startsWith("web-2.0.0-"), now.name());
        List<String> e = runtime.events;
        assertTrue(e.indexOf("start " + now.name()) < e.indexOf("kill " + old.name()), e.toString());
        assertEquals(ContainerState.STOPPED, runtime.state(old.id()).state(), "the old one is kept, stopped, for its logs");
    }

    @Test
    void withoutRolloverTheOldVersionStopsFirstButOnlyOnceTheNewOneIsCreated() {
        Path f = write(deploy.resolve("web.forgepkg"), "web 1.0.0 run");
        deployments.deploy(f, false);
        ContainerInfo old = only();
        write(f, "web 2.0.0 run");
        deployments.deploy(f, true);
        ContainerInfo now = only();
        List<String> e = runtime.events;
        assertTrue(e.indexOf("create " + now.name()) < e.indexOf("kill " + old.name()), e.toString());
        assertTrue(e.indexOf("kill " + old.name()) < e.indexOf("start " + now.name()), e.toString());
    }

    @Test
    void aNewVersionThatCannotRunLeavesTheOldOneRunning() {
        Path f = write(deploy.resolve("web.forgepkg"), "web 1.0.0 run");
        deployments.deploy(f, false);
        ContainerInfo old = only();
        runtime.failCreate.add("web");
        write(f, "web 2.0.0 run");
        assertEquals(Outcome.FAILED, deployments.deploy(f, true));
        assertEquals(old.id(), only().id());
        runtime.failCreate.clear();
        runtime.failStart.add("web");
        write(f, "web 3.0.0 run rollover");
        assertEquals(Outcome.FAILED, deployments.deploy(f, true));
        assertEquals(old.id(), only().id(), "rollover: a new version that cannot start leaves the old running");
        runtime.failStart.clear();
        assertEquals(Outcome.STARTED, deployments.deploy(f, true), "touching the file tries again");
        assertTrue(only().name().startsWith("web-3.0.0-"));
    }

    @Test
    void aRolloverWhoseNewVersionStopsAsItStartsLeavesTheOldOneRunning() {
        Path f = write(deploy.resolve("web.forgepkg"), "web 1.0.0 run rollover");
        deployments.deploy(f, false);
        ContainerInfo old = only();
        runtime.crashOnStart.add("web");
        write(f, "web 2.0.0 run rollover");
        assertEquals(Outcome.FAILED, deployments.deploy(f, true));
        assertEquals(old.id(), only().id());
        assertFalse(runtime.events.contains("kill " + old.name()), runtime.events.toString());
        runtime.crashOnStart.clear();
        assertEquals(Outcome.STARTED, deployments.deploy(f, true), "the same file again, once fixed, rolls over");
        assertTrue(only().name().startsWith("web-2.0.0-"));
        assertEquals(2, runtime.containers.size(), "the crashed try made way; the old version is kept stopped");
    }

    @Test
    void aClosedDeployerChangesNothing() {
        Path f = write(deploy.resolve("web.forgepkg"), "web 1.0.0 run");
        deployments.deploy(f, false);
        deployments.close();
        assertEquals(Outcome.UNCHANGED, deployments.undeploy(f));
        assertEquals(Outcome.UNCHANGED, deployments.deploy(write(deploy.resolve("new.forgepkg"), "new 1 run"), false));
        assertEquals(1, runtime.running().size());
    }

    @Test
    void theSameBytesAgainChangeNothingWhileItRunsAndRunItAgainOnceItStopped() {
        Path f = write(deploy.resolve("job.forgepkg"), "job 1.0.0 run");
        deployments.deploy(f, false);
        ContainerInfo first = only();
        assertEquals(Outcome.UNCHANGED, deployments.deploy(f, false));
        assertEquals(Outcome.UNCHANGED, deployments.deploy(f, true));
        runtime.exit(first.id());
        assertEquals(Outcome.UNCHANGED, deployments.deploy(f, false), "seen again after a restart: not run twice");
        assertEquals(Outcome.STARTED, deployments.deploy(f, true), "touched: runs again");
        assertEquals(first.name(), only().name());
        assertFalse(runtime.containers.containsKey(first.id()), "the stopped run made way for the new one");
    }

    @Test
    void removingTheFileStopsItsContainerAndKeepsTheStoredPackage() {
        Path f = write(deploy.resolve("web.forgepkg"), "web 1.0.0 run");
        deployments.deploy(f, false);
        ContainerInfo c = only();
        assertEquals(Outcome.REMOVED, deployments.undeploy(f));
        assertEquals(ContainerState.STOPPED, runtime.state(c.id()).state());
        assertEquals(0, store.removals);
        assertEquals(Outcome.UNCHANGED, deployments.undeploy(f));
        assertEquals(Outcome.STARTED, deployments.deploy(f, false), "dropped again, it runs again");
        assertEquals(1, runtime.containers.size(), "the stopped container made way for the new one");
    }

    @Test
    void replacingARunningPackageWithOneThatDoesNotAskToRunStopsIt() {
        Path f = write(deploy.resolve("web.forgepkg"), "web 1.0.0 run");
        deployments.deploy(f, false);
        ContainerInfo c = only();
        assertEquals(Outcome.STORED, deployments.deploy(write(f, "web 2.0.0"), true));
        assertEquals(ContainerState.STOPPED, runtime.state(c.id()).state());
    }

    @Test
    void repeatedUpdatesKeepOneRunningAndAtMostOneStoppedContainerPerFile() {
        Path f = write(deploy.resolve("web.forgepkg"), "web 0 run rollover");
        deployments.deploy(f, false);
        for (int i = 1; i <= 20; i++) {
            write(f, "web " + i + " run" + (i % 2 == 0 ? " rollover" : ""));
            assertEquals(Outcome.STARTED, deployments.deploy(f, true));
            assertEquals(1, runtime.running().size());
            assertTrue(runtime.containers.size() <= 2, runtime.containers.toString());
        }
        assertTrue(only().name().startsWith("web-20-"));
    }

    @Test
    void restartingTheBundleAdoptsItsContainersAndCatchesUpWithTheFolder() {
        Path kept = write(deploy.resolve("kept.forgepkg"), "kept 1.0.0 run");
        Path gone = write(deploy.resolve("gone.forgepkg"), "gone 1.0.0 run");
        Path changed = write(deploy.resolve("changed.forgepkg"), "changed 1.0.0 run rollover");
        deployments.reconcile(List.of(deploy));
        assertEquals(3, runtime.running().size());
        ContainerInfo keptC = runtime.running().stream().filter(c -> c.name().startsWith("kept-")).findFirst().orElseThrow();

        // while the bundle is stopped: one file removed, one replaced, one added
        Deployments again = newDeployments();
        try {
            Files.delete(gone);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        write(changed, "changed 2.0.0 run rollover");
        write(deploy.resolve("added.forgepkg"), "added 1.0.0 run");
        write(deploy.resolve("notes.txt"), "not a package");
        again.reconcile(List.of(deploy));
        List<String> names = runtime.running().stream().map(ContainerInfo::name).sorted().toList();
        assertEquals(3, names.size(), names.toString());
        assertTrue(names.get(0).startsWith("added-1.0.0-") && names.get(1).startsWith("changed-2.0.0-")
                && names.get(2).startsWith("kept-1.0.0-"), names.toString());
        assertEquals(ContainerState.RUNNING, runtime.state(keptC.id()).state(), "adopted, not started twice");
        assertEquals(1, runtime.events.stream().filter(e -> e.startsWith("create kept-")).count());
        assertEquals(Outcome.UNCHANGED, again.deploy(kept, false), "FileInstall's late install() is a no-op");
    }

    @Test
    void containersLostWithTheKernelRunAgain() {
        Path f = write(deploy.resolve("web.forgepkg"), "web 1.0.0 run");
        deployments.deploy(f, false);
        runtime.containers.clear();
        newDeployments().reconcile(List.of(deploy));
        assertTrue(only().name().startsWith("web-1.0.0-"));
    }

    @Test
    void theRecordsSurviveAndABadLineIsIgnored() throws Exception {
        Path file = tmp.resolve("data/records.properties");
        DeploymentRecords r = new DeploymentRecords(file);
        Path app = deploy.resolve("a b.forgepkg").toAbsolutePath();
        r.put(new Deployment(app, "ab".repeat(32), "0123456789abcdef", List.of("1111", "2222")));
        r.put(new Deployment(deploy.resolve("x.forgepkg").toAbsolutePath(), null, null, List.of("3333")));
        Files.writeString(file, Files.readString(file) + "\n/bad/line = what\n");
        DeploymentRecords read = new DeploymentRecords(file);
        assertEquals(2, read.all().size());
        assertEquals(r.get(app), read.get(app));
        assertFalse(read.get(deploy.resolve("x.forgepkg").toAbsolutePath()).orElseThrow().present());
    }

    @Test
    void containerNamesNameTheFileAndThePackageAndFitTheRuntimesRules() {
        String id = "0123456789abcdef".repeat(4);
        assertEquals("web-1.0.0-01234567", Deployments.containerName(Path.of("/d/web.forgepkg"), manifest("web", "1.0.0"), id));
        assertEquals("prod.web-1.0.0_beta-01234567",
                Deployments.containerName(Path.of("/d/prod.forgepkg"), manifest("web", "1.0.0+beta"), id));
        assertEquals("dber.pkg-1-01234567", Deployments.containerName(Path.of("/d/über.forgepkg"), manifest("über", "1"), id));
        String longName = Deployments.containerName(Path.of("/d/" + "x".repeat(200) + ".forgepkg"),
                manifest("y", "9".repeat(64)), id);
        assertTrue(longName.length() <= 128 && longName.matches("[A-Za-z0-9][A-Za-z0-9_.-]*-01234567"), longName);
    }

    private static PackageManifest manifest(String name, String version) {
        String n = name.matches("[A-Za-z0-9][A-Za-z0-9._-]*") ? name : "pkg";
        return new PackageManifest(n, version, "a.wasm", List.of(), PackageManifest.Limits.DEFAULT,
                new PackageManifest.Publisher("acme", List.of("a".repeat(64))), Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2027-01-01T00:00:00Z"), List.of(new PackageManifest.Entry("a.wasm", "b".repeat(64), 1)),
                Optional.empty());
    }
}
