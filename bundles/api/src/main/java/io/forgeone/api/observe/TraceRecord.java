package io.forgeone.api.observe;

import io.forgeone.api.gate.Decision;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One recorded host call, decoded for reading.
 *
 * @param sequence the call's number in its container run, from 0
 * @param timeNanos when it was recorded (as it returned), in nanoseconds since the run's recording opened: monotonic,
 *     from the observer's clock (a tick of configurable resolution, or {@link System#nanoTime()} when configured)
 * @param module the function's import module, for example {@code wasi_snapshot_preview1}
 * @param call the function's name, for example {@code path_open}
 * @param args the raw arguments
 * @param arguments the arguments decoded by the host function (paths, descriptors, flags, byte counts); the raw
 *     ones as {@code arg0}, ... when they cannot be decoded
 * @param decision what the gate decided
 * @param results what the guest got back
 * @param errno the error number returned (the single i32 result of a WASI call), or -1 when there is none
 * @param failure what the call threw (an exit, a trap), or empty
 * @param bytesReturned bytes the call wrote into guest memory
 * @param summary one plain sentence for people when the call is notable (a file opened, a denial, an exit),
 *     else empty
 */
public record TraceRecord(long sequence, long timeNanos, String module, String call,
        List<Long> args, Map<String, Object> arguments, Decision decision, List<Long> results, int errno,
        String failure, long bytesReturned, String summary) {
    public TraceRecord {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(call, "call");
        args = List.copyOf(args);
        arguments = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(arguments));
        Objects.requireNonNull(decision, "decision");
        results = List.copyOf(results);
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(summary, "summary");
    }
}
