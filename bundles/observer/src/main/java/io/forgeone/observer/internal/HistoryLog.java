package io.forgeone.observer.internal;

import io.forgeone.api.engine.GuestExitException;
import io.forgeone.api.gate.Decision;
import io.forgeone.api.observe.MemoryAccesses;
import io.forgeone.api.observe.SnapshotException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The complete history of one container run, kept so that the run can be snapshotted at any host call however
 * long it has run: for every call, what a re-execution must be answered (the function, its arguments, its results
 * or failure, and every byte it wrote into guest memory), and nothing else (no times, no decisions, no reads).
 *
 * <p>Calls are encoded compactly (variable-length numbers) into a buffer on the guest's thread, without locking or
 * allocating; a full buffer is appended to the run's history file, which is deleted when the run ends. When the
 * file would pass its size limit, or cannot be written, the history stops and says why: the run can then no
 * longer be snapshotted, and nothing else changes.
 *
 * <p>A reader ({@link #read}) reads while the guest is held at a host call, and checks that it was.
 */
final class HistoryLog {
    static final int BUFFER = 64 * 1024;
    private static final int HAS_RESULTS = 4;
    /** The most a call of the small case takes: function, head, 4 arguments, 2 results, counts. */
    private static final int SMALL = 5 + 1 + 1 + 4 * 10 + 1 + 2 * 10 + 1;

    private final Path file;
    private final long maxBytes;
    private byte[] buffer = new byte[BUFFER];
    private ByteBuffer wrapped = ByteBuffer.wrap(buffer);
    private int position;
    private FileChannel channel;
    /** Bytes in the file. */
    private long spilled;
    /** Calls appended (the guest's thread). */
    private long calls;
    /** Calls appended, published after each call's bytes (release), for readers. */
    private final AtomicLong published = new AtomicLong();
    /** Why the history stopped, or null while it is complete. */
    private volatile String stopped;
    private volatile boolean closed;

    /**
     * @param file where calls go once they pass the buffer (created then; its folder too)
     * @param maxBytes the most the history may hold, in memory and file together
     */
    HistoryLog(Path file, long maxBytes) {
        this.file = file;
        this.maxBytes = maxBytes;
    }

    // ---- the guest's thread -----------------------------------------------------------------------------------

    /**
     * Appends a call. The common small case (results, no failure, no memory written, a few numbers) is kept short
     * so that the JIT inlines it into the gate wrapper; otherwise the engine's argument array would escape here and
     * be allocated for every call.
     */
    void append(int function, long[] args, long[] results, Throwable failure, MemoryAccesses accesses) {
        if (stopped != null) {
            return;
        }
        if (failure == null && results != null && accesses.count() == 0 && args.length <= 4 && results.length <= 2) {
            // room() takes no reference to the call: the arguments must not escape on this path either
            if ((position + SMALL > buffer.length || spilled + position + SMALL > maxBytes) && !room(SMALL)) {
                return;
            }
            byte[] b = buffer;
            int p = Codec.putVarlong(b, position, function);
            b[p++] = HAS_RESULTS;
            b[p++] = (byte) args.length;
            for (long a : args) {
                p = Codec.putVarlong(b, p, Codec.zigzag(a));
            }
            b[p++] = (byte) results.length;
            for (long r : results) {
                p = Codec.putVarlong(b, p, Codec.zigzag(r));
            }
            b[p++] = 0; // no writes
            position = p;
            calls++;
            published.lazySet(calls);
            return;
        }
        appendAny(function, args, results, failure, accesses);
    }

    private void appendAny(int function, long[] args, long[] results, Throwable failure, MemoryAccesses accesses) {
        int failureKind = failure == null ? RawCall.NONE : CallRing.failureKind(failure);
        byte[] failureText = failureKind == RawCall.DENIED || failureKind == RawCall.TRAP
                ? CallRing.oneLine(failure).getBytes(StandardCharsets.UTF_8) : null;
        int count = accesses.count();
        long need = 10 + 1 + 10L * (1 + args.length) + (results == null ? 0 : 10L * (1 + results.length)) + 10
                + (failureText == null ? 0 : 5 + failureText.length) + 5;
        for (int i = 0; i < count; i++) {
            if (accesses.isWrite(i)) {
                need += 15 + accesses.length(i);
            }
        }
        if (!room(need)) {
            return;
        }
        byte[] b = buffer;
        int p = position;
        p = Codec.putVarlong(b, p, function);
        b[p++] = (byte) (failureKind | (results != null ? HAS_RESULTS : 0));
        p = Codec.putVarlong(b, p, args.length);
        for (long a : args) {
            p = Codec.putVarlong(b, p, Codec.zigzag(a));
        }
        if (results != null) {
            p = Codec.putVarlong(b, p, results.length);
            for (long r : results) {
                p = Codec.putVarlong(b, p, Codec.zigzag(r));
            }
        }
        if (failureKind == RawCall.EXIT) {
            p = Codec.putVarlong(b, p, Codec.zigzag(((GuestExitException) failure).exitCode()));
        } else if (failureText != null) {
            p = Codec.putVarlong(b, p, failureText.length);
            System.arraycopy(failureText, 0, b, p, failureText.length);
            p += failureText.length;
        }
        int writes = 0;
        for (int i = 0; i < count; i++) {
            writes += accesses.isWrite(i) ? 1 : 0;
        }
        p = Codec.putVarlong(b, p, writes);
        for (int i = 0; i < count; i++) {
            if (accesses.isWrite(i)) {
                int length = accesses.length(i);
                p = Codec.putVarlong(b, p, accesses.address(i));
                p = Codec.putVarlong(b, p, length);
                accesses.copy(i, b, p);
                p += length;
            }
        }
        position = p;
        calls++;
        published.lazySet(calls);
    }

    /** Makes room for {@code need} bytes in the buffer, writing it to the file first if needed; false if stopped. */
    private boolean room(long need) {
        if (spilled + position + need > maxBytes + 64) {
            // the estimate is an upper bound; the limit is checked on it so that the file never passes maxBytes
            stop("its history passed history_max_mib (" + (maxBytes >> 20) + " MiB) at host call #" + calls
                    + "; raise history_max_mib in etc/io.forgeone.observer.cfg for runs this long");
            return false;
        }
        if (position + need <= buffer.length) {
            return true;
        }
        if (!spill()) {
            return false;
        }
        if (need > buffer.length) {
            // one call that writes more than the buffer holds (a large read into the guest): a larger buffer
            buffer = new byte[(int) Math.min(Integer.MAX_VALUE - 8, Math.max(need, 2L * buffer.length))];
            wrapped = ByteBuffer.wrap(buffer);
        }
        return true;
    }

    private boolean spill() {
        if (position == 0) {
            return true;
        }
        try {
            if (channel == null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
            }
            wrapped.clear().limit(position);
            while (wrapped.hasRemaining()) {
                channel.write(wrapped);
            }
            spilled += position;
            position = 0;
            return true;
        } catch (IOException | RuntimeException e) {
            stop("its history file " + file + " cannot be written (" + e.getMessage() + ") at host call #" + calls);
            return false;
        }
    }

    private void stop(String why) {
        stopped = why;
        buffer = new byte[0];
        wrapped = ByteBuffer.wrap(buffer);
        position = 0;
        closeFile();
    }

    /** The run ended: the history is no longer needed, and its file goes. */
    synchronized void close() {
        closed = true;
        if (stopped == null) {
            stopped = "its run has ended";
        }
        closeFile();
    }

    private void closeFile() {
        try {
            if (channel != null) {
                channel.close();
            }
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover file is removed when the observer next starts
        }
        channel = null;
    }

    // ---- readers ----------------------------------------------------------------------------------------------

    long calls() {
        return published.get();
    }

    /** Why the history is incomplete, or null when it holds every call. */
    String stopped() {
        return stopped;
    }

    /**
     * Calls 0 to {@code count - 1}, as the ring would give them (no times, decisions or reads: only what a
     * re-execution needs). Call it while the guest is held at a host call.
     *
     * @throws SnapshotException when the history is incomplete or does not hold that many calls
     */
    synchronized List<RawCall> read(long count, String containerName) {
        long have = published.get();
        String why = stopped;
        if (why != null) {
            throw new SnapshotException("container " + containerName + " cannot be snapshotted: " + why);
        }
        if (have < count) {
            throw new SnapshotException("the history of container " + containerName + " holds " + have
                    + " host calls, the container has made " + count);
        }
        byte[] bytes;
        try {
            long fileBytes = spilled;
            int inMemory = position;
            if (fileBytes + inMemory > Integer.MAX_VALUE - 16) {
                throw new SnapshotException("the history of container " + containerName + " is "
                        + (fileBytes + inMemory) + " bytes, more than a snapshot holds");
            }
            bytes = new byte[(int) (fileBytes + inMemory)];
            if (fileBytes > 0) {
                try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                    ByteBuffer target = ByteBuffer.wrap(bytes, 0, (int) fileBytes);
                    while (target.hasRemaining()) {
                        if (in.read(target) < 0) {
                            throw new SnapshotException("the history file " + file + " of container "
                                    + containerName + " is shorter than written: changed by someone else");
                        }
                    }
                }
            }
            System.arraycopy(buffer, 0, bytes, (int) fileBytes, inMemory);
        } catch (IOException e) {
            throw new SnapshotException("the history file " + file + " of container " + containerName
                    + " cannot be read: " + e.getMessage(), e);
        }
        if (published.get() != have || stopped != null) {
            throw new SnapshotException("container " + containerName + " made host calls while its history was read:"
                    + " it was not held at a host call");
        }
        try {
            return decode(bytes, count);
        } catch (Codec.Malformed e) {
            throw new SnapshotException("the history of container " + containerName + " is corrupted at byte "
                    + e.position + ": " + e.getMessage(), e);
        }
    }

    static List<RawCall> decode(byte[] b, long count) throws Codec.Malformed {
        List<RawCall> out = new ArrayList<>((int) Math.min(count, 1 << 20));
        Codec.In in = new Codec.In(b, 0, b.length);
        for (long n = 0; n < count; n++) {
            int function = in.count(Integer.MAX_VALUE, "function index");
            int head = in.u8();
            int failureKind = head & 3;
            long[] args = new long[in.count(1 << 16, "argument count")];
            for (int i = 0; i < args.length; i++) {
                args[i] = in.zigzag();
            }
            long[] results = null;
            if ((head & HAS_RESULTS) != 0) {
                results = new long[in.count(1 << 16, "result count")];
                for (int i = 0; i < results.length; i++) {
                    results[i] = in.zigzag();
                }
            }
            int exitCode = 0;
            String failure = "";
            if (failureKind == RawCall.EXIT) {
                exitCode = (int) in.zigzag();
                failure = "exit " + exitCode;
            } else if (failureKind != RawCall.NONE) {
                failure = in.utf(Integer.MAX_VALUE, "failure");
            }
            int writes = in.count(Integer.MAX_VALUE, "write count");
            List<RawCall.Access> accesses = new ArrayList<>(Math.min(writes, 1024));
            long written = 0;
            for (int i = 0; i < writes; i++) {
                long address = in.varlong();
                byte[] data = in.bytes(in.count(Integer.MAX_VALUE, "write length"));
                accesses.add(new RawCall.Access(true, address, data));
                written += data.length;
            }
            out.add(new RawCall(n, 0, function, failureKind == RawCall.DENIED ? Decision.DENY : Decision.ALLOW, args,
                    results, failureKind, exitCode, failure, accesses, written, false));
        }
        return out;
    }
}
