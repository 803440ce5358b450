package io.forgeone.api.gate;

import io.forgeone.api.engine.GuestMemory;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One container's view of the gate. Every host call is {@link #decide decided} before it runs and
 * {@link #record recorded} after, on the thread of the call. Implementations answer {@code decide} from a
 * structure precompiled in {@link HostCallGate#open}, without parsing or allocating.
 */
@ProviderType
public interface GateSession extends AutoCloseable {

    /**
     * Decides a call.
     *
     * @param function index of the function in the list given to {@link HostCallGate#open}
     * @param memory the caller's memory, to decode arguments when the decision needs them
     * @param args the raw arguments
     */
    Decision decide(int function, GuestMemory memory, long[] args);

    /**
     * Records a call after it ran or was denied.
     *
     * @param results what the guest got back (the denied errno for a denial), or {@code null} if none
     * @param failure what the call threw (including an exit request), or {@code null}
     */
    void record(int function, long[] args, Decision decision, long[] results, Throwable failure);

    /**
     * The container's trust score: 100 is full trust, each violation lowers it; -1 when this gate keeps none.
     */
    default int trustScore() {
        return -1;
    }

    /** Why the last {@link Decision#QUARANTINE} was decided, in one line; empty if there was none. */
    default String quarantineReason() {
        return "";
    }

    /**
     * An operator released the quarantined container: restore its trust score and decide its calls as before.
     */
    default void release() {
    }

    /** Calls allowed so far. */
    long allowed();

    /** Calls denied so far. */
    long denied();

    @Override
    void close();
}
