package io.forgeone.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.observe.HostCallRecorder;
import io.forgeone.api.observe.SnapshotException;
import io.forgeone.api.observe.SnapshotInfo;
import io.forgeone.api.observe.SnapshotService;
import io.forgeone.api.wasi.Preopen;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Snapshots in a real node: a counter paused at a host call, snapshotted to a signed file, stopped, restored by
 * re-execution into a new container that finishes with the right output and file; a damaged file refused.
 */
@Timeout(120)
public class SnapshotIT {
    private ContainerRuntime runtime;
    private SnapshotService snapshots;
    private Path dir;

    /** The same observer configuration as ObserverIT's: containers named traced-* get trace files. */
    @BeforeAll
    static void durableTracedContainers() throws Exception {
        ConfigurationAdmin admin = Node.service(ConfigurationAdmin.class);
        Configuration config = admin.getConfiguration("io.forgeone.observer", "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("durable", new String[] {"traced-*"});
        props.put("flush.ms", 50L);
        // ObserverIT may have set the very same: then nothing is made anew
        config.updateIfDifferent(props);
        // the observer and the snapshot service are made anew for a changed configuration, asynchronously: wait until
        // both carry this one (flush.ms tells it from ObserverIT's) and the recorder has stopped changing, or a
        // container started meanwhile would be recorded by an observer on its way out
        long deadline = System.currentTimeMillis() + 10_000;
        Object lastId = null;
        long stableSince = 0;
        while (true) {
            ServiceReference<HostCallRecorder> ref = Node.context().getServiceReference(HostCallRecorder.class);
            ServiceReference<SnapshotService> snap = Node.context().getServiceReference(SnapshotService.class);
            if (ref != null && snap != null && ref.getProperty("durable") instanceof String[] d && d.length == 1
                    && d[0].equals("traced-*") && Long.valueOf(50).equals(ref.getProperty("flush.ms"))
                    && Long.valueOf(50).equals(snap.getProperty("flush.ms"))) {
                Object id = ref.getProperty(org.osgi.framework.Constants.SERVICE_ID);
                if (!id.equals(lastId)) {
                    lastId = id;
                    stableSince = System.currentTimeMillis();
                } else if (System.currentTimeMillis() - stableSince >= 500) {
                    return;
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the observer and its snapshot service did not come up configured in 10 s");
            }
            Thread.sleep(50);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        runtime = Node.service(ContainerRuntime.class);
        snapshots = Node.service(SnapshotService.class);
        dir = Files.createTempDirectory("forge-snapshot");
    }

    @AfterEach
    void tearDown() {
        for (ContainerInfo c : runtime.list()) {
            if (c.name().startsWith("traced-snap")) {
                if (c.state() != ContainerState.STOPPED && c.state() != ContainerState.CREATED) {
                    runtime.kill(c.id());
                }
                runtime.delete(c.id());
            }
        }
    }

    private static String counterOutput(int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            out.append("count ").append(i).append('\n');
        }
        return out.append("total ").append((long) n * (n + 1) / 2).append('\n').toString();
    }

    /** What {@link #cutAndRestore} did: the snapshot and the restored container, which has ended. */
    private record Cut(SnapshotInfo info, ContainerInfo restored) {
    }

    /**
     * Runs counter.wasm to {@code n}, pauses it once it printed {@code "count " + pauseAt}, snapshots it, kills it,
     * restores the snapshot and checks that both outputs together and the file are exactly an uninterrupted run's.
     */
    private Cut cutAndRestore(String name, int n, int pauseAt) throws Exception {
        Path data = Files.createDirectories(dir.resolve(name));
        ContainerSpec spec = ContainerSpec.of(Node.wasm(dir, "counter.wasm")).withName(name)
                .withPreopens(List.of(new Preopen(data, "/data"))).withArgs(List.of(Integer.toString(n),
                        "/data/out.txt"));
        ContainerInfo original = runtime.create(spec, ContainerIO.DETACHED);
        runtime.start(original.id());
        long deadline = System.currentTimeMillis() + 60_000;
        while (!runtime.logs(original.id()).stdout().contains("count " + pauseAt + "\n")) {
            if (System.currentTimeMillis() > deadline || runtime.state(original.id()).state() != ContainerState.RUNNING) {
                String out = runtime.logs(original.id()).stdout();
                throw new AssertionError("the counter did not reach " + pauseAt + ": " + runtime.state(original.id())
                        + "; stdout " + out.substring(Math.max(0, out.length() - 200)) + "; stderr "
                        + runtime.logs(original.id()).stderr());
            }
            Thread.sleep(2);
        }
        assertEquals(ContainerState.PAUSED, runtime.pause(original.id()).state());
        SnapshotInfo info = snapshots.snapshot(original.id(), dir.resolve(name + ".fsnap"));
        // the crypto bundle is running: the node signs every snapshot (never unsigned because it was late)
        assertTrue(info.signer().startsWith("ed25519:"), info.signer());
        assertEquals(info.signer(), snapshots.inspect(info.file()).signer());
        assertEquals(info.hostCalls(), snapshots.inspect(info.file()).hostCalls());
        runtime.kill(original.id());
        String before = runtime.logs(original.id()).stdout();

        ContainerInfo restored = snapshots.restore(info.file(), name + "-restored", ContainerIO.DETACHED);
        ContainerInfo done = runtime.await(restored.id(), Duration.ofSeconds(60));
        assertEquals(0, done.exitCode(), done.message());
        assertEquals(counterOutput(n), before + runtime.logs(restored.id()).stdout());
        String file = Files.readString(data.resolve("out.txt"));
        assertTrue(file.endsWith(n + " " + (long) n * (n + 1) / 2 + "\n"), file);
        assertEquals(n, file.lines().count());
        return new Cut(info, done);
    }

    @Test
    public void aLongRunningCounterIsSnapshottedFromItsHistoryWithoutTraceFiles() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(Node.policyGate(),
                "the counter writes into its preopen ungranted only without the policy gate (felix.bndrun)");
        // not traced-*: no trace files; past the ring's 1024 calls only the run's history holds them all
        Cut cut = cutAndRestore("plain-snap-counter", 30000, 3000);
        assertTrue(cut.info().hostCalls() > 6000, cut.info().toString());
    }

    @Test
    public void aCounterSnapshottedAtAHostCallAndRestoredFinishesExactly() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(Node.policyGate(),
                "the counter writes into its preopen ungranted only without the policy gate (felix.bndrun)");
        // long enough to be still counting when the pause arrives, even on an idle machine
        int n = 30000;
        Cut done = cutAndRestore("traced-snap-counter", n, 200);
        SnapshotInfo info = done.info();
        ContainerInfo restored = done.restored();

        // it has ended: a snapshot of it is refused, saying why
        SnapshotException ended = assertThrows(SnapshotException.class,
                () -> snapshots.snapshot(restored.id(), null));
        assertTrue(ended.getMessage().contains("is stopped"), ended.getMessage());

        byte[] bytes = Files.readAllBytes(info.file());
        Path cut = dir.resolve("cut.fsnap");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 7));
        int containers = runtime.list().size();
        SnapshotException refused = assertThrows(SnapshotException.class,
                () -> snapshots.restore(cut, null, ContainerIO.DETACHED));
        assertTrue(refused.getMessage().startsWith(cut + ": the file is cut short"), refused.getMessage());
        assertEquals(containers, runtime.list().size());
    }
}
