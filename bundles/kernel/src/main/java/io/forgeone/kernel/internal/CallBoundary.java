package io.forgeone.kernel.internal;

import io.forgeone.api.container.ContainerState;

/**
 * Where a guest can be held: at a host call. {@link GatedHostFunction} asks at every call whether an operator wants
 * the guest paused or quarantined, and hands it over when the gate quarantines it.
 */
interface CallBoundary {

    /** True when a pause or quarantine waits for the guest's next host call (read at every call: keep it cheap). */
    boolean suspendRequested();

    /** Suspends the guest as requested, on its own thread; returns when it is resumed. */
    void suspendAsRequested();

    /**
     * Suspends the guest here, on its own thread, until it is resumed (returns) or stopped (throws, with the thread's
     * interrupt flag set).
     */
    void suspendHere(ContainerState kind, String reason);

    /** A host call completed (ran, was denied or threw); on the guest's thread, so keep it cheap. */
    default void called() {
    }
}
