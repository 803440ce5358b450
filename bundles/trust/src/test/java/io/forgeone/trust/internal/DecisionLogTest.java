package io.forgeone.trust.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The decision log's group commit: nothing lost, nothing torn, order kept, rotation intact under load. */
@Timeout(120)
class DecisionLogTest {
    @TempDir
    Path dir;

    private static Map<String, Object> record(String decision, int thread, int seq) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("container", "c" + thread);
        r.put("name", "worker-" + thread);
        r.put("call", "wasi_snapshot_preview1.fd_write");
        r.put("args", Map.of("fd", 1, "bytes", seq));
        r.put("decision", decision);
        r.put("thread", thread);
        r.put("seq", seq);
        // text that needs escaping, and characters of two, three and four bytes in UTF-8
        r.put("reason", "line \"" + seq + "\"\n\u00e9\u20ac\ud83d\ude00");
        return r;
    }

    /** Every line of the log, oldest file first ({@code .N} ... {@code .1}, then the current one). */
    private static List<String> allLines(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path p : LogSource.existing(file)) {
            lines.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
        }
        return lines;
    }

    /**
     * Runs {@code threads} threads that each append {@code perThread} records (every {@code denyEvery}-th one a
     * denial, the rest allowed), all starting at once.
     */
    private static void hammer(DecisionLog log, int threads, int perThread, int denyEvery) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    log.append(record(denyEvery > 0 && i % denyEvery == 0 ? "deny" : "allow", thread, i));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
    }

    /** Each line is one JSON object; per thread the sequence numbers are 0..perThread-1, in order. */
    private static void assertComplete(List<String> lines, int threads, int perThread) {
        assertEquals(threads * perThread, lines.size(), "one line per record, no more, no fewer");
        Map<Long, Long> next = new HashMap<>();
        for (String line : lines) {
            Object parsed = assertDoesNotThrow(() -> JsonReader.parse(line), line);
            assertTrue(parsed instanceof Map, line);
            Map<?, ?> m = (Map<?, ?>) parsed;
            assertTrue(m.get("time") instanceof String t && Instant.parse(t) != null, line);
            long thread = (Long) m.get("thread");
            long seq = (Long) m.get("seq");
            long expected = next.getOrDefault(thread, 0L);
            assertEquals(expected, seq, "records of thread " + thread + " in the order they were appended");
            next.put(thread, seq + 1);
            assertEquals("line \"" + seq + "\"\n\u00e9\u20ac\ud83d\ude00", m.get("reason"));
        }
        for (long t = 0; t < threads; t++) {
            assertEquals((long) perThread, next.get(t), "thread " + t);
        }
    }

    @Test
    void concurrentAppendsGiveExactlyOneValidLinePerRecord() throws Exception {
        Path file = dir.resolve("log/decisions.log");
        DecisionLog log = new DecisionLog(file, Long.MAX_VALUE, 5);
        hammer(log, 8, 5_000, 100);
        log.close();
        assertEquals(List.of(file), LogSource.existing(file), "no rotation at this size");
        assertComplete(allLines(file), 8, 5_000);
    }

    @Test
    void aFullQueueMakesTheCallerWriteAndLosesNothing() throws Exception {
        Path file = dir.resolve("decisions.log");
        DecisionLog log = new DecisionLog(file, Long.MAX_VALUE, 5, 2);
        hammer(log, 4, 3_000, 0);
        log.close();
        assertComplete(allLines(file), 4, 3_000);
        assertEquals(0, log.lost());
    }

    @Test
    void rotationUnderLoadKeepsEveryLineWholeAndEveryFileWithinItsSize() throws Exception {
        Path file = dir.resolve("decisions.log");
        long max = 32 * 1024;
        DecisionLog log = new DecisionLog(file, max, 1_000);
        hammer(log, 4, 2_500, 7);
        log.close();
        List<Path> files = LogSource.existing(file);
        assertTrue(files.size() > 20, "rotated many times: " + files.size());
        for (Path p : files) {
            assertTrue(Files.size(p) <= max, p + " is " + Files.size(p) + " bytes");
            byte[] bytes = Files.readAllBytes(p);
            assertEquals('\n', bytes[bytes.length - 1], p + " ends with a whole line");
        }
        assertComplete(allLines(file), 4, 2_500);
    }

    @Test
    void rotationKeepsOnlySoManyFiles() throws Exception {
        Path file = dir.resolve("decisions.log");
        DecisionLog log = new DecisionLog(file, 4 * 1024, 3);
        hammer(log, 2, 500, 0);
        log.close();
        assertEquals(List.of(dir.resolve("decisions.log.3"), dir.resolve("decisions.log.2"),
                dir.resolve("decisions.log.1"), file), LogSource.existing(file));
        // the newest records survive; the ones that fell off were the oldest
        List<String> lines = allLines(file);
        assertTrue(lines.get(lines.size() - 1).contains("\"seq\":499"), lines.get(lines.size() - 1));
    }

    @Test
    void closeWritesEverythingQueued() throws Exception {
        Path file = dir.resolve("decisions.log");
        for (int round = 0; round < 20; round++) {
            Files.deleteIfExists(file);
            DecisionLog log = new DecisionLog(file, Long.MAX_VALUE, 5);
            for (int i = 0; i < 1_000; i++) {
                log.append(record("allow", 0, i));
            }
            log.close();
            assertComplete(Files.readAllLines(file), 1, 1_000);
        }
    }

    @Test
    void aDenialIsWrittenBeforeAppendReturnsAndTakesTheAllowsBeforeItAlong() throws Exception {
        Path file = dir.resolve("decisions.log");
        DecisionLog log = new DecisionLog(file, Long.MAX_VALUE, 5);
        try {
            for (int i = 0; i < 100; i++) {
                log.append(record("allow", 0, i));
            }
            log.append(record("deny", 0, 100));
            // no close, no flush: the denial and everything queued before it are in the file now
            assertComplete(Files.readAllLines(file), 1, 101);
            log.append(record("audit-deny", 0, 101));
            log.append(record("release", 0, 102));
            assertComplete(Files.readAllLines(file), 1, 103);
        } finally {
            log.close();
        }
    }

    @Test
    void flushWritesTheQueuedAllows() throws Exception {
        Path file = dir.resolve("decisions.log");
        DecisionLog log = new DecisionLog(file, Long.MAX_VALUE, 5);
        try {
            for (int i = 0; i < 500; i++) {
                log.append(record("allow", 0, i));
            }
            log.flush();
            assertComplete(Files.readAllLines(file), 1, 500);
        } finally {
            log.close();
        }
    }

    @Test
    void appendsAfterCloseStillReachTheFile() throws Exception {
        Path file = dir.resolve("decisions.log");
        DecisionLog log = new DecisionLog(file, Long.MAX_VALUE, 5);
        log.append(record("allow", 0, 0));
        log.close();
        log.append(record("allow", 0, 1));
        log.append(record("deny", 0, 2));
        assertComplete(Files.readAllLines(file), 1, 3);
    }

    @Test
    void aLineCutShortByACrashIsEndedBeforeTheNextRecord() throws Exception {
        Path file = dir.resolve("decisions.log");
        Files.writeString(file, "{\"time\":\"2026-11-22T07:00:00Z\",\"decision\":\"deny\"}\n{\"time\":\"2026-11-2");
        DecisionLog log = new DecisionLog(file, Long.MAX_VALUE, 5);
        log.append(record("deny", 0, 0));
        log.close();
        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size(), lines.toString());
        assertEquals("{\"time\":\"2026-11-2", lines.get(1));
        assertTrue(lines.get(2).startsWith("{\"time\":\"") && lines.get(2).contains("\"seq\":0"), lines.get(2));
    }

    @Test
    void aLogThatCannotBeWrittenCountsItsLossesAndNeverThrows() throws Exception {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        DecisionLog log = new DecisionLog(notADir.resolve("decisions.log"), Long.MAX_VALUE, 5);
        assertDoesNotThrow(() -> log.append(record("deny", 0, 0)));
        assertDoesNotThrow(() -> log.append(record("allow", 0, 1)));
        log.close();
        assertEquals(2, log.lost());
        assertFalse(Files.exists(notADir.resolve("decisions.log")));
    }

    @Test
    void theWriterThreadStartsOnlyWhenNeededAndEndsWithClose() throws Exception {
        int before = writers().size();
        Path file = dir.resolve("decisions.log");
        DecisionLog log = new DecisionLog(file, Long.MAX_VALUE, 5);
        log.append(record("deny", 0, 0));
        assertEquals(before, writers().size(), "a denial is written by its caller: no writer thread for it");
        log.append(record("allow", 0, 1));
        assertEquals(before + 1, writers().size());
        log.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (writers().size() > before) {
            assertTrue(System.nanoTime() < deadline, "the writer thread is still there after close");
            Thread.sleep(10);
        }
    }

    private static List<Thread> writers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("forge-decision-log") && t.isAlive()).toList();
    }
}
