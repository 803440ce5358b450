package io.forgeone.observer.internal;

import io.forgeone.api.engine.GuestExitException;
import io.forgeone.api.gate.Decision;
import io.forgeone.api.gate.HostCallDeniedException;
import io.forgeone.api.observe.MemoryAccesses;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The latest calls of one container run, in preallocated arrays: a ring of fixed-size slots (numbers only) and a
 * ring of bytes for the memory each call read and wrote. Written by the guest's thread only, without allocating
 * or locking; read by anyone, who copies a call out and then checks that the writer did not overwrite it
 * meanwhile (a claim is published before a slot or its bytes are written, the count of calls after).
 *
 * <p>A durable ring is drained by a trace file writer, and the guest waits rather than overwrite a call the writer
 * has not taken yet: nothing is lost, at the cost of the guest's speed when the writer falls behind.
 */
final class CallRing {
    private static final VarHandle CLAIMED;
    private static final VarHandle ARENA_HEAD;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CLAIMED = lookup.findVarHandle(CallRing.class, "claimed", long.class);
            ARENA_HEAD = lookup.findVarHandle(CallRing.class, "arenaHead", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // slot layout
    private static final int SEQ = 0;
    private static final int TIME = 1;
    private static final int FUNCTION = 2;
    private static final int SHAPE = 3;
    private static final int EXIT = 4;
    private static final int DATA_AT = 5;
    private static final int DATA_LENGTH = 6;
    private static final int WRITTEN = 7;
    private static final int ACCESSES = 8;
    private static final int ARGS = 9;
    /** Per access in the byte ring: kind (1), address (8), length (4). */
    private static final int ACCESS_HEAD = 13;
    private static final Decision[] DECISIONS = Decision.values();

    private final int capacity;
    private final int mask;
    private final int stride;
    private final int maxArgs;
    private final int maxResults;
    private final long[] slots;
    private final Object[] failures;
    private final byte[] arena;
    private final int arenaMask;
    private final boolean durable;
    /** Where calls get their time; null for {@link System#nanoTime()} on every call. */
    private final TickClock clock;

    /** Calls written and published (release store; read with acquire). */
    private final AtomicLong published = new AtomicLong();
    /** Guest thread only. */
    private long next;
    /** The call being written: published before its slot is touched. */
    @SuppressWarnings("unused")
    private long claimed = -1;
    /** End of the byte ring's reserved bytes (absolute): published before they are written. */
    @SuppressWarnings("unused")
    private long arenaHead;
    /** Calls not recorded because the guest was stopped while waiting for the writer (durable only). */
    private volatile long lost;

    /** For a durable ring: the writer has taken calls before this, and their bytes before {@code drainedBytes}. */
    private volatile long drained;
    private volatile long drainedBytes;
    private volatile Thread writer;

    /**
     * @param calls slots (rounded up to a power of two)
     * @param bytes bytes for memory accesses (rounded up to a power of two)
     * @param maxArgs the most arguments any function takes
     * @param maxResults the most results any function returns
     * @param clock where calls get their time, or null to read {@link System#nanoTime()} for each
     */
    CallRing(int calls, int bytes, int maxArgs, int maxResults, boolean durable, TickClock clock) {
        this.capacity = powerOfTwo(calls);
        this.mask = capacity - 1;
        this.maxArgs = maxArgs;
        this.maxResults = maxResults;
        this.stride = ARGS + maxArgs + maxResults;
        this.slots = new long[capacity * stride];
        this.failures = new Object[capacity];
        this.arena = new byte[powerOfTwo(bytes)];
        this.arenaMask = arena.length - 1;
        this.durable = durable;
        this.clock = clock;
    }

    static int powerOfTwo(int n) {
        int v = Math.max(2, n);
        return Integer.highestOneBit(v - 1) << 1;
    }

    int capacity() {
        return capacity;
    }

    int arenaCapacity() {
        return arena.length;
    }

    boolean durable() {
        return durable;
    }

    // ---- the guest's thread -----------------------------------------------------------------------------------

    /**
     * Records a call. The common case (no memory touched, no trace file) is kept small so that the JIT inlines it
     * into the gate wrapper, and the engine's argument array need not be allocated.
     */
    void record(int function, long[] args, Decision decision, long[] results, Throwable failure,
            MemoryAccesses accesses) {
        if (durable || accesses.count() != 0) {
            recordWithBytes(function, args, decision, results, failure, accesses);
            return;
        }
        long n = next;
        CLAIMED.setOpaque(this, n);
        VarHandle.storeStoreFence();
        slot(n, function, args, decision, results, failure, arenaHead, 0, 0, 0, false);
        next = n + 1;
        published.lazySet(n + 1);
    }

    private void recordWithBytes(int function, long[] args, Decision decision, long[] results, Throwable failure,
            MemoryAccesses accesses) {
        int count = accesses.count();
        long blob = 0;
        for (int i = 0; i < count; i++) {
            blob += ACCESS_HEAD + accesses.length(i);
        }
        // a call that moved more than half the ring's bytes is kept without them (its byte count stays)
        boolean dropped = blob > arena.length / 2;
        if (dropped) {
            blob = 0;
            count = 0;
        }
        long n = next;
        long at = arenaHead;
        int index = (int) (at & arenaMask);
        if (index + blob > arena.length) {
            at += arena.length - index;
            index = 0;
        }
        if (durable && !awaitWriter(n, at + blob)) {
            lost++;
            return;
        }
        CLAIMED.setOpaque(this, n);
        ARENA_HEAD.setOpaque(this, at + blob);
        VarHandle.storeStoreFence();
        slot(n, function, args, decision, results, failure, at, blob, count, accesses.bytesWritten(), dropped);
        for (int i = 0; i < count; i++) {
            int length = accesses.length(i);
            arena[index] = (byte) (accesses.isWrite(i) ? 1 : 0);
            putLong(arena, index + 1, accesses.address(i));
            putInt(arena, index + 9, length);
            accesses.copy(i, arena, index + ACCESS_HEAD);
            index += ACCESS_HEAD + length;
        }
        next = n + 1;
        published.lazySet(n + 1);
        if (durable && n - drained == capacity / 2) {
            wakeWriter();
        }
    }

    private void slot(long n, int function, long[] args, Decision decision, long[] results, Throwable failure,
            long dataAt, long dataLength, int accessCount, long written, boolean dropped) {
        int s = (int) (n & mask) * stride;
        long[] slots = this.slots;
        slots[s + SEQ] = n;
        slots[s + TIME] = clock == null ? System.nanoTime() : clock.now();
        slots[s + FUNCTION] = function;
        int argCount = Math.min(args.length, maxArgs);
        int resultCount = results == null ? 0 : Math.min(results.length, maxResults) + 1;
        int failureKind = failure == null ? RawCall.NONE : failureKind(failure);
        slots[s + SHAPE] = decision.ordinal() | failureKind << 8 | (long) resultCount << 16 | (long) argCount << 32
                | (dropped ? 1L << 48 : 0);
        slots[s + EXIT] = failureKind == RawCall.EXIT ? ((GuestExitException) failure).exitCode() : 0;
        slots[s + DATA_AT] = dataAt;
        slots[s + DATA_LENGTH] = dataLength;
        slots[s + WRITTEN] = written;
        slots[s + ACCESSES] = accessCount;
        for (int i = 0; i < argCount; i++) {
            slots[s + ARGS + i] = args[i];
        }
        for (int i = 0; i < resultCount - 1; i++) {
            slots[s + ARGS + argCount + i] = results[i];
        }
        failures[(int) (n & mask)] = failure;
    }

    static int failureKind(Throwable failure) {
        return failure instanceof GuestExitException ? RawCall.EXIT
                : failure instanceof HostCallDeniedException ? RawCall.DENIED : RawCall.TRAP;
    }

    /** Waits until the writer has taken enough that call {@code n} and bytes up to {@code bytesEnd} fit. */
    private boolean awaitWriter(long n, long bytesEnd) {
        while (n - drained >= capacity || bytesEnd - drainedBytes > arena.length) {
            wakeWriter();
            LockSupport.parkNanos(this, 100_000);
            if (Thread.currentThread().isInterrupted()) {
                // the container is being stopped: do not hold it for the trace
                return false;
            }
        }
        return true;
    }

    private void wakeWriter() {
        Thread w = writer;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    // ---- readers ----------------------------------------------------------------------------------------------

    /** Calls recorded so far. */
    long published() {
        return published.get();
    }

    long lost() {
        return lost;
    }

    /** The oldest call that may still be kept ({@link #read} says whether it still is, should the guest be writing). */
    long oldest() {
        return Math.max(0, published.get() - capacity);
    }

    void writer(Thread thread) {
        writer = thread;
    }

    /** Called by the writer after it has taken call {@code sequence}. */
    void drained(RawCall call, long bytesEnd) {
        drainedBytes = Math.max(drainedBytes, bytesEnd);
        drained = call.sequence() + 1;
    }

    /** The ring byte position after call {@code c}'s bytes (for {@link #drained}). */
    long bytesEnd(long sequence) {
        int s = (int) (sequence & mask) * stride;
        return slots[s + DATA_AT] + slots[s + DATA_LENGTH];
    }

    /**
     * A copy of call {@code sequence}, its times relative to {@code base}; {@code null} when it is not recorded yet
     * or was overwritten.
     */
    RawCall read(long sequence, long base) {
        if (sequence < 0 || sequence >= published.get()) {
            return null;
        }
        int s = (int) (sequence & mask) * stride;
        long[] copy = new long[stride];
        System.arraycopy(slots, s, copy, 0, stride);
        Object failure = failures[(int) (sequence & mask)];
        byte[] data = null;
        long dataAt = copy[DATA_AT];
        int dataLength = (int) copy[DATA_LENGTH];
        if (dataLength > 0 && dataLength <= arena.length) {
            data = new byte[dataLength];
            System.arraycopy(arena, (int) (dataAt & arenaMask), data, 0,
                    Math.min(dataLength, arena.length - (int) (dataAt & arenaMask)));
        }
        VarHandle.loadLoadFence();
        long claim = (long) CLAIMED.getOpaque(this);
        long head = (long) ARENA_HEAD.getOpaque(this);
        if (copy[SEQ] != sequence || claim >= sequence + capacity) {
            return null;
        }
        boolean bytesGone = data != null && dataAt < head - arena.length;
        long shape = copy[SHAPE];
        int decision = (int) (shape & 0xFF);
        int failureKind = (int) (shape >>> 8 & 0xFF);
        int resultCount = (int) (shape >>> 16 & 0xFFFF);
        int argCount = (int) (shape >>> 32 & 0xFFFF);
        boolean dropped = (shape >>> 48 & 1) != 0 || bytesGone;
        long[] args = new long[argCount];
        System.arraycopy(copy, ARGS, args, 0, argCount);
        long[] results = null;
        if (resultCount > 0) {
            results = new long[resultCount - 1];
            System.arraycopy(copy, ARGS + argCount, results, 0, resultCount - 1);
        }
        List<RawCall.Access> accesses = new ArrayList<>();
        if (data != null && !bytesGone) {
            int at = 0;
            for (int i = 0; i < copy[ACCESSES]; i++) {
                boolean write = data[at] != 0;
                long address = getLong(data, at + 1);
                int length = getInt(data, at + 9);
                byte[] bytes = new byte[length];
                System.arraycopy(data, at + ACCESS_HEAD, bytes, 0, length);
                accesses.add(new RawCall.Access(write, address, bytes));
                at += ACCESS_HEAD + length;
            }
        }
        String failureText = failureKind == RawCall.NONE ? "" : failureKind == RawCall.EXIT ? "exit " + copy[EXIT]
                : failure == null ? "failed" : oneLine((Throwable) failure);
        return new RawCall(sequence, copy[TIME] - base, (int) copy[FUNCTION],
                DECISIONS[decision], args, results, failureKind, (int) copy[EXIT], failureText, accesses, copy[WRITTEN],
                dropped);
    }

    static String oneLine(Throwable t) {
        String message = t.getMessage();
        String text = message == null || message.isBlank() ? t.getClass().getSimpleName()
                : t instanceof HostCallDeniedException ? message : t.getClass().getSimpleName() + ": " + message;
        return text.replace('\n', ' ');
    }

    private static void putLong(byte[] b, int at, long v) {
        putInt(b, at, (int) v);
        putInt(b, at + 4, (int) (v >>> 32));
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    private static long getLong(byte[] b, int at) {
        return (getInt(b, at) & 0xFFFFFFFFL) | (long) getInt(b, at + 4) << 32;
    }

    private static int getInt(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }
}
