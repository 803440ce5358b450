package io.forgeone.api.policy;

import io.forgeone.api.gate.GateContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The node's policies: list, show, check a file, and explain a decision. */
@ProviderType
public interface PolicyService {

    /** Every policy in force, by name. */
    List<PolicyInfo> list();

    Optional<PolicyInfo> get(String name);

    /** Problems of the policy files that are not in force (a bad file never replaces a good one). */
    List<PolicyProblem> problems();

    /** Validates a policy file without installing it; empty when it is good. */
    List<PolicyProblem> check(Path file);

    /**
     * Explains how a call would be decided for a workload.
     *
     * @param who the workload
     * @param function {@code module.name}, for example {@code wasi_snapshot_preview1.path_open}
     * @param args decoded arguments, as {@code HostFunction.describe} gives them (for example {@code path},
     *     {@code fd}, {@code oflags})
     */
    Explanation explain(GateContext who, String function, Map<String, Object> args);
}
