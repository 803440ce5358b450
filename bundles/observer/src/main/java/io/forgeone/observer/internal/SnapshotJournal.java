package io.forgeone.observer.internal;

import io.forgeone.api.container.ContainerException;
import io.forgeone.api.container.HostCallJournal;
import io.forgeone.api.engine.GuestExitException;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.InstanceImage;
import io.forgeone.api.gate.HostCallDeniedException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A snapshot's history, answered to the restored container's guest call by call (as the replayer answers a trace),
 * and its memory image and globals, against which the state the re-execution reaches is proved.
 */
final class SnapshotJournal implements HostCallJournal {
    private final Path file;
    private final SnapshotFile.Snapshot snapshot;
    private final byte[] memoryDigest;
    private final CountDownLatch arrived = new CountDownLatch(1);

    SnapshotJournal(Path file, SnapshotFile.Snapshot snapshot) {
        this.file = file;
        this.snapshot = snapshot;
        byte[] memory = snapshot.instance().memory();
        this.memoryDigest = SnapshotFile.sha256(memory, memory.length);
    }

    @Override
    public long calls() {
        return snapshot.history().size();
    }

    @Override
    public long[] answer(long sequence, String module, String name, GuestMemory memory, long[] args) {
        List<SnapshotFile.Call> history = snapshot.history();
        if (sequence < 0 || sequence >= history.size()) {
            throw new ContainerException(file + ": the restore asked for call #" + sequence + ", the history holds "
                    + history.size());
        }
        SnapshotFile.Call c = history.get((int) sequence);
        SnapshotFile.Function f = snapshot.functions().get(c.function());
        if (!f.module().equals(module) || !f.name().equals(name) || !Arrays.equals(c.args(), args)) {
            throw new ContainerException(file + ": the re-execution diverged at call #" + sequence + ": the snapshot's"
                    + " history has " + describe(f.toString(), c.args()) + ", the module made "
                    + describe(module + "." + name, args) + " (the module does not behave deterministically, or the"
                    + " history does not belong to it)");
        }
        for (io.forgeone.observer.internal.RawCall.Access a : c.writes()) {
            memory.write(a.address(), a.bytes());
        }
        if (c.results() != null) {
            return c.results().clone();
        }
        switch (c.failureKind()) {
            case RawCall.EXIT:
                throw new GuestExitException(c.exitCode());
            case RawCall.DENIED:
                throw new HostCallDeniedException(c.failure());
            default:
                throw new IllegalStateException("recorded failure of call #" + sequence + ": " + c.failure());
        }
    }

    private static String describe(String function, long[] args) {
        return function + Arrays.stream(args).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
    }

    @Override
    public void arrived(InstanceImage image) {
        InstanceImage expected = snapshot.instance();
        byte[] memory = image.memory();
        byte[] digest = SnapshotFile.sha256(memory, memory.length);
        if (memory.length != expected.memory().length || !MessageDigest.isEqual(digest, memoryDigest)) {
            throw new ContainerException(file + ": the re-execution reached call #" + calls() + " with memory of "
                    + memory.length + " bytes, SHA-256 " + SnapshotFile.hex(digest) + ", but the snapshot's memory"
                    + " image is " + expected.memory().length + " bytes, SHA-256 " + SnapshotFile.hex(memoryDigest)
                    + ": the state differs (the memory image does not belong to this history, or the module does not"
                    + " behave deterministically); not restored");
        }
        if (!Arrays.equals(image.globals(), expected.globals())) {
            int at = Arrays.mismatch(image.globals(), expected.globals());
            throw new ContainerException(file + ": the re-execution reached call #" + calls() + " with global " + at
                    + " = " + (at < image.globals().length ? image.globals()[at] : "(none)") + ", but the snapshot has "
                    + (at < expected.globals().length ? expected.globals()[at] : "(none)")
                    + ": the state differs; not restored");
        }
    }

    @Override
    public void live() {
        arrived.countDown();
    }

    /**
     * Waits until the restored guest has proved its state and has its descriptors back, up to {@code millis}; true
     * when it has.
     */
    boolean awaitArrival(long millis) throws InterruptedException {
        return arrived.await(millis, TimeUnit.MILLISECONDS);
    }

    boolean hasArrived() {
        return arrived.getCount() == 0;
    }
}
