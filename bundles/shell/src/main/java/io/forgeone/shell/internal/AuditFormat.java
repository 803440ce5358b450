package io.forgeone.shell.internal;

import io.forgeone.api.policy.AuditRecord;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The decision log as a table for people: one line per record, times in UTC as the log has them. */
final class AuditFormat {
    static final String HEADER = String.format("%-23s  %-15s  %-20s  %-22s  %-14s  %-16s  %s%n", "TIME (UTC)",
            "DECISION", "CONTAINER", "CALL", "POLICY", "RULE", "REASON");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);
    private static final String WASI = "wasi_snapshot_preview1.";

    private AuditFormat() {
    }

    static String row(AuditRecord r) {
        String call = r.call().startsWith(WASI) ? r.function() : r.call();
        String reason = r.reason();
        Object quarantine = r.extra().get("quarantine");
        if (quarantine != null) {
            reason = reason + " [quarantined: " + quarantine + "]";
        }
        return String.format("%-23s  %-15s  %-20s  %-22s  %-14s  %-16s  %s%n", TIME.format(r.time()), r.decision(),
                r.name().isEmpty() ? r.container() : r.name(), call.isEmpty() ? "-" : call,
                r.policy().isEmpty() ? "-" : r.policy(), r.rule().isEmpty() ? "-" : r.rule(), oneLine(reason));
    }

    /** A reason with a line break in it (a path can hold one) must not break the table. */
    static String oneLine(String text) {
        return text.replace("\r", "\\r").replace("\n", "\\n");
    }
}
