package io.forgeone.kernel.internal;

import io.forgeone.api.container.HostCallCount;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.gate.Decision;
import java.util.ArrayList;
import java.util.List;

/**
 * One container's host-call figures: calls by function and decision, bytes read and written. Written only by the
 * guest's thread (a container runs one), read by anyone for statistics: plain fields, so counting costs an
 * increment on the call path and no fence. A reader may see a figure a few calls old, which a scrape tolerates.
 */
final class CallCounters {
    /** How a function moves bytes: where it writes the count, or not at all. */
    static final int NO_IO = 0;
    static final int READS = 1;
    static final int WRITES = 2;

    private final String[] calls;
    private final long[] allowed;
    private final long[] denied;
    private final long[] quarantined;
    private long bytesIn;
    private long bytesOut;
    /** Calls left before the next one is timed for the gate histogram. */
    private int untilSample = GateTimer.SAMPLE_EVERY;

    CallCounters(List<HostFunction> functions) {
        int n = functions.size();
        calls = new String[n];
        for (int i = 0; i < n; i++) {
            calls[i] = functions.get(i).module() + "." + functions.get(i).name();
        }
        allowed = new long[n];
        denied = new long[n];
        quarantined = new long[n];
    }

    /** True once every {@link GateTimer#SAMPLE_EVERY} calls: time this one. */
    boolean sampleNow() {
        if (--untilSample == 0) {
            untilSample = GateTimer.SAMPLE_EVERY;
            return true;
        }
        return false;
    }

    void count(int function, Decision decision) {
        if (decision == Decision.ALLOW) {
            allowed[function]++;
        } else if (decision == Decision.DENY) {
            denied[function]++;
        } else {
            quarantined[function]++;
        }
    }

    /**
     * After a call that moves bytes returned errno 0: adds the count it wrote to the guest at {@code countPointer}
     * (a u32 in linear memory).
     */
    void bytes(int kind, GuestMemory memory, long countPointer) {
        long n = memory.readI32(countPointer) & 0xffffffffL;
        if (kind == READS) {
            bytesIn += n;
        } else {
            bytesOut += n;
        }
    }

    long bytesIn() {
        return bytesIn;
    }

    long bytesOut() {
        return bytesOut;
    }

    /** The pairs that happened, in function order. */
    List<HostCallCount> snapshot() {
        List<HostCallCount> out = new ArrayList<>();
        for (int i = 0; i < calls.length; i++) {
            add(out, calls[i], Decision.ALLOW, allowed[i]);
            add(out, calls[i], Decision.DENY, denied[i]);
            add(out, calls[i], Decision.QUARANTINE, quarantined[i]);
        }
        return out;
    }

    private static void add(List<HostCallCount> out, String call, Decision decision, long count) {
        if (count > 0) {
            out.add(new HostCallCount(call, decision, count));
        }
    }

    /**
     * Which WASI preview1 functions move bytes, and the argument that points at the count they write: {@code fd_read}
     * and {@code fd_write} (fd, iovs, iovs_len, nread), {@code fd_pread} and {@code fd_pwrite} (one more, the offset),
     * {@code sock_recv} (fd, ri_data, ri_data_len, ri_flags, ro_datalen, ro_flags) and {@code sock_send} (fd, si_data,
     * si_data_len, si_flags, so_datalen).
     *
     * @return {kind, argument index}
     */
    static int[] ioOf(HostFunction f) {
        if (!"wasi_snapshot_preview1".equals(f.module())) {
            return new int[] {NO_IO, -1};
        }
        return switch (f.name()) {
            case "fd_read" -> new int[] {READS, 3};
            case "fd_write" -> new int[] {WRITES, 3};
            case "fd_pread" -> new int[] {READS, 4};
            case "fd_pwrite" -> new int[] {WRITES, 4};
            case "sock_recv" -> new int[] {READS, 4};
            case "sock_send" -> new int[] {WRITES, 4};
            default -> new int[] {NO_IO, -1};
        };
    }
}
