package io.forgeone.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AuthFailuresTest {
    private long now;

    @Test
    void anAddressIsRefusedAfterMaxFailuresUntilTheWindowPasses() {
        AuthFailures failures = new AuthFailures(3, Duration.ofSeconds(60), () -> now);
        failures.fail("a");
        now += Duration.ofSeconds(10).toNanos();
        failures.fail("a");
        assertEquals(Duration.ZERO, failures.refusedFor("a"));
        failures.fail("a");
        assertEquals(Duration.ofSeconds(50), failures.refusedFor("a"));
        assertEquals(Duration.ZERO, failures.refusedFor("b"));
        now += Duration.ofSeconds(50).toNanos();
        assertEquals(Duration.ZERO, failures.refusedFor("a"), "the first failure left the window");
    }

    @Test
    void memoryIsBoundedUnderAFloodOfAddresses() {
        AuthFailures failures = new AuthFailures(2, Duration.ofSeconds(60), () -> now);
        for (int i = 0; i < AuthFailures.MAX_ADDRESSES + 500; i++) {
            failures.fail("10.0." + (i / 256) + "." + (i % 256));
        }
        failures.fail("x");
        failures.fail("x");
        assertTrue(failures.refusedFor("x").toSeconds() > 0);
    }
}
