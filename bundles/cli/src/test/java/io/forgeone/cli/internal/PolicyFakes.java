package io.forgeone.cli.internal;

import io.forgeone.api.gate.Decision;
import io.forgeone.api.gate.GateContext;
import io.forgeone.api.policy.AuditListener;
import io.forgeone.api.policy.AuditLog;
import io.forgeone.api.policy.AuditProblem;
import io.forgeone.api.policy.AuditQuery;
import io.forgeone.api.policy.AuditRecord;
import io.forgeone.api.policy.AuditResult;
import io.forgeone.api.policy.Explanation;
import io.forgeone.api.policy.PolicyInfo;
import io.forgeone.api.policy.PolicyMode;
import io.forgeone.api.policy.PolicyProblem;
import io.forgeone.api.policy.PolicyService;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Stand-ins for the trust bundle's services, recording what the commands asked of them. */
final class PolicyFakes {
    private PolicyFakes() {
    }

    static OptionalServices services(Object... services) {
        OptionalServices s = new OptionalServices(Duration.ZERO, OptionalServices.TRUST_BUNDLE);
        for (Object o : services) {
            if (o instanceof Policies p) {
                s.bind(PolicyService.class, p);
            } else if (o instanceof Audit a) {
                s.bind(AuditLog.class, a);
            }
        }
        return s;
    }

    /** Policies in memory; check() reads the file and calls it valid when it starts with "name:". */
    static final class Policies implements PolicyService {
        final List<PolicyInfo> policies = new ArrayList<>();
        final List<PolicyProblem> problems = new ArrayList<>();
        final List<Path> checked = new ArrayList<>();
        GateContext who;
        String function;
        Map<String, Object> args;
        Explanation answer = new Explanation(Decision.ALLOW, "default", PolicyMode.ENFORCE, "stdout",
                "writing to stdout is granted");

        @Override
        public List<PolicyInfo> list() {
            return policies;
        }

        @Override
        public Optional<PolicyInfo> get(String name) {
            return policies.stream().filter(p -> p.name().equals(name)).findFirst();
        }

        @Override
        public List<PolicyProblem> problems() {
            return problems;
        }

        @Override
        public List<PolicyProblem> check(Path file) {
            checked.add(file);
            try {
                String text = Files.readString(file);
                return text.startsWith("name:") ? List.of()
                        : List.of(new PolicyProblem(file.toString(), 1, 1, "name", "required"));
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Explanation explain(GateContext context, String call, Map<String, Object> callArgs) {
            this.who = context;
            this.function = call;
            this.args = callArgs;
            if (!call.contains(".")) {
                throw new IllegalArgumentException("call '" + call + "' must be module.name");
            }
            return answer;
        }
    }

    /** Hands over fixed records and problems, and keeps the query it was given. */
    static final class Audit implements AuditLog {
        final List<AuditRecord> records = new ArrayList<>();
        final List<AuditProblem> problems = new ArrayList<>();
        AuditQuery query;
        boolean followed;
        int idles;
        UncheckedIOException failure;

        @Override
        public Path file() {
            return Path.of("/opt/forge/var/log/decisions.log");
        }

        @Override
        public AuditResult query(AuditQuery q) {
            query = q;
            return new AuditResult(records, problems);
        }

        @Override
        public void read(AuditQuery q, AuditListener listener) {
            query = q;
            if (failure != null) {
                throw failure;
            }
            problems.forEach(listener::skipped);
            for (AuditRecord r : records) {
                if (!listener.record(r)) {
                    return;
                }
            }
        }

        @Override
        public void follow(AuditQuery q, AuditListener listener) throws InterruptedException {
            followed = true;
            read(q, listener);
            while (listener.idle()) {
                idles++;
                Thread.sleep(5);
            }
        }
    }
}
