package io.forgeone.wasi.internal;

import static io.forgeone.wasi.internal.GuestIo.i32;
import static io.forgeone.wasi.internal.GuestIo.u32;

import io.forgeone.api.engine.GuestExitException;
import io.forgeone.api.engine.GuestMemory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/** Arguments, environment, clocks, randomness, exit, yield and poll_oneoff. */
final class ProcFunctions {
    private static final int RANDOM_CHUNK = 64 * 1024;
    /** More subscriptions than this is EINVAL: each costs host memory before anything is polled. */
    static final int MAX_SUBSCRIPTIONS = 4096;
    /** How long poll_oneoff sleeps at most between checks, so that an interrupt is noticed promptly. */
    private static final long POLL_SLICE_NANOS = 10_000_000L;

    private final WasiContext context;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    ProcFunctions(WasiContext context) {
        this.context = context;
    }

    void register(FunctionTable table) {
        table.add("args_get", "ii", (m, a) -> strings(m, context.args, u32(a, 0), u32(a, 1)), (m, a, d) -> { });
        table.add("args_sizes_get", "ii", (m, a) -> sizes(m, context.args, u32(a, 0), u32(a, 1)),
                (m, a, d) -> { });
        table.add("environ_get", "ii", (m, a) -> strings(m, context.env, u32(a, 0), u32(a, 1)),
                (m, a, d) -> { });
        table.add("environ_sizes_get", "ii", (m, a) -> sizes(m, context.env, u32(a, 0), u32(a, 1)),
                (m, a, d) -> { });
        table.add("clock_res_get", "ii", this::clockResGet, (m, a, d) -> d.put("clock", Preview1.clockName(i32(a, 0))));
        table.add("clock_time_get", "iIi", this::clockTimeGet, (m, a, d) -> {
            d.put("clock", Preview1.clockName(i32(a, 0)));
            d.put("precision", a[1]);
        });
        table.add("random_get", "ii", this::randomGet, (m, a, d) -> d.put("bytes", u32(a, 1)));
        table.addNoResult("proc_exit", "i", ProcFunctions::procExit, (m, a, d) -> d.put("code", u32(a, 0)));
        table.add("proc_raise", "i", (m, a) -> {
            int signal = i32(a, 0);
            // The witx signal enum has 31 values; wasmtime supports none of them.
            throw new ErrnoException(signal < 0 || signal > 30 ? Errno.INVAL : Errno.NOTSUP);
        }, (m, a, d) -> d.put("signal", i32(a, 0)));
        table.add("sched_yield", "", (m, a) -> {
            Thread.yield();
            return Errno.SUCCESS;
        }, (m, a, d) -> { });
        table.add("poll_oneoff", "iiii", this::pollOneoff, (m, a, d) -> d.put("subscriptions", u32(a, 2)));
    }

    /** args_get / environ_get: a pointer per string, then the strings, each NUL-terminated. */
    private static int strings(GuestMemory memory, List<byte[]> strings, long pointers, long buffer) {
        long at = buffer;
        for (int i = 0; i < strings.size(); i++) {
            byte[] bytes = strings.get(i);
            memory.writeI32(pointers + 4L * i, (int) at);
            memory.write(at, bytes);
            memory.writeByte(at + bytes.length, (byte) 0);
            at += bytes.length + 1L;
        }
        return Errno.SUCCESS;
    }

    private static int sizes(GuestMemory memory, List<byte[]> strings, long countPtr, long sizePtr) {
        long total = 0;
        for (byte[] bytes : strings) {
            total += bytes.length + 1L;
        }
        if (total > 0xFFFF_FFFFL) {
            throw new ErrnoException(Errno.OVERFLOW);
        }
        memory.writeI32(countPtr, strings.size());
        memory.writeI32(sizePtr, (int) total);
        return Errno.SUCCESS;
    }

    private int clockResGet(GuestMemory memory, long[] args) {
        int id = i32(args, 0);
        checkClock(id);
        // Linux clock_getres answers 1 ns for all four clocks; the JDK reads the same clocks.
        memory.writeI64(u32(args, 1), 1L);
        return Errno.SUCCESS;
    }

