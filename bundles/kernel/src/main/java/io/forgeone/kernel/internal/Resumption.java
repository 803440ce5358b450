package io.forgeone.kernel.internal;

import io.forgeone.api.container.ContainerException;
import io.forgeone.api.container.HostCallJournal;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.WasmInstance;
import io.forgeone.api.wasi.WasiEnvironment;
import io.forgeone.api.wasi.WasiState;

/**
 * A restored container's way back to its snapshot: its first {@link HostCallJournal#calls()} host calls are answered
 * from the journal; at the next one the instance's state is handed to the journal to prove, the WASI descriptor
 * table is restored, and from then on every call is live. Used on the guest's thread only (after {@link #start}).
 */
final class Resumption {
    private final HostCallJournal journal;
    private final WasiState wasiState;
    private final long calls;
    private WasmInstance instance;
    private WasiEnvironment wasi;
    private long next;
    private boolean live;
    private volatile String failure;

    Resumption(HostCallJournal journal, WasiState wasiState) {
        this.journal = journal;
        this.wasiState = wasiState;
        this.calls = journal.calls();
    }

    /** The instance exists; the entry point is about to be called. */
    void start(WasmInstance running, WasiEnvironment environment) {
        this.instance = running;
        this.wasi = environment;
    }

    /** Still answering from the journal (or about to arrive). */
    boolean replaying() {
        return !live;
    }

    /** The next call is the snapshot's own: time to prove the state and go live. */
    boolean arriving() {
        return next == calls;
    }

    long[] answer(String module, String name, GuestMemory memory, long[] args) {
        if (instance == null) {
            throw fail(new ContainerException("the module made a host call (" + module + "." + name
                    + ") before its entry point; a restore cannot replay a start function"));
        }
        try {
            return journal.answer(next++, module, name, memory, args);
        } catch (ContainerException e) {
            throw fail(e);
        }
    }

    void arrive() {
        try {
            journal.arrived(instance.image());
        } catch (ContainerException e) {
            throw fail(e);
        } catch (RuntimeException e) {
            throw fail(new ContainerException("the state at call #" + calls + " cannot be checked: " + e.getMessage(),
                    e));
        }
        try {
            wasi.restoreState(wasiState);
        } catch (IllegalArgumentException | UnsupportedOperationException | IllegalStateException e) {
            throw fail(new ContainerException("the WASI state cannot be restored: " + e.getMessage(), e));
        }
        live = true;
        journal.live();
    }

    private ContainerException fail(ContainerException e) {
        if (failure == null) {
            failure = e.getMessage();
        }
        return e;
    }

    /** Why the re-execution failed, or null. */
    String failure() {
        return failure;
    }
}
