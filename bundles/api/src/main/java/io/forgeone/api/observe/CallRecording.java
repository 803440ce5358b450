package io.forgeone.api.observe;

import io.forgeone.api.gate.Decision;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One container run's recording. {@link #record} is called on the guest's thread after every host call, decided
 * or denied, and must not allocate, lock or do I/O on the common path: it copies what it is given and returns.
 */
@ProviderType
public interface CallRecording {

    /**
     * Records a call, stamped with the recording's own clock (reading {@link System#nanoTime()} costs more than the
     * whole recording may on some machines, so the kernel does not). The arrays and {@code accesses} belong to the
     * caller and change after this returns.
     *
     * @param function index of the function in the list given to {@link HostCallRecorder#open}
     * @param args the raw arguments
     * @param decision what the gate decided
     * @param results what the guest got back (the denied errno for a denial), or {@code null} if none
     * @param failure what the call threw (including an exit request), or {@code null}
     * @param accesses the guest memory the call read and wrote, in order
     */
    void record(int function, long[] args, Decision decision, long[] results, Throwable failure,
            MemoryAccesses accesses);

    /**
     * The run ended: no more calls come. Durable recordings write their end and flush.
     *
     * @param exitCode the container's exit code
     * @param outcome why it stopped, in a few words (for example {@code "EXITED"} or {@code "TRAPPED: ..."})
     */
    void close(int exitCode, String outcome);
}
