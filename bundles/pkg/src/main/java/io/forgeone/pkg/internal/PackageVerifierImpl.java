package io.forgeone.pkg.internal;

import io.forgeone.api.crypto.SignatureScheme;
import io.forgeone.api.pkg.PackageVerifier;
import io.forgeone.api.pkg.Revocation;
import io.forgeone.api.pkg.TrustStore;
import io.forgeone.api.pkg.TrustedKey;
import io.forgeone.api.pkg.VerificationMode;
import io.forgeone.api.pkg.VerificationReport;
import io.forgeone.api.pkg.VerificationReport.Verdict;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies packages in memory: the safety checks always, the authenticity checks as the mode says. Also offered
 * under its own class to the store and the builder of this bundle, which reuse its stages and settings.
 */
@Component(service = {PackageVerifier.class, PackageVerifierImpl.class}, configurationPid = "io.forgeone.pkg.verifier")
@Designate(ocd = VerifierConfig.class)
public final class PackageVerifierImpl implements PackageVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(PackageVerifierImpl.class);

    private final VerifierOptions options;
    private final TrustStore trust;
    private final Clock clock;
    private final Map<String, SignatureScheme> schemes = new ConcurrentHashMap<>();
    /** Rejected reports since this component started (a counter for metrics: it restarts with the component). */
    private final java.util.concurrent.atomic.LongAdder rejections = new java.util.concurrent.atomic.LongAdder();

    /** A verification's report, and what the store keeps of it. */
    record Outcome(VerificationReport report, Optional<PackageFacts> facts, Map<String, Boolean> signatureResults) {
    }

    @Activate
    public PackageVerifierImpl(VerifierConfig config, @Reference TrustStore trust) {
        this(VerifierOptions.of(config), trust, Clock.systemUTC());
        // said at every start (and every reconfiguration), so a node never runs unverified code quietly
        if (options.mode() == VerificationMode.OFF) {
            LOG.warn("Package verification is OFF: unsigned and untrusted packages will run. Development only;"
                    + " set mode=enforce for PID io.forgeone.pkg.verifier");
        } else if (options.mode() == VerificationMode.AUDIT) {
            LOG.warn("Package verification is in AUDIT mode: packages that fail verification run, and each"
                    + " failure is logged");
        }
    }

    PackageVerifierImpl(VerifierOptions options, TrustStore trust, Clock clock) {
        this.options = Objects.requireNonNull(options, "options");
        this.trust = Objects.requireNonNull(trust, "trust");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindScheme(SignatureScheme scheme) {
        schemes.put(scheme.name(), scheme);
    }

    void unbindScheme(SignatureScheme scheme) {
        schemes.remove(scheme.name(), scheme);
    }

    SignatureScheme scheme(String name) {
        return schemes.get(name);
    }

    VerifierOptions options() {
        return options;
    }

    @Override
    public long rejections() {
        return rejections.sum();
    }

    @Override
    public VerificationMode mode() {
        return options.mode();
    }

    @Override
    public VerificationReport verify(byte[] pkg) {
        return verify(pkg, SafetyChecks.sha256Hex(pkg), false, Map.of()).report();
    }

    /**
     * Verifies bytes whose SHA-256 is {@code id}.
     *
     * @param fromStore whether the store already holds these exact bytes, whose entries were then inflated and
     *        digested: this time only the directory, the manifest and the signatures are read (each entry is
     *        checked against its pin again whenever it is read)
     * @param known signature results by key id from earlier verifications of these bytes in this process
     */
    Outcome verify(byte[] pkg, String id, boolean fromStore, Map<String, Boolean> known) {
        CheckList checks = new CheckList();
        Optional<PackageFacts> facts = SafetyChecks.run(pkg, id, options, checks, !fromStore);
        Map<String, Boolean> results = new HashMap<>(known);
        if (facts.isPresent()) {
            if (options.mode() == VerificationMode.OFF) {
                CheckList.AUTHENTICITY.forEach(name -> checks.skip(name, "verification mode is off"));
            } else {
                TrustDecision.run(facts.get(), trustSnapshot(), schemes::get, options.requireHybrid(),
                        options.clockSkew(), clock.instant(), results, checks);
            }
        }
        Verdict verdict;
        if (facts.isEmpty() || (options.mode() == VerificationMode.ENFORCE && checks.failed())) {
            verdict = Verdict.REJECTED;
        } else if (options.mode() == VerificationMode.OFF) {
            verdict = Verdict.UNVERIFIED;
        } else {
            verdict = checks.failedAny(CheckList.AUTHENTICITY) ? Verdict.AUDITED : Verdict.VERIFIED;
        }
        VerificationReport report = new VerificationReport(id, facts.map(PackageFacts::manifest).orElse(null),
                options.mode(), checks.list(), verdict, fromStore);
        if (verdict == Verdict.REJECTED) {
            rejections.increment();
        }
        if (verdict == Verdict.AUDITED) {
            LOG.warn("Package {} ({}) accepted in audit mode despite: {}", describe(report), id,
                    report.failures().stream().map(c -> c.name() + ": " + c.detail()).collect(Collectors.joining("; ")));
        } else if (verdict == Verdict.UNVERIFIED) {
            LOG.warn("Package {} ({}) accepted without checking signatures: verification mode is off", describe(report), id);
        }
        return new Outcome(report, facts, Map.copyOf(results));
    }

    /** The safety checks only, for inspecting and signing. */
    Optional<PackageFacts> safety(byte[] pkg, CheckList checks) {
        return SafetyChecks.run(pkg, SafetyChecks.sha256Hex(pkg), options, checks, true);
    }

    private TrustDecision.TrustSnapshot trustSnapshot() {
        Map<String, TrustedKey> keys = trust.list().stream()
                .collect(Collectors.toMap(TrustedKey::id, k -> k, (a, b) -> a));
        return new TrustDecision.TrustSnapshot(keys,
                trust.revocations().stream().map(Revocation::keyId).collect(Collectors.toSet()));
    }

    private static String describe(VerificationReport report) {
        return report.manifest() == null ? "(no manifest)" : report.manifest().name() + " " + report.manifest().version();
    }
}
