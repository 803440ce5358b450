package io.forgeone.api.policy;

import java.util.List;

/**
 * What a query of the decision log found.
 *
 * @param records the matching records, oldest first
 * @param skipped lines that could not be read as records, in file order
 */
public record AuditResult(List<AuditRecord> records, List<AuditProblem> skipped) {
    public AuditResult {
        records = List.copyOf(records);
        skipped = List.copyOf(skipped);
    }
}
