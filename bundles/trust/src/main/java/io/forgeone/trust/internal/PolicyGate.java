package io.forgeone.trust.internal;

import io.forgeone.api.container.ContainerLimits;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.gate.Decision;
import io.forgeone.api.gate.GateContext;
import io.forgeone.api.gate.GateSession;
import io.forgeone.api.gate.HostCallGate;
import io.forgeone.api.policy.Explanation;
import io.forgeone.api.policy.PolicyInfo;
import io.forgeone.api.policy.PolicyMode;
import io.forgeone.api.policy.PolicyProblem;
import io.forgeone.api.policy.PolicyService;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enforcing gate: each container's calls are decided by the policy that applies to it, compiled when its
 * session opens and recompiled when the policy files change (taking effect at the container's next call). No
 * applicable policy means every call that touches the outside is denied. Denials (and allows, where a policy
 * asks) go to the decision log.
 */
@Component(service = {HostCallGate.class, PolicyService.class}, configurationPid = "io.forgeone.trust",
        property = {Constants.SERVICE_RANKING + ":Integer=100", "forge.gate=policy"})
@Designate(ocd = TrustConfig.class)
public final class PolicyGate implements HostCallGate, PolicyService {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyGate.class);

    private final PolicyRepository repository;
    private final DecisionLog log;
    private final PolicyMode nodeMode;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService watcher;

    @Activate
    public PolicyGate(TrustConfig config, BundleContext context) {
        this(config, defaultDir(config.policy_dir(), context, "forge.home", "etc/policies"),
                defaultDir(config.decision_log(), context, "forge.var", "log/decisions.log"));
    }

    PolicyGate(TrustConfig config, Path policyDir, Path logFile) {
        this.repository = new PolicyRepository(policyDir);
        this.log = new DecisionLog(logFile, Math.max(1, config.log_max_mib()) * 1024L * 1024L, config.log_keep());
        this.nodeMode = parseMode(config.mode());
        repository.refresh();
        if (nodeMode != PolicyMode.ENFORCE) {
            LOG.warn("Node policy mode is {}: denials are {}", nodeMode,
                    nodeMode == PolicyMode.AUDIT ? "logged but not enforced" : "NOT enforced (development only)");
        }
        LOG.info("Policy gate: {} policies from {}, decision log {}", repository.policies().size(), policyDir, logFile);
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "forge-policy-reload");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, config.reload_ms());
        watcher.scheduleWithFixedDelay(this::reload, every, every, TimeUnit.MILLISECONDS);
    }

    private static Path defaultDir(String configured, BundleContext context, String property, String under) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String base = context.getProperty(property);
        return Path.of(base == null ? "." : base).resolve(under);
    }

    private static PolicyMode parseMode(String text) {
        try {
            return PolicyMode.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            LOG.error("Node policy mode '{}' is not enforce, audit or permissive; enforcing", text);
            return PolicyMode.ENFORCE;
        }
    }

    @Deactivate
    void deactivate() {
        watcher.shutdownNow();
        log.close();
    }

    /** Rereads changed policy files and recompiles the sessions of running containers. */
    void reload() {
        try {
            if (repository.refresh()) {
                for (Session s : sessions) {
                    s.recompile();
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Reloading policies failed; the policies in force stay", e);
        }
    }

    /** The policy for a workload: the highest priority, then the most specific selector, then the first name. */
    Policy select(GateContext who) {
        return repository.policies().stream().filter(p -> p.selector().matches(who))
                .max(Comparator.comparingInt(Policy::priority)
                        .thenComparingInt(p -> p.selector().specificity())
                        .thenComparing(Policy::name, Comparator.reverseOrder()))
                .orElse(null);
    }

    PolicyMode effectiveMode(Policy policy) {
        PolicyMode own = policy == null ? PolicyMode.ENFORCE : policy.mode();
        return nodeMode.ordinal() > own.ordinal() ? nodeMode : own;
    }

    /** The policy's memory, wall-time and CPU-time limits, tightening what the container asked for. */
    @Override
    public ContainerLimits limits(GateContext context, ContainerLimits requested) {
        Policy policy = select(context);
        if (policy == null) {
            return requested;
        }
        Policy.Limits l = policy.limits();
        return requested.tighten(new ContainerLimits(l.memoryPages() > 0 ? l.memoryPages() : 65536, l.wallTime(),
                requested.logBufferBytes(), l.cpuTime()));
    }

    /** The variables the policy grants by name ({@code env: true} or {@code "*"}: all); none without a policy. */
    @Override
    public Map<String, String> environment(GateContext context, Map<String, String> requested) {
        Policy policy = select(context);
        if (policy == null) {
            return Map.of();
        }
        List<String> names = policy.grants().env();
        if (names.contains("*")) {
            return requested;
        }
        Map<String, String> kept = new LinkedHashMap<>();
        requested.forEach((k, v) -> {
            if (names.contains(k)) {
                kept.put(k, v);
            }
        });
        return kept;
    }

    /**
     * Provider functions the workload's policy could never allow, each with the grant to add: a function decided by
     * name needs it in {@code functions}, a net function needs at least one {@code net} grant. Audit and permissive
     * policies refuse nothing, since their calls run anyway.
     */
    @Override
    public List<String> refusals(GateContext context, List<HostFunction> providerFunctions) {
        Policy policy = select(context);
        if (effectiveMode(policy) != PolicyMode.ENFORCE) {
            return List.of();
        }
        List<String> refused = new java.util.ArrayList<>();
        for (HostFunction f : providerFunctions) {
            String full = f.module() + "." + f.name();
            boolean net = CompiledPolicy.isNet(f);
            String grant = net ? "net: [{host: HOST, ports: [PORT]}]" : "functions: [" + full + "]";
            if (policy == null) {
                refused.add(full + ": no policy applies to this workload; add one that grants " + grant);
            } else if (net ? policy.grants().net().isEmpty() : !policy.grants().functions().contains(full)) {
                refused.add(full + " is not granted by policy " + policy.name() + " (" + policy.file() + "): add "
                        + grant + " to its grants");
            }
        }
        return refused;
    }

    @Override
    public GateSession open(GateContext context, List<HostFunction> functions) {
        Session session = new Session(context, List.copyOf(functions));
        sessions.add(session);
        return session;
    }

    // ---- PolicyService ---------------------------------------------------------------------------------------

    @Override
    public List<PolicyInfo> list() {
        return repository.policies().stream().map(Policy::info).toList();
    }

    @Override
    public Optional<PolicyInfo> get(String name) {
        return repository.policies().stream().filter(p -> p.name().equals(name)).map(Policy::info).findFirst();
    }

    @Override
    public List<PolicyProblem> problems() {
        return repository.problems();
    }

    @Override
    public List<PolicyProblem> check(Path file) {
        return PolicyRepository.read(file).problems();
    }

    @Override
    public Explanation explain(GateContext who, String function, Map<String, Object> args) {
        int dot = function.lastIndexOf('.');
        if (dot <= 0 || dot == function.length() - 1) {
            throw new IllegalArgumentException("call '" + function + "' must be module.name, for example "
                    + CompiledPolicy.WASI + ".path_open");
        }
        String module = function.substring(0, dot);
        String name = function.substring(dot + 1);
        Policy policy = select(who);
        PolicyMode mode = effectiveMode(policy);
        Map<String, Object> decoded = new LinkedHashMap<>(args);
        decoded.putIfAbsent("guestPath", args.get("path"));
        HostFunction described = new ExplainedCall(module, name, decoded);
        if (args.containsKey("host")) {
            // a destination call (forge:http.request): decided by the net grants, as its provider declares
            decoded.put("host", String.valueOf(args.get("host")).toLowerCase(Locale.ROOT));
            decoded.put("port", (int) number(args.get("port"), 443));
            described = new ExplainedNetCall(new ExplainedCall(module, name, decoded));
        }
        Verdict v = CompiledPolicy.compile(policy, List.of(described)).decide(0, described, null, explainArgs(args));
        Decision decision = v.allowed() || mode != PolicyMode.ENFORCE ? Decision.ALLOW : Decision.DENY;
        String reason = v.reason() + (v.allowed() || mode == PolicyMode.ENFORCE ? ""
                : " (allowed anyway: " + mode.name().toLowerCase(Locale.ROOT) + " mode)");
        return new Explanation(decision, policy == null ? "none" : policy.name(), mode, v.rule(), reason);
    }

    /** Raw values a check reads directly (descriptor, open flags), taken from the explained arguments. */
    private static long[] explainArgs(Map<String, Object> args) {
        long[] raw = new long[9];
        raw[0] = number(args.get("fd"), 3);
        raw[4] = number(args.get("oflags"), 0);
        raw[5] = number(args.get("rights"), 0);
        raw[7] = number(args.get("fdflags"), 0);
        return raw;
    }

    private static long number(Object value, long otherwise) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String s) {
            try {
                return Long.decode(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "' is not a number", e);
            }
        }
        return otherwise;
    }

    // ---- sessions --------------------------------------------------------------------------------------------

    private final class Session implements GateSession {
        private final GateContext who;
        private final List<HostFunction> functions;
        /**
         * Counters, written only by the guest's thread (a container runs one); others read them for statistics, so
         * a plain field is enough and costs nothing on the call path.
         */
        private long allowedCalls;
        private long deniedCalls;
        private volatile CompiledPolicy compiled;
        private volatile PolicyMode mode;
        /** Trust score; lowered only on the guest's thread, read by anyone. */
        private volatile int score = Policy.Trust.FULL;
        private volatile String quarantineReason = "";
        /** Bytes the guest has been allowed to write (guest thread only). */
        private long written;
        /** Calls-per-second limiter: the theoretical arrival time of the next call (guest thread only). */
        private long nextCallNanos = System.nanoTime();

        Session(GateContext who, List<HostFunction> functions) {
            this.who = who;
            this.functions = functions;
            recompile();
        }

        void recompile() {
            Policy policy = select(who);
            CompiledPolicy fresh = CompiledPolicy.compile(policy, functions);
            PolicyMode freshMode = effectiveMode(policy);
            CompiledPolicy old = compiled;
            compiled = fresh;
            mode = freshMode;
            if (old != null && old.policy != policy) {
                LOG.info("Container {} now runs under policy {} ({})", who.containerName(), fresh.policyName(), freshMode);
            }
            if (policy == null) {
                LOG.warn("No policy applies to container {} ({}): every call that reaches outside it is denied",
                        who.containerName(), who.containerId());
            }
        }

        /**
         * Kept small so that the JIT inlines it into the kernel's gate wrapper: the common case, a call allowed with
         * nothing to count or log, decides here; everything else in {@link #decideFully}. (Inlined, the engine's
         * argument array does not escape and is not allocated; a large method here cost an allocation per call.)
         */
        @Override
        public Decision decide(int function, GuestMemory memory, long[] args) {
            CompiledPolicy policy = compiled;
            if (policy.plain && policy.decide(function, functions.get(function), memory, args).allowed()) {
                return Decision.ALLOW;
            }
            return decideFully(policy, function, memory, args);
        }

        private Decision decideFully(CompiledPolicy policy, int function, GuestMemory memory, long[] args) {
            if (policy.limits.callsPerSecond() > 0) {
                throttle(policy.limits.callsPerSecond());
            }
            HostFunction f = functions.get(function);
            Verdict v = policy.decide(function, f, memory, args);
            if (v.allowed() && policy.limits.bytesWritten() > 0 && policy.writes(function) && memory != null) {
                v = countWrite(policy.limits.bytesWritten(), memory, args, v);
            }
            if (v.allowed()) {
                if (policy.policy != null && policy.policy.logAllows()) {
                    record(policy, f, memory, args, v, "allow", null);
                }
                return Decision.ALLOW;
            }
            PolicyMode m = mode;
            if (m != PolicyMode.ENFORCE) {
                record(policy, f, memory, args, v, m == PolicyMode.AUDIT ? "audit-deny" : "permissive-deny", null);
                return Decision.ALLOW;
            }
            int now = Math.max(0, score - policy.trust.penalty());
            score = now;
            String quarantine = null;
            if (policy.quarantines(function, v)) {
                quarantine = "rule " + v.rule() + " of policy " + policy.policyName() + " quarantines on violation: "
                        + f.name() + ": " + v.reason();
            } else if (now < policy.trust.threshold()) {
                quarantine = "trust score fell to " + now + ", below " + policy.trust.threshold() + " (policy "
                        + policy.policyName() + "), at " + f.name() + ": " + v.reason();
            }
            record(policy, f, memory, args, v, "deny", quarantine);
            if (quarantine != null) {
                quarantineReason = quarantine;
                LOG.warn("Container {} ({}) quarantined: {}", who.containerName(), who.containerId(), quarantine);
                return Decision.QUARANTINE;
            }
            return Decision.DENY;
        }

        /** Slows the guest down to {@code perSecond} calls, letting a second's worth through in a burst. */
        private void throttle(int perSecond) {
            long interval = 1_000_000_000L / perSecond;
            long now = System.nanoTime();
            long arrival = Math.max(nextCallNanos, now - 1_000_000_000L + interval);
            nextCallNanos = arrival + interval;
            long wait = arrival - now;
            while (wait > 0 && !Thread.currentThread().isInterrupted()) {
                java.util.concurrent.locks.LockSupport.parkNanos(this, wait);
                wait = arrival - System.nanoTime();
            }
        }

        /** Counts the bytes an fd_write or fd_pwrite asks to write against the limit, or denies the call. */
        private Verdict countWrite(long limit, GuestMemory memory, long[] args, Verdict allowed) {
            long iovs = args[1] & 0xffffffffL;
            long count = args[2] & 0xffffffffL;
            long bytes = 0;
            if (count <= 1024 && iovs + count * 8 <= memory.size()) {
                for (long i = 0; i < count; i++) {
                    bytes += memory.readI32(iovs + i * 8 + 4) & 0xffffffffL;
                }
            }
            if (written + bytes > limit) {
                return Verdict.deny("limits.bytesWritten", "writing " + bytes + " more bytes would pass the limit of "
                        + limit + " bytes (" + written + " written)");
            }
            written += bytes;
            return allowed;
        }

        private void record(CompiledPolicy policy, HostFunction f, GuestMemory memory, long[] args, Verdict v,
                String decision, String quarantine) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("container", who.containerId());
            line.put("name", who.containerName());
            line.put("identity", who.labels().getOrDefault("spiffe", "sha256:" + who.moduleSha256()));
            line.put("call", f.module() + "." + f.name());
            line.put("args", f.describe(memory, args));
            line.put("decision", decision);
            line.put("policy", policy.policyName());
            line.put("rule", v.rule());
            line.put("reason", v.reason());
            if (quarantine != null) {
                line.put("quarantine", quarantine);
                line.put("trustScore", score);
            }
            log.append(line);
        }

        @Override
        public void record(int function, long[] args, Decision decision, long[] results, Throwable failure) {
            if (decision == Decision.ALLOW) {
                allowedCalls++;
            } else {
                deniedCalls++;
            }
        }

        @Override
        public int trustScore() {
            return score;
        }

        @Override
        public String quarantineReason() {
            return quarantineReason;
        }

        @Override
        public void release() {
            score = Policy.Trust.FULL;
            quarantineReason = "";
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("container", who.containerId());
            line.put("name", who.containerName());
            line.put("identity", who.labels().getOrDefault("spiffe", "sha256:" + who.moduleSha256()));
            line.put("call", "-");
            line.put("decision", "release");
            line.put("policy", compiled.policyName());
            line.put("reason", "released from quarantine by an operator; trust score restored to " + Policy.Trust.FULL);
            log.append(line);
            LOG.info("Container {} ({}) released from quarantine", who.containerName(), who.containerId());
        }

        @Override
        public long allowed() {
            return allowedCalls;
        }

        @Override
        public long denied() {
            return deniedCalls;
        }

        @Override
        public void close() {
            sessions.remove(this);
        }
    }

    /** A destination call described by its decoded host and port, for {@link #explain}. */
    private record ExplainedNetCall(ExplainedCall call) implements io.forgeone.api.capability.CapabilityFunction {
        @Override
        public String capability() {
            return io.forgeone.api.capability.ProvidedFunction.NET;
        }

        @Override
        public String module() {
            return call.module();
        }

        @Override
        public String name() {
            return call.name();
        }

        @Override
        public io.forgeone.api.engine.FunctionSignature signature() {
            return call.signature();
        }

        @Override
        public long[] call(GuestMemory memory, long[] ignored) {
            return call.call(memory, ignored);
        }

        @Override
        public Map<String, Object> describe(GuestMemory memory, long[] ignored) {
            return call.args();
        }
    }

    /** A call described by its decoded arguments, for {@link #explain}. */
    private record ExplainedCall(String module, String name, Map<String, Object> args) implements HostFunction {
        @Override
        public io.forgeone.api.engine.FunctionSignature signature() {
            return io.forgeone.api.engine.FunctionSignature.of(List.of(), List.of());
        }

        @Override
        public long[] call(GuestMemory memory, long[] ignored) {
            throw new IllegalStateException("an explained call is never run");
        }

        @Override
        public Map<String, Object> describe(GuestMemory memory, long[] ignored) {
            return args;
        }
    }
}