    private int clockTimeGet(GuestMemory memory, long[] args) {
        int id = i32(args, 0);
        checkClock(id);
        memory.writeI64(u32(args, 2), now(id));
        return Errno.SUCCESS;
    }

    private void checkClock(int id) {
        if (id < 0 || id > Preview1.CLOCK_THREAD_CPUTIME) {
            throw new ErrnoException(Errno.INVAL);
        }
        if (id >= Preview1.CLOCK_PROCESS_CPUTIME && !threads.isCurrentThreadCpuTimeSupported()) {
            throw new ErrnoException(Errno.BADF);
        }
    }

    /**
     * The clock in nanoseconds. Both CPU-time clocks read the CPU time of the thread running the guest: a
     * preview1 guest is single-threaded, so that is its process; the JVM's own CPU time would tell the
     * guest how busy the other tenants are. (wasmtime answers EBADF for both CPU-time clocks.)
     */
    private long now(int id) {
        switch (id) {
            case Preview1.CLOCK_REALTIME:
                return realtimeNanos();
            case Preview1.CLOCK_MONOTONIC:
                return System.nanoTime() - context.monotonicOrigin;
            default:
                long cpu = threads.getCurrentThreadCpuTime();
                if (cpu < 0) {
                    throw new ErrnoException(Errno.BADF);
                }
                return cpu;
        }
    }

    private static long realtimeNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private int randomGet(GuestMemory memory, long[] args) {
        long buffer = u32(args, 0);
        long length = u32(args, 1);
        GuestIo.checkRange(memory, buffer, length);
        byte[] chunk = new byte[(int) Math.min(length, RANDOM_CHUNK)];
        for (long done = 0; done < length; done += chunk.length) {
            int n = (int) Math.min(chunk.length, length - done);
            context.random.nextBytes(chunk);
            memory.write(buffer + done, chunk, 0, n);
        }
        return Errno.SUCCESS;
    }

    /** As wasmtime: a status outside [0, 126) is not an exit but a trap. */
    private static int procExit(GuestMemory memory, long[] args) {
        long status = u32(args, 0);
        if (status >= 126) {
            throw new IllegalArgumentException("exit with invalid exit status outside of [0..126): " + status);
        }
        throw new GuestExitException((int) status);
    }

