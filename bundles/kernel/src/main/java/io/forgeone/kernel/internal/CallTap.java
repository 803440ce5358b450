package io.forgeone.kernel.internal;

import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.gate.Decision;
import io.forgeone.api.observe.CallRecording;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each host call of one container run to the observer's recording, having shown the call a memory view that
 * keeps what it reads and writes. Used on the guest's thread only. It reads no clock: the recording stamps calls
 * with its own, since {@code System.nanoTime()} alone costs 30 ns and more on some machines.
 */
final class CallTap {
    private static final Logger LOG = LoggerFactory.getLogger(CallTap.class);

    private final CallRecording recording;
    private final RecordingMemory memory = new RecordingMemory();
    private boolean failed;

    CallTap(CallRecording recording) {
        this.recording = recording;
    }

    /** Before the call is decided: the memory the gate and the call should use. */
    GuestMemory begin(GuestMemory guest) {
        return memory.begin(guest);
    }

    /** After the call ran, was denied or threw. */
    void end(int function, long[] args, Decision decision, long[] results, Throwable failure) {
        try {
            recording.record(function, args, decision, results, failure, memory);
        } catch (RuntimeException e) {
            // a recorder fault must not change what the guest sees; say so once per run
            if (!failed) {
                failed = true;
                LOG.error("Recording host calls failed; this run's trace misses calls from here", e);
            }
        }
    }
}
