package io.forgeone.api.container;

import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.InstanceImage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The recorded host calls a restored container re-executes before it goes live (see
 * {@link ContainerRuntime#restore}). WebAssembly is deterministic apart from its host calls, so a new instance of the
 * same module that gets the recorded results (and memory writes) of the first {@link #calls()} host calls, without
 * touching the host, reaches the state the original had at that call. Called on the guest's thread.
 *
 * @since 1.2
 */
@ConsumerType
public interface HostCallJournal {

    /** How many calls to answer from the journal; call number {@code calls()} is the first that runs live. */
    long calls();

    /**
     * Answers call {@code sequence} (from 0) as it was recorded: checks that it is the same call with the same
     * arguments, writes into {@code memory} what the recorded call wrote, and returns its results, or throws what it
     * threw (an exit, a trap).
     *
     * @throws ContainerException when the guest makes another call than the recorded one (the re-execution
     *     diverged), naming both
     */
    long[] answer(long sequence, String module, String name, GuestMemory memory, long[] args);

    /**
     * The guest reached call {@link #calls()}: {@code image} is its state there. Returns normally when it is the
     * recorded state, and the container goes live.
     *
     * @throws ContainerException when it differs from the recorded state, saying what differs
     */
    void arrived(InstanceImage image);

    /**
     * The restored container's descriptor table is back and it runs live from call {@link #calls()} on: the restore
     * has succeeded. Not called when {@link #arrived} threw or the descriptor table could not be restored.
     */
    default void live() {
    }
}
