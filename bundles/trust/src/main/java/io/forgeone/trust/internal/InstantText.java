package io.forgeone.trust.internal;

import java.time.Instant;

/**
 * Writes instants as {@link Instant#toString()} does ({@code 2026-11-22T07:00:00.123456789Z}, the fraction in
 * groups of three digits, none when it is zero), formatting the date and time of day only when the second
 * changes: the records of a batch mostly share their second, and {@code Instant.toString()} costs more than the
 * rest of a record's line. Not thread-safe: one per writer.
 */
final class InstantText {
    private long second = Long.MIN_VALUE;
    private String secondText;

    void append(StringBuilder out, Instant t) {
        if (t.getEpochSecond() != second) {
            String whole = Instant.ofEpochSecond(t.getEpochSecond()).toString();
            secondText = whole.substring(0, whole.length() - 1); // without its Z
            second = t.getEpochSecond();
        }
        out.append(secondText);
        int nanos = t.getNano();
        if (nanos != 0) {
            int digits;
            int value;
            if (nanos % 1_000_000 == 0) {
                digits = 3;
                value = nanos / 1_000_000;
            } else if (nanos % 1_000 == 0) {
                digits = 6;
                value = nanos / 1_000;
            } else {
                digits = 9;
                value = nanos;
            }
            out.append('.');
            String v = Integer.toString(value);
            for (int i = v.length(); i < digits; i++) {
                out.append('0');
            }
            out.append(v);
        }
        out.append('Z');
    }
}