    /**
     * poll_oneoff over clock subscriptions (realtime and monotonic, relative or absolute) and fd_read /
     * fd_write on stdio and files, which are always ready, as in wasmtime for files and stdout. Stdin is
     * reported ready too: it is a configured stream, and a read blocks until it has data or ends.
     */
    private int pollOneoff(GuestMemory memory, long[] args) {
        long in = u32(args, 0);
        long out = u32(args, 1);
        long count = u32(args, 2);
        long resultPtr = u32(args, 3);
        if (count == 0) {
            throw new ErrnoException(Errno.INVAL);
        }
        if (count > MAX_SUBSCRIPTIONS) {
            throw new ErrnoException(Errno.INVAL);
        }
        int n = (int) count;
        GuestIo.checkRange(memory, in, count * Preview1.SUBSCRIPTION_SIZE);
        GuestIo.checkRange(memory, out, count * Preview1.EVENT_SIZE);
        long[] userdata = new long[n];
        int[] type = new int[n];
        long[] deadline = new long[n];
        int[] hangup = new int[n];
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long sub = in + (long) i * Preview1.SUBSCRIPTION_SIZE;
            userdata[i] = memory.readI64(sub);
            type[i] = memory.readByte(sub + Preview1.SUBSCRIPTION_TAG) & 0xFF;
            switch (type[i]) {
                case Preview1.EVENTTYPE_CLOCK:
                    deadline[i] = clockDeadline(memory, sub, start);
                    break;
                case Preview1.EVENTTYPE_FD_READ:
                case Preview1.EVENTTYPE_FD_WRITE:
                    hangup[i] = fdReadiness(memory.readI32(sub + Preview1.SUBSCRIPTION_FD), type[i]);
                    break;
                default:
                    throw new ErrnoException(Errno.INVAL);
            }
        }
        while (true) {
            long now = System.nanoTime();
            long earliest = Long.MAX_VALUE;
            int ready = 0;
            for (int i = 0; i < n; i++) {
                if (type[i] != Preview1.EVENTTYPE_CLOCK || now - deadline[i] >= 0) {
                    ready++;
                } else {
                    earliest = Math.min(earliest, deadline[i] - now);
                }
            }
            if (ready > 0) {
                int written = 0;
                for (int i = 0; i < n; i++) {
                    if (type[i] == Preview1.EVENTTYPE_CLOCK && now - deadline[i] < 0) {
                        continue;
                    }
                    writeEvent(memory, out + (long) written * Preview1.EVENT_SIZE, userdata[i], type[i], hangup[i]);
                    written++;
                }
                memory.writeI32(resultPtr, written);
                return Errno.SUCCESS;
            }
            LockSupport.parkNanos(Math.min(earliest, POLL_SLICE_NANOS));
            if (Thread.currentThread().isInterrupted()) {
                // Left set: the engine stops the guest on it.
                return Errno.INTR;
            }
        }
    }

    /** The System.nanoTime() at which a clock subscription fires. */
    private long clockDeadline(GuestMemory memory, long sub, long start) {
        int id = memory.readI32(sub + Preview1.SUBSCRIPTION_CLOCK_ID);
        long timeout = memory.readI64(sub + Preview1.SUBSCRIPTION_CLOCK_TIMEOUT);
        int flags = (memory.readByte(sub + Preview1.SUBSCRIPTION_CLOCK_FLAGS) & 0xFF)
                | (memory.readByte(sub + Preview1.SUBSCRIPTION_CLOCK_FLAGS + 1) & 0xFF) << 8;
        if ((flags & ~Preview1.SUBCLOCK_ABSTIME) != 0) {
            throw new ErrnoException(Errno.INVAL);
        }
        boolean absolute = flags != 0;
        long relative;
        switch (id) {
            case Preview1.CLOCK_MONOTONIC:
                relative = absolute ? unsignedMinus(timeout, start - context.monotonicOrigin) : timeout;
                break;
            case Preview1.CLOCK_REALTIME:
                relative = absolute ? unsignedMinus(timeout, realtimeNanos()) : timeout;
                break;
            default:
                throw new ErrnoException(Errno.INVAL);
        }
        // Unsigned timeouts beyond ~292 years saturate.
        long wait = relative < 0 ? Long.MAX_VALUE / 2 : Math.min(relative, Long.MAX_VALUE / 2);
        return start + wait;
    }

    private static long unsignedMinus(long deadline, long now) {
        return Long.compareUnsigned(deadline, now) <= 0 ? 0 : deadline - now;
    }

    /** Checks an fd subscription's descriptor; returns the event flags (hang-up at end of a file). */
    private int fdReadiness(int fd, int type) {
        Descriptor descriptor = context.descriptors.get(fd);
        descriptor.require(Preview1.RIGHT_POLL_FD_READWRITE);
        if (type == Preview1.EVENTTYPE_FD_READ) {
            if (descriptor instanceof Descriptor.Stdin) {
                return 0;
            }
            if (descriptor instanceof Descriptor.OpenFile file) {
                try {
                    return file.channel.size() <= file.position ? Preview1.EVENTRW_HANGUP : 0;
                } catch (IOException e) {
                    throw IoErrors.of(e);
                }
            }
        } else if (descriptor instanceof Descriptor.Output || descriptor instanceof Descriptor.OpenFile) {
            return 0;
        }
        throw new ErrnoException(Errno.BADF);
    }

    private static void writeEvent(GuestMemory memory, long at, long userdata, int type, int flags) {
        byte[] event = new byte[Preview1.EVENT_SIZE];
        FileStats.putLong(event, 0, userdata);
        event[Preview1.EVENT_TYPE] = (byte) type;
        // wasmtime reports nbytes 1 for ready descriptors, 0 for clocks.
        FileStats.putLong(event, Preview1.EVENT_NBYTES, type == Preview1.EVENTTYPE_CLOCK ? 0 : 1);
        event[Preview1.EVENT_FLAGS] = (byte) flags;
        memory.write(at, event);
    }
}
