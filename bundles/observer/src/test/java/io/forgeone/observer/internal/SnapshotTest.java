package io.forgeone.observer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.container.StopReason;
import io.forgeone.api.engine.InstanceImage;
import io.forgeone.api.observe.SnapshotException;
import io.forgeone.api.observe.SnapshotInfo;
import io.forgeone.api.wasi.Preopen;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots of real programs on the real kernel, WASI and engine: taken at a host call, the original stopped,
 * restored by re-execution, and the output and files checked to be exactly those of an uninterrupted run.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SnapshotTest {
    private static final long SEED = Long.getLong("snapshot.seed", System.nanoTime());
    @TempDir
    Path tmp;
    private Node node;

    private Node node(Map<String, Object> config) {
        node = new Node(tmp, config);
        return node;
    }

    @AfterEach
    void tearDown() {
        if (node != null) {
            node.close();
        }
    }

    static String counterOutput(int from, int n) {
        StringBuilder out = new StringBuilder();
        for (int i = from; i <= n; i++) {
            out.append("count ").append(i).append('\n');
        }
        return out.append("total ").append((long) n * (n + 1) / 2).append('\n').toString();
    }

    static String counterFile(int n) {
        StringBuilder out = new StringBuilder();
        long total = 0;
        for (int i = 1; i <= n; i++) {
            total += i;
            out.append(i).append(' ').append(total).append('\n');
        }
        return out.toString();
    }

    static String rwfileOutput(int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            out.append("lines ").append(i).append('\n');
        }
        return out.append("read back ").append(n).append(" lines\n").toString();
    }

    /** Waits until the original has printed {@code line}. */
    private static void awaitOutput(Node.Captured io, String line) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!io.stdout().contains(line)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never printed " + line.trim() + "; stdout: " + io.stdout() + io.stderr());
            }
            Thread.sleep(1);
        }
    }

    /**
     * Runs {@code program} in its own folder, pauses it once it printed {@code pauseAfter}, snapshots it, kills it,
     * restores the snapshot and returns both outputs and the folder.
     */
    private record Cut(String before, String after, ContainerInfo restored, Path dir, SnapshotInfo info) {
    }

    private Cut cut(String program, int n, String pauseAfter, String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Node.Captured original = new Node.Captured();
        ContainerInfo running = node.start(name, program, List.of(Integer.toString(n), "/data/out.txt"),
                List.of(new Preopen(dir, "/data")), original);
        awaitOutput(original, pauseAfter);
        ContainerInfo paused = node.runtime.pause(running.id());
        assertEquals(ContainerState.PAUSED, paused.state(), paused.toString());
        SnapshotInfo info = node.snapshots.snapshot(running.id(), null);
        Path history = tmp.resolve("history").resolve(Long.toString(ProcessHandle.current().pid()))
                .resolve(running.id() + Observer.HISTORY_SUFFIX);
        if (Files.exists(history)) {
            System.out.printf("%s: history file of %d bytes (without its last buffer) at host call #%d%n", name,
                    Files.size(history), info.hostCalls());
        }
        node.runtime.kill(running.id());
        System.out.printf("%s: snapshot at host call #%d, %d bytes of memory, file of %d bytes%n", name,
                info.hostCalls(), info.memoryBytes(), info.fileBytes());
        String before = original.stdout();
        Node.Captured resumed = new Node.Captured();
        ContainerInfo restored = node.snapshots.restore(info.file(), name + "-restored", resumed.io());
        ContainerInfo done = node.await(restored.id());
        assertEquals(StopReason.EXITED, done.stopReason(), done.message() + resumed.stderr());
        assertEquals(0, done.exitCode(), resumed.stderr());
        return new Cut(before, resumed.stdout(), done, dir, info);
    }

    @Test
    void aCounterRestoredAtSeveralHostCallsFinishesWithTheRightTotalAndFile() throws Exception {
        node(Map.of("durable", "*"));
        int n = 3000;
        Random random = new Random(SEED);
        List<Integer> points = new ArrayList<>(List.of(1, 700, 1 + random.nextInt(n / 2)));
        for (int point : points) {
            Cut cut = cut("counter.wasm", n, "count " + point + "\n", "counter-" + point);
            assertEquals(counterOutput(1, n), cut.before() + cut.after(), "seed " + SEED + ", point " + point);
            assertTrue(cut.after().endsWith("total " + (long) n * (n + 1) / 2 + "\n"), cut.after());
            assertEquals(counterFile(n), Files.readString(cut.dir().resolve("out.txt")), "seed " + SEED);
            assertTrue(cut.info().hostCalls() > 0);
        }
    }

    @Test
    void aFileOpenForReadingAndWritingSurvivesTheSnapshot() throws Exception {
        node(Map.of("durable", "*"));
        int n = 400;
        int point = 1 + new Random(SEED).nextInt(n / 2);
        Cut cut = cut("rwfile.wasm", n, "lines " + point + "\n", "rw");
        assertEquals(rwfileOutput(n), cut.before() + cut.after(), "seed " + SEED);
        StringBuilder file = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            file.append("line ").append(i).append('\n');
        }
        assertEquals(file.toString(), Files.readString(cut.dir().resolve("out.txt")));
    }

    @Test
    void aRunningContainerIsSnapshottedAtItsNextHostCallAndRunsOn() throws Exception {
        node(Map.of("durable", "*"));
        Path dir = Files.createDirectories(tmp.resolve("live"));
        Node.Captured original = new Node.Captured();
        int n = 3000;
        ContainerInfo running = node.start("live", "counter.wasm", List.of(Integer.toString(n), "/data/out.txt"),
                List.of(new Preopen(dir, "/data")), original);
        awaitOutput(original, "count 100\n");
        SnapshotInfo info = node.snapshots.snapshot("live", tmp.resolve("live.fsnap"));
        // the original was resumed and finishes on its own
        ContainerInfo done = node.await(running.id());
        assertEquals(0, done.exitCode(), done.message());
        assertEquals(counterOutput(1, n), original.stdout());
        assertTrue(info.signer().startsWith("ed25519:"), info.signer());
        assertEquals("live", info.containerName());
        assertEquals(List.of("counter.wasm", Integer.toString(n), "/data/out.txt"), info.argv());

        // restored after the original ended: it redoes the rest and writes the same file again
        Node.Captured resumed = new Node.Captured();
        ContainerInfo restored = node.await(node.snapshots.restore(info.file(), null, resumed.io()).id());
        assertEquals(0, restored.exitCode(), restored.message());
        assertTrue(counterOutput(1, n).endsWith(resumed.stdout()), resumed.stdout());
        assertTrue(resumed.stdout().endsWith("total " + (long) n * (n + 1) / 2 + "\n"));
        assertEquals(counterFile(n), Files.readString(dir.resolve("out.txt")));

        SnapshotInfo inspected = node.snapshots.inspect(info.file());
        assertEquals(info.hostCalls(), inspected.hostCalls());
        assertEquals(info.moduleSha256(), inspected.moduleSha256());
        assertEquals(Files.size(info.file()), inspected.fileBytes());
    }

    @Test
    void aRestoredContainerCanBeSnapshottedAgain() throws Exception {
        node(Map.of("durable", "*"));
        int n = 2000;
        Path dir = Files.createDirectories(tmp.resolve("twice"));
        Node.Captured first = new Node.Captured();
        ContainerInfo a = node.start("twice", "counter.wasm", List.of(Integer.toString(n), "/data/out.txt"),
                List.of(new Preopen(dir, "/data")), first);
        awaitOutput(first, "count 300\n");
        node.runtime.pause(a.id());
        SnapshotInfo one = node.snapshots.snapshot(a.id(), tmp.resolve("one.fsnap"));
        node.runtime.kill(a.id());
        Node.Captured second = new Node.Captured();
        ContainerInfo b = node.snapshots.restore(one.file(), "twice-2", second.io());
        awaitOutput(second, "count 900\n");
        node.runtime.pause(b.id());
        SnapshotInfo two = node.snapshots.snapshot(b.id(), tmp.resolve("two.fsnap"));
        assertTrue(two.hostCalls() > one.hostCalls());
        node.runtime.kill(b.id());
        Node.Captured third = new Node.Captured();
        ContainerInfo c = node.await(node.snapshots.restore(two.file(), "twice-3", third.io()).id());
        assertEquals(0, c.exitCode(), c.message());
        assertEquals(counterOutput(1, n), first.stdout() + second.stdout() + third.stdout());
        assertEquals(counterFile(n), Files.readString(dir.resolve("out.txt")));
    }

    @Test
    void aLongRunningContainerIsSnapshottedFromItsHistoryFileAtARandomPoint() throws Exception {
        // a small ring, no trace files: only the run's history file holds every call
        node(Map.of("ring.calls", 16, "ring.bytes", 4096));
        int n = 20_000;
        int point = 2000 + new Random(SEED).nextInt(n / 2);
        Path history = tmp.resolve("history").resolve(Long.toString(ProcessHandle.current().pid()));
        Cut cut = cut("counter.wasm", n, "count " + point + "\n", "long");
        assertTrue(cut.info().hostCalls() > 2 * point, "seed " + SEED + ": " + cut.info());
        assertEquals(counterOutput(1, n), cut.before() + cut.after(), "seed " + SEED + ", point " + point);
        assertEquals(counterFile(n), Files.readString(cut.dir().resolve("out.txt")), "seed " + SEED);
        try (var files = Files.list(history)) {
            assertEquals(List.of(), files.toList(), "every run has ended: no history file is left");
        }
    }

    @Test
    void aContainerWhoseHistoryLeftTheRingIsRefusedWithHowToFixIt() throws Exception {
        node(Map.of("history", "nothing-*"));
        Path dir = Files.createDirectories(tmp.resolve("ring"));
        Node.Captured io = new Node.Captured();
        ContainerInfo running = node.start("ring", "counter.wasm", List.of("5000", "/data/out.txt"),
                List.of(new Preopen(dir, "/data")), io);
        awaitOutput(io, "count 1000\n");
        node.runtime.pause(running.id());
        SnapshotException e = assertThrows(SnapshotException.class, () -> node.snapshots.snapshot("ring", null));
        assertTrue(e.getMessage().contains("history is incomplete") && e.getMessage().contains("durable=ring"),
                e.getMessage());
        // the container is untouched by the refusal
        assertEquals(ContainerState.PAUSED, node.runtime.state(running.id()).state());
    }

    @Test
    void anEarlySnapshotWorksFromTheRingAlone() throws Exception {
        node(Map.of());
        Cut cut = cut("counter.wasm", 2000, "count 3\n", "early");
        assertEquals(counterOutput(1, 2000), cut.before() + cut.after());
    }

    // ---- damaged and forged files -----------------------------------------------------------------------------

    private SnapshotInfo pausedSnapshot(String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Node.Captured io = new Node.Captured();
        ContainerInfo running = node.start(name, "counter.wasm", List.of("3000", "/data/out.txt"),
                List.of(new Preopen(dir, "/data")), io);
        awaitOutput(io, "count 50\n");
        node.runtime.pause(running.id());
        SnapshotInfo info = node.snapshots.snapshot(running.id(), tmp.resolve(name + ".fsnap"));
        node.runtime.kill(running.id());
        return info;
    }

    /**
     * Restoring {@code file} fails with a message naming it and containing {@code problem}; nothing is left. A file
     * that is damaged also fails inspection.
     */
    private void refused(Path file, String problem) {
        refused(file, problem, true);
    }

    private void refused(Path file, String problem, boolean damaged) {
        int before = node.runtime.list().size();
        SnapshotException e = assertThrows(SnapshotException.class,
                () -> node.snapshots.restore(file, null, new Node.Captured().io()));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertEquals(before, node.runtime.list().size(), "a refused restore leaves no container");
        if (damaged) {
            SnapshotException inspect = assertThrows(SnapshotException.class, () -> node.snapshots.inspect(file));
            assertTrue(inspect.getMessage().startsWith(file.toString()), inspect.getMessage());
        } else {
            assertEquals(file, node.snapshots.inspect(file).file());
        }
    }

    /** Re-encodes a snapshot with a change, signed by this node: only the change can make the restore fail. */
    private Path forged(Path from, String name, Function<SnapshotFile.Snapshot, SnapshotFile.Snapshot> change) {
        SnapshotFile.Snapshot s = change.apply(SnapshotFile.read(from).snapshot());
        byte[] content = SnapshotFile.encode(s);
        byte[] digest = SnapshotFile.sha256(content, content.length);
        SnapshotSigner.Signature sig = node.signer.sign(digest);
        Path file = tmp.resolve(name);
        SnapshotFile.write(file, content, SnapshotFile.trailer(digest, sig.signer(), sig.bytes()));
        return file;
    }

    @Test
    void damagedFilesAreRefusedWithTheFileAndTheProblem() throws Exception {
        node(Map.of("durable", "*"));
        Path good = pausedSnapshot("damaged").file();
        byte[] bytes = Files.readAllBytes(good);

        Path truncated = tmp.resolve("truncated.fsnap");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        refused(truncated, "cut short");

        Random random = new Random(SEED);
        for (int i = 0; i < 5; i++) {
            byte[] flipped = bytes.clone();
            int at = 9 + random.nextInt(bytes.length - 9 - 200);
            flipped[at] ^= (byte) (1 << random.nextInt(8));
            Path file = tmp.resolve("flipped-" + i + ".fsnap");
            Files.write(file, flipped);
            refused(file, "checksum mismatch");
        }

        Path notSnapshot = tmp.resolve("not.fsnap");
        Files.writeString(notSnapshot, "hello");
        refused(notSnapshot, "not a ForgeOne snapshot");
        refused(tmp.resolve("missing.fsnap"), "no such snapshot file");
        Path empty = tmp.resolve("empty.fsnap");
        Files.write(empty, new byte[0]);
        refused(empty, "not a ForgeOne snapshot");
    }

    @Test
    void aWrongSignatureIsRefused() throws Exception {
        node(Map.of("durable", "*"));
        Path good = pausedSnapshot("signed").file();
        SnapshotFile.Read read = SnapshotFile.read(good);
        byte[] content = Arrays.copyOf(Files.readAllBytes(good), (int) read.fileBytes()
                - SnapshotFile.trailer(read.signedDigest(), read.signer(), read.signature()).length);

        byte[] badSignature = read.signature().clone();
        badSignature[3] ^= 0x40;
        Path altered = tmp.resolve("bad-signature.fsnap");
        SnapshotFile.write(altered, content, SnapshotFile.trailer(read.signedDigest(), read.signer(), badSignature));
        refused(altered, "signature does not verify");

        // signed by a key this node neither owns nor trusts
        SnapshotSigner stranger = new SnapshotSigner(tmp.resolve("other-node-keys"));
        stranger.bindCodec(new io.forgeone.crypto.internal.KeyCodecImpl(Node.BC));
        stranger.bindScheme(new io.forgeone.crypto.internal.Ed25519Scheme(Node.BC));
        SnapshotSigner.Signature foreign = stranger.sign(read.signedDigest());
        Path untrusted = tmp.resolve("untrusted.fsnap");
        SnapshotFile.write(untrusted, content, SnapshotFile.trailer(read.signedDigest(), foreign.signer(),
                foreign.bytes()));
        refused(untrusted, "neither this node's nor in its trust store");

        Path unsigned = tmp.resolve("unsigned.fsnap");
        SnapshotFile.write(unsigned, content, SnapshotFile.trailer(read.signedDigest(), "", new byte[0]));
        refused(unsigned, "not signed");
    }

    @Test
    void aSnapshotOfAnotherModuleOrStateIsRefusedBeforeAnythingRuns() throws Exception {
        node(Map.of("durable", "*"));
        Path good = pausedSnapshot("forged").file();
        Path output = tmp.resolve("forged").resolve("out.txt");
        String fileBefore = Files.readString(output);

        // the module inside does not match the SHA-256 the snapshot names
        byte[] other = Files.readAllBytes(Programs.wasm("rwfile.wasm"));
        Path wrongSha = forged(good, "wrong-sha.fsnap", s -> new SnapshotFile.Snapshot(s.containerId(), s.name(),
                s.engine(), s.moduleSha256(), s.taken(), s.spec(), s.argv(), s.labels(), other, s.functions(),
                s.history(), s.instance(), s.wasi()));
        refused(wrongSha, "the module inside has SHA-256");

        // another module, named consistently: its re-execution diverges from the history
        Path wrongModule = forged(good, "wrong-module.fsnap", s -> new SnapshotFile.Snapshot(s.containerId(),
                s.name(), s.engine(), Replayer.sha256(other), s.taken(), s.spec(), s.argv(), s.labels(), other,
                s.functions(), s.history(), s.instance(), s.wasi()));
        refused(wrongModule, "diverged at call #", false);

        // a memory image that the history does not lead to
        Path wrongMemory = forged(good, "wrong-memory.fsnap", s -> {
            byte[] memory = s.instance().memory().clone();
            memory[memory.length / 2] ^= 1;
            return new SnapshotFile.Snapshot(s.containerId(), s.name(), s.engine(), s.moduleSha256(), s.taken(),
                    s.spec(), s.argv(), s.labels(), s.module(), s.functions(), s.history(),
                    new InstanceImage(memory, s.instance().globals()), s.wasi());
        });
        refused(wrongMemory, "the state differs", false);

        // a global the history does not lead to
        Path wrongGlobal = forged(good, "wrong-global.fsnap", s -> {
            long[] globals = s.instance().globals().clone();
            globals[0] += 16;
            return new SnapshotFile.Snapshot(s.containerId(), s.name(), s.engine(), s.moduleSha256(), s.taken(),
                    s.spec(), s.argv(), s.labels(), s.module(), s.functions(), s.history(),
                    new InstanceImage(s.instance().memory(), globals), s.wasi());
        });
        refused(wrongGlobal, "the state differs", false);

        // nothing of the host was touched by the refused restores
        assertEquals(fileBefore, Files.readString(output));
        assertFalse(node.runtime.list().stream().anyMatch(c -> c.state() == ContainerState.RUNNING));
    }

    @Test
    void anExportedSnapshotIsImportedOnlyWhereTheSigningNodeIsTrusted() throws Exception {
        node(Map.of("durable", "*"));
        Path taken = pausedSnapshot("travel").file();
        Path exported = tmp.resolve("out").resolve("travel.fsnap");
        SnapshotInfo info = node.snapshots.export(taken, exported);
        assertEquals(exported, info.file());
        Path publicKey = tmp.resolve("out").resolve("travel.fsnap.pub.pem");
        assertTrue(Files.readString(publicKey).contains("BEGIN PUBLIC KEY"));

        // another node, with its own key and trust store
        Path other = Files.createDirectories(tmp.resolve("other"));
        Node second = new Node(other, Map.of("durable", "*"));
        try {
            io.forgeone.api.crypto.KeyCodec codec = new io.forgeone.crypto.internal.KeyCodecImpl(Node.BC);
            java.lang.reflect.Constructor<io.forgeone.pkg.internal.TrustStoreImpl> make =
                    io.forgeone.pkg.internal.TrustStoreImpl.class.getDeclaredConstructor(Path.class,
                            io.forgeone.api.crypto.KeyCodec.class);
            make.setAccessible(true);
            io.forgeone.api.pkg.TrustStore trust = make.newInstance(other.resolve("trust"), codec);
            second.signer.bindTrust(trust);
            SnapshotException untrusted = assertThrows(SnapshotException.class,
                    () -> second.snapshots.importFile(exported));
            assertTrue(untrusted.getMessage().contains("neither this node's nor in its trust store"),
                    untrusted.getMessage());

            trust.add("first-node", Files.readString(publicKey));
            SnapshotInfo imported = second.snapshots.importFile(exported);
            assertEquals(other.resolve("snapshots").resolve("travel.fsnap"), imported.file());
            assertEquals(info.hostCalls(), second.snapshots.inspect(imported.file()).hostCalls());

            trust.revoke(info.signer().substring(info.signer().indexOf(':') + 1), "test");
            Files.delete(imported.file());
            SnapshotException revoked = assertThrows(SnapshotException.class,
                    () -> second.snapshots.importFile(exported));
            assertTrue(revoked.getMessage().contains("revoked"), revoked.getMessage());
        } finally {
            second.close();
        }
    }

    @Test
    void aFileTheSnapshotHasOpenThatIsGoneIsRefusedBeforeAnythingRuns() throws Exception {
        node(Map.of("durable", "*"));
        SnapshotInfo info = pausedSnapshot("gone");
        Files.delete(tmp.resolve("gone").resolve("out.txt"));
        refused(info.file(), "no longer exists", false);
        assertTrue(Files.notExists(tmp.resolve("gone").resolve("out.txt")), "the restore created nothing");
    }

    @Test
    void snapshottingAStoppedContainerSaysWhy() throws Exception {
        node(Map.of("durable", "*"));
        Node.Captured io = new Node.Captured();
        ContainerInfo c = node.start("done", "hello.wasm", List.of(), List.of(), io);
        node.await(c.id());
        SnapshotException e = assertThrows(SnapshotException.class, () -> node.snapshots.snapshot("done", null));
        assertTrue(e.getMessage().contains("is stopped"), e.getMessage());
        SnapshotException missing = assertThrows(SnapshotException.class,
                () -> node.snapshots.snapshot("nobody", null));
        assertTrue(missing.getMessage().contains("nobody"), missing.getMessage());
    }

}
