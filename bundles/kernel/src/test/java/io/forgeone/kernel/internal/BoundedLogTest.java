package io.forgeone.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedLogTest {

    private static void append(BoundedLog log, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        log.append(b, 0, b.length);
    }

    @Test
    void keepsEverythingUnderTheLimit() {
        BoundedLog log = new BoundedLog(100);
        append(log, "hello ");
        append(log, "world");
        assertEquals("hello world", log.text());
        assertEquals(0, log.dropped());
    }

    @Test
    void dropsOldestBytesAndCountsThem() {
        BoundedLog log = new BoundedLog(10);
        for (int i = 0; i < 7; i++) {
            append(log, "ab");
        }
        append(log, "XYZ");
        assertEquals("babababXYZ", log.text());
        assertEquals(7, log.dropped());
    }

    @Test
    void aWriteLargerThanTheLimitKeepsItsTail() {
        BoundedLog log = new BoundedLog(4);
        append(log, "12");
        append(log, "abcdefgh");
        assertEquals("efgh", log.text());
        assertEquals(6, log.dropped());
    }

    @Test
    void growsPastTheInitialBufferAndWrapsCorrectly() {
        BoundedLog log = new BoundedLog(1000);
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            String line = i + ",";
            append(log, line);
            all.append(line);
        }
        String expected = all.substring(all.length() - 1000);
        assertEquals(expected, log.text());
        assertEquals(all.length() - 1000, log.dropped());
    }

    @Test
    void zeroCapacityKeepsNothing() {
        BoundedLog log = new BoundedLog(0);
        append(log, "abc");
        assertEquals("", log.text());
        assertEquals(3, log.dropped());
    }
}
