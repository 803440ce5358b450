package io.forgeone.observer.internal;

import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.gate.GateContext;
import io.forgeone.api.observe.TraceRecord;
import io.forgeone.api.policy.Explanation;
import io.forgeone.api.policy.PolicyService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns recorded calls into records for people: arguments decoded by the host function that was called (over the
 * memory the call read, as recorded), and a sentence when the call is notable. Decoding happens here, when a
 * trace is read, never on the guest's thread.
 */
final class CallDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(CallDecoder.class);

    private final TraceHeader header;
    /**
     * Host functions to decode arguments, by the header's index (the run's own, or this node's WASI for a trace from
     * elsewhere; an entry is null where none decodes); null when none does.
     */
    private final List<HostFunction> functions;
    private final Preopens preopens;
    /** The node's policies, to name the rule behind a notable call; null without the trust bundle. */
    private final PolicyService policies;

    CallDecoder(TraceHeader header, List<HostFunction> functions, Preopens preopens) {
        this(header, functions, preopens, null);
    }

    CallDecoder(TraceHeader header, List<HostFunction> functions, Preopens preopens, PolicyService policies) {
        this.header = header;
        this.functions = functions;
        this.preopens = preopens;
        this.policies = policies;
    }

    TraceRecord decode(RawCall c) {
        TraceHeader.Function f = header.functions().get(c.function());
        Map<String, Object> described = describe(c);
        Map<String, Object> arguments = described != null ? described : raw(c);
        List<Long> args = new ArrayList<>(c.args().length);
        for (long a : c.args()) {
            args.add(a);
        }
        List<Long> results = new ArrayList<>();
        if (c.results() != null) {
            for (long r : c.results()) {
                results.add(r);
            }
        }
        int errno = Summaries.WASI.equals(f.module()) && c.results() != null && c.results().length == 1
                ? (int) c.results()[0] : -1;
        TraceRecord draft = new TraceRecord(c.sequence(), c.time(), f.module(), f.name(), args, arguments, c.decision(), results, errno, c.failure(), c.bytesWritten(), "");
        RecordedMemory written = new RecordedMemory(c.accesses(), true);
        String sentence = Summaries.sentence(draft, written, preopens);
        if (!sentence.isEmpty() && described != null && policies != null) {
            // only notable calls are explained: asking the policies costs more than decoding
            Explanation because = because(draft);
            if (because != null) {
                sentence = Summaries.sentence(draft, written, preopens, because);
            }
        }
        return sentence.isEmpty() ? draft : new TraceRecord(draft.sequence(), draft.timeNanos(), draft.module(), draft.call(), draft.args(), draft.arguments(), draft.decision(),
                draft.results(), draft.errno(), draft.failure(), draft.bytesReturned(), sentence);
    }

    /**
     * Why the policies in force decide the call as it was decided, or null when there are no policies, the
     * arguments could not be decoded, or the policies now decide it otherwise (they changed since the run).
     */
    private Explanation because(TraceRecord r) {
        PolicyService p = policies;
        if (p == null) {
            return null;
        }
        try {
            Explanation e = p.explain(new GateContext(header.containerId() == null ? "" : header.containerId(),
                    header.containerName() == null ? "" : header.containerName(),
                    header.moduleSha256() == null ? "" : header.moduleSha256(), header.labels()),
                    r.module() + "." + r.call(), r.arguments());
            boolean deniedThen = r.decision() != io.forgeone.api.gate.Decision.ALLOW;
            boolean deniedNow = e.decision() != io.forgeone.api.gate.Decision.ALLOW;
            return deniedThen == deniedNow && !e.policy().equals("none") ? e : null;
        } catch (RuntimeException e) {
            LOG.debug("Explaining call #{} ({}) failed", r.sequence(), r.call(), e);
            return null;
        }
    }

    private Map<String, Object> describe(RawCall c) {
        if (functions != null && c.function() < functions.size() && functions.get(c.function()) != null) {
            HostFunction function = functions.get(c.function());
            try {
                return function.describe(new RecordedMemory(c.accesses(), false), c.args());
            } catch (RuntimeException e) {
                // a describer that cannot cope with partial memory: show the raw arguments instead
                LOG.debug("Describing call #{} ({}) failed; showing raw arguments", c.sequence(), function.name(), e);
            }
        }
        return null;
    }

    private static Map<String, Object> raw(RawCall c) {
        Map<String, Object> raw = new LinkedHashMap<>();
        for (int i = 0; i < c.args().length; i++) {
            raw.put("arg" + i, c.args()[i]);
        }
        return raw;
    }
}
