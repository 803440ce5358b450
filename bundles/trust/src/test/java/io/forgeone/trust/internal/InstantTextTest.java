package io.forgeone.trust.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InstantTextTest {

    @Test
    void writesWhatInstantToStringWrites() {
        InstantText text = new InstantText();
        List<Instant> cases = List.of(Instant.parse("2026-11-22T07:00:00Z"), Instant.parse("2026-11-22T07:00:00.5Z"),
                Instant.parse("2026-11-22T07:00:00.012Z"), Instant.parse("2026-11-22T07:00:00.000120Z"),
                Instant.parse("2026-11-22T07:00:00.000000001Z"), Instant.parse("2026-11-22T07:00:01.999999999Z"),
                Instant.parse("1970-01-01T00:00:00Z"), Instant.parse("1969-12-31T23:59:59.9Z"),
                Instant.parse("2026-11-22T07:00:01.100Z"));
        Random random = new Random(42);
        for (Instant t : cases) {
            StringBuilder out = new StringBuilder("x");
            text.append(out, t);
            assertEquals("x" + t, out.toString());
        }
        Instant t = Instant.parse("2026-11-22T07:00:00Z");
        for (int i = 0; i < 100_000; i++) {
            t = t.plusNanos(random.nextInt(3) == 0 ? random.nextInt(1000) * 1_000_000L : random.nextInt(50_000_000));
            StringBuilder out = new StringBuilder();
            text.append(out, t);
            assertEquals(t.toString(), out.toString());
        }
    }
}
