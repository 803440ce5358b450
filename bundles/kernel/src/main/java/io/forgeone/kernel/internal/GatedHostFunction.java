package io.forgeone.kernel.internal;

import io.forgeone.api.container.ContainerState;
import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.gate.Decision;
import io.forgeone.api.gate.GateSession;
import io.forgeone.api.gate.HostCallDeniedException;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A host function behind the gate. The kernel hands engines nothing but these, so there is no path from a
 * guest to a host function that does not decide first and record after.
 */
final class GatedHostFunction implements HostFunction {
    private final HostFunction target;
    private final int index;
    private final GateSession session;
    private final int deniedErrno;
    private final boolean hasErrno;
    private final CallBoundary container;
    /** Hands the call to the observer's recording; null when no recorder is installed. */
    private final CallTap tap;
    /** The container's figures (calls by decision, bytes), and the node's gate timer they sample into. */
    private final CallCounters counters;
    private final GateTimer timer;
    /** {@link CallCounters#NO_IO}, READS or WRITES, and the argument pointing at the byte count. */
    private final int ioKind;
    private final int ioCountArg;
    /** For a restored container: answers calls from its journal until it arrives at the snapshot; else null. */
    private final Resumption resumption;

    GatedHostFunction(HostFunction target, int index, GateSession session, CallBoundary container) {
        this(target, index, session, container, null, null, null);
    }

    GatedHostFunction(HostFunction target, int index, GateSession session, CallBoundary container, CallTap tap,
            CallCounters counters, GateTimer timer) {
        this(target, index, session, container, tap, counters, timer, null);
    }

    GatedHostFunction(HostFunction target, int index, GateSession session, CallBoundary container, CallTap tap,
            CallCounters counters, GateTimer timer, Resumption resumption) {
        this.resumption = resumption;
        this.target = target;
        this.index = index;
        this.session = session;
        this.container = container;
        this.tap = tap;
        this.counters = counters;
        this.timer = timer;
        int[] io = CallCounters.ioOf(target);
        this.ioKind = counters == null ? CallCounters.NO_IO : io[0];
        this.ioCountArg = io[1];
        OptionalInt errno = target.deniedErrno();
        this.hasErrno = errno.isPresent();
        this.deniedErrno = errno.orElse(0);
    }

    @Override
    public String module() {
        return target.module();
    }

    @Override
    public String name() {
        return target.name();
    }

    @Override
    public FunctionSignature signature() {
        return target.signature();
    }

    @Override
    public long[] call(GuestMemory memory, long[] args) {
        if (resumption != null && resumption.replaying()) {
            return replay(memory, args);
        }
        if (container.suspendRequested()) {
            // an operator's pause or quarantine takes effect here, before the call is decided
            container.suspendAsRequested();
        }
        GuestMemory guest = memory;
        if (tap != null) {
            memory = tap.begin(memory);
        }
        Decision decision;
        if (counters != null && counters.sampleNow() && timer != null) {
            long start = System.nanoTime();
            decision = session.decide(index, memory, args);
            timer.observe(System.nanoTime() - start);
        } else {
            decision = session.decide(index, memory, args);
        }
        if (counters != null) {
            counters.count(index, decision);
        }
        if (decision != Decision.ALLOW) {
            if (decision == Decision.QUARANTINE) {
                // kept here, memory and all, until released (the call is then denied) or killed (this throws)
                container.suspendHere(ContainerState.QUARANTINED, quarantineReason());
            }
            return deny(args, decision);
        }
        long[] results;
        try {
            results = target.call(memory, args);
        } catch (Throwable failure) {
            record(args, decision, null, failure);
            throw failure;
        }
        record(args, decision, results, null);
        if (ioKind != CallCounters.NO_IO && results != null && results.length > 0 && results[0] == 0) {
            // errno 0: the call wrote how many bytes it moved where the guest asked
            counters.bytes(ioKind, guest, args[ioCountArg] & 0xffffffffL);
        }
        return results;
    }

    /**
     * A call of a restored container before it arrives at its snapshot: answered from the journal, recorded as the
     * original was (so that the new run's history is complete, and it can be snapshotted again), the host untouched.
     * At the snapshot's call the journal checks the state, the descriptor table is restored, and the call runs live.
     */
    private long[] replay(GuestMemory memory, long[] args) {
        if (resumption.arriving()) {
            resumption.arrive();
            return call(memory, args);
        }
        if (tap != null) {
            memory = tap.begin(memory);
        }
        long[] results;
        try {
            results = resumption.answer(target.module(), target.name(), memory, args);
        } catch (Throwable failure) {
            container.called();
            if (tap != null) {
                tap.end(index, args, Decision.ALLOW, null, failure);
            }
            throw failure;
        }
        container.called();
        if (tap != null) {
            tap.end(index, args, Decision.ALLOW, results, null);
        }
        return results;
    }

    private long[] deny(long[] args, Decision decision) {
        if (hasErrno) {
            long[] results = {deniedErrno};
            record(args, decision, results, null);
            return results;
        }
        HostCallDeniedException denied =
                new HostCallDeniedException("host call " + target.module() + "." + target.name() + " denied");
        record(args, decision, null, denied);
        throw denied;
    }

    private void record(long[] args, Decision decision, long[] results, Throwable failure) {
        container.called();
        session.record(index, args, decision, results, failure);
        if (tap != null) {
            tap.end(index, args, decision, results, failure);
        }
    }

    private String quarantineReason() {
        String why = session.quarantineReason();
        return why == null || why.isBlank() ? "the gate quarantined it at " + target.module() + "." + target.name()
                : why;
    }

    @Override
    public Map<String, Object> describe(GuestMemory memory, long[] args) {
        return target.describe(memory, args);
    }

    @Override
    public OptionalInt deniedErrno() {
        return target.deniedErrno();
    }
}
