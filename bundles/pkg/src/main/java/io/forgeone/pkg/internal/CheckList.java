package io.forgeone.pkg.internal;

import io.forgeone.api.pkg.PackageException.Reason;
import io.forgeone.api.pkg.VerificationReport.Check;
import io.forgeone.api.pkg.VerificationReport.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects check outcomes and lists them in the fixed order of {@link #ORDER}; a check never decided is listed as
 * skipped. A later outcome for the same check replaces an earlier one (limits pass from the central directory,
 * then may fail while inflating).
 */
final class CheckList {
    static final List<String> ORDER = List.of(Check.ARCHIVE, Check.ENTRY_NAMES, Check.LIMITS, Check.MANIFEST,
            Check.ENTRIES_PINNED, Check.NO_EXTRA_ENTRIES, Check.SIGNATURES, Check.TRUSTED_KEY, Check.NOT_REVOKED,
            Check.VALIDITY, Check.HYBRID);
    static final List<String> AUTHENTICITY = List.of(Check.SIGNATURES, Check.TRUSTED_KEY, Check.NOT_REVOKED,
            Check.VALIDITY, Check.HYBRID);

    private final Map<String, Check> checks = new LinkedHashMap<>();

    void pass(String name, String detail) {
        checks.put(name, Check.passed(name, detail));
    }

    void fail(String name, Reason reason, String detail) {
        checks.put(name, Check.failed(name, reason, detail));
    }

    void skip(String name, String detail) {
        checks.put(name, Check.skipped(name, detail));
    }

    boolean failed() {
        return checks.values().stream().anyMatch(c -> c.outcome() == Outcome.FAILED);
    }

    boolean failedAny(List<String> names) {
        return names.stream().map(checks::get)
                .anyMatch(c -> c != null && c.outcome() == Outcome.FAILED);
    }

    /** The first failure's reason and detail, for an exception message. */
    Check firstFailure() {
        return list().stream().filter(c -> c.outcome() == Outcome.FAILED)
                .findFirst().orElseThrow();
    }

    List<Check> list() {
        List<Check> out = new ArrayList<>();
        String firstFailure = null;
        for (String name : ORDER) {
            Check c = checks.get(name);
            if (c == null) {
                c = Check.skipped(name, firstFailure == null ? "not run" : "not run: " + firstFailure + " failed");
            } else if (firstFailure == null && c.outcome() == Outcome.FAILED) {
                firstFailure = name;
            }
            out.add(c);
        }
        return out;
    }
}
