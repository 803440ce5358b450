package io.forgeone.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFileTest {
    @TempDir
    Path tmp;

    @Test
    void timestampIsFixedWidth() {
        assertEquals("2026-01-02T03:04:05.006", LogFile.timestamp(LocalDateTime.of(2026, 1, 2, 3, 4, 5, 6_999_999)));
        assertEquals("2026-12-31T23:59:59.999", LogFile.timestamp(LocalDateTime.of(2026, 12, 31, 23, 59, 59, 999_000_000)));
    }

    @Test
    void appendsAndNamesProcessLevelAndSource() throws IOException {
        Path path = tmp.resolve("forge.log");
        Files.writeString(path, "older line\n");
        LogFile log = LogFile.open(path);
        log.info("hello");
        log.error("broken", new IllegalStateException("why"));
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        assertEquals("older line", lines.get(0));
        assertTrue(lines.get(1).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[pid " + log.pid()
                + "] \\[[^]]+] INFO launcher - hello"), lines.get(1));
        assertTrue(lines.get(2).endsWith("ERROR launcher - broken"), lines.get(2));
        assertEquals("java.lang.IllegalStateException: why", lines.get(3));
        assertTrue(lines.get(4).startsWith("\tat "), lines.get(4));
    }

    @Test
    void largeLogIsRotatedAtOpen() throws IOException {
        Path path = tmp.resolve("forge.log");
        Files.write(path, new byte[(10 << 20) + 1]);
        LogFile.open(path).info("fresh");
        assertEquals((10 << 20) + 1, Files.size(tmp.resolve("forge.log.1")));
        assertTrue(Files.readString(path).endsWith("INFO launcher - fresh\n"));
    }
}
