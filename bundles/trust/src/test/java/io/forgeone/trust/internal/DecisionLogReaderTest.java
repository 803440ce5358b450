package io.forgeone.trust.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.policy.AuditListener;
import io.forgeone.api.policy.AuditProblem;
import io.forgeone.api.policy.AuditQuery;
import io.forgeone.api.policy.AuditRecord;
import io.forgeone.api.policy.AuditResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reading the decision log back: filters, rotated files in time order, bad lines skipped, following. */
@Timeout(60)
class DecisionLogReaderTest {
    private static final String WASI = CompiledPolicy.WASI;

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("decisions.log");
    }

    private DecisionLogReader reader() {
        return new DecisionLogReader(file(), Duration.ofMillis(20));
    }

    private static String line(String time, String container, String name, String call, String decision,
            String policy, String rule) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", time);
        m.put("container", container);
        m.put("name", name);
        m.put("identity", "sha256:ab");
        m.put("call", call);
        m.put("args", Map.of("guestPath", "/data/x"));
        m.put("decision", decision);
        m.put("policy", policy);
        m.put("rule", rule);
        m.put("reason", "because");
        StringBuilder out = new StringBuilder();
        Json.write(out, m);
        return out.append('\n').toString();
    }

    private void write(Path p, String... lines) throws Exception {
        Files.writeString(p, String.join("", lines));
    }

    /** Three files: .2 (oldest), .1, then the current one, with records across an hour. */
    private void threeFiles() throws Exception {
        write(dir.resolve("decisions.log.2"),
                line("2026-11-22T07:00:00Z", "aaa111", "web-1", WASI + ".path_open", "deny", "web", "fs[0]"),
                line("2026-11-22T07:10:00Z", "bbb222", "web-10", WASI + ".random_get", "deny", "web", "random"));
        write(dir.resolve("decisions.log.1"),
                line("2026-11-22T07:20:00Z", "ccc333", "batch-1", WASI + ".path_open", "audit-deny", "batch",
                        "default-deny"),
                line("2026-11-22T07:30:00Z", "aaa111", "web-1", WASI + ".fd_write", "allow", "web", "stdout"));
        write(file(),
                line("2026-11-22T07:40:00Z", "aaa111", "web-1", WASI + ".path_open", "deny", "web", "fs[1]"),
                line("2026-11-22T07:50:00Z", "ddd444", "other", "kv.get", "permissive-deny", "dev",
                        "limits.filesOpen"));
    }

    private static List<String> times(AuditResult result) {
        return result.records().stream().map(r -> r.time().toString().substring(11, 16)).toList();
    }

    @Test
    void everythingInTimeOrderAcrossRotatedFiles() throws Exception {
        threeFiles();
        AuditResult all = reader().query(AuditQuery.ALL);
        assertEquals(List.of("07:00", "07:10", "07:20", "07:30", "07:40", "07:50"), times(all));
        assertEquals(List.of(), all.skipped());
        AuditRecord first = all.records().get(0);
        assertEquals("aaa111", first.container());
        assertEquals("web-1", first.name());
        assertEquals("path_open", first.function());
        assertEquals(Map.of("guestPath", "/data/x"), first.args());
        assertTrue(first.denied());
        assertEquals(Files.readAllLines(dir.resolve("decisions.log.2")).get(0), first.json());
    }

    @Test
    void filters() throws Exception {
        threeFiles();
        DecisionLogReader r = reader();
        assertEquals(List.of("07:00", "07:10", "07:30", "07:40"), times(r.query(AuditQuery.ALL.withContainer("web"))),
                "a name prefix");
        assertEquals(List.of("07:00", "07:30", "07:40"), times(r.query(AuditQuery.ALL.withContainer("aaa"))),
                "an id prefix");
        assertEquals(List.of("07:00", "07:10", "07:40"), times(r.query(AuditQuery.ALL.withDecisions(Set.of("deny")))));
        assertEquals(List.of("07:20", "07:50"), times(r.query(AuditQuery.ALL.withDecisions(
                Set.of("audit-deny", "permissive-deny")))));
        assertEquals(List.of("07:00", "07:20", "07:40"), times(r.query(AuditQuery.ALL.withCall("path_open"))));
        assertEquals(List.of("07:00", "07:20", "07:40"), times(r.query(AuditQuery.ALL.withCall(WASI + ".path_open"))));
        assertEquals(List.of("07:50"), times(r.query(AuditQuery.ALL.withCall("kv.get"))));
        assertEquals(List.of(), times(r.query(AuditQuery.ALL.withCall("path"))), "a call is not a prefix");
        assertEquals(List.of("07:20"), times(r.query(AuditQuery.ALL.withPolicy("batch"))));
        assertEquals(List.of("07:00", "07:40"), times(r.query(AuditQuery.ALL.withRule("fs"))), "a rule family");
        assertEquals(List.of("07:40"), times(r.query(AuditQuery.ALL.withRule("fs[1]"))));
        assertEquals(List.of("07:50"), times(r.query(AuditQuery.ALL.withRule("limits"))));
        assertEquals(List.of(), times(r.query(AuditQuery.ALL.withRule("f"))));
        assertEquals(List.of("07:20", "07:30", "07:40"), times(r.query(AuditQuery.ALL
                .withSince(Instant.parse("2026-11-22T07:20:00Z")).withUntil(Instant.parse("2026-11-22T07:50:00Z")))),
                "since is inclusive, until exclusive");
        assertEquals(List.of("07:40", "07:50"), times(r.query(AuditQuery.ALL.withTail(2))));
        assertEquals(List.of("07:10", "07:40"), times(r.query(AuditQuery.ALL.withDecisions(Set.of("deny"))
                .withTail(2))), "the tail of what matches");
        assertEquals(List.of("07:40"), times(r.query(AuditQuery.ALL.withContainer("web-1").withCall("path_open")
                .withRule("fs").withSince(Instant.parse("2026-11-22T07:05:00Z")))), "all conditions hold");
    }

    @Test
    void badQueriesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> AuditQuery.ALL.withTail(-1));
        assertThrows(IllegalArgumentException.class, () -> AuditQuery.ALL.withSince(Instant.parse("2026-11-22T08:00:00Z"))
                .withUntil(Instant.parse("2026-11-22T07:00:00Z")));
        assertThrows(IllegalArgumentException.class, () -> reader().follow(AuditQuery.ALL.withUntil(Instant.now()),
                r -> true));
    }

    @Test
    void malformedLinesAreSkippedWithFileAndLineAndReadingGoesOn() throws Exception {
        write(dir.resolve("decisions.log.1"),
                line("2026-11-22T07:00:00Z", "a", "web-1", WASI + ".path_open", "deny", "web", "fs[0]"),
                "this is not json\n",
                "{\"time\":\"yesterday\",\"decision\":\"deny\"}\n",
                "[1,2]\n",
                "{\"time\":\"2026-11-22T07:01:00Z\"}\n",
                "{\"time\":\"2026-11-22T07:01:00Z\",\"decision\":\"deny\",\"name\":7}\n",
                "{\"time\":\"2026-11-22T07:01:00Z\",\"decision\":\"deny\",\"args\":\"x\"}\n",
                line("2026-11-22T07:02:00Z", "a", "web-1", WASI + ".path_open", "deny", "web", "fs[0]"),
                "{\"time\":\"2026-11-22T07:03:00Z\",\"decis");
        Files.write(file(), new byte[] {'{', (byte) 0xff, '}', '\n'});
        Files.writeString(file(), line("2026-11-22T07:04:00Z", "a", "web-1", "kv.get", "deny", "web", "x"),
                StandardOpenOption.APPEND);
        Files.writeString(file(), "{\"time\":\"2026-11-22T07:05:00Z\",\"deci", StandardOpenOption.APPEND);

        AuditResult result = reader().query(AuditQuery.ALL);
        assertEquals(List.of("07:00", "07:02", "07:04"), times(result));
        String rotated = dir.resolve("decisions.log.1").toString();
        List<String> skipped = result.skipped().stream().map(AuditProblem::toString).toList();
        assertEquals(List.of(
                rotated + ":2: column 1: unexpected 't'",
                rotated + ":3: time 'yesterday' is not an ISO-8601 instant",
                rotated + ":4: not a JSON object",
                rotated + ":5: no decision",
                rotated + ":6: name is not a string",
                rotated + ":7: args is not an object",
                rotated + ":9: the last line is cut short (no line break)",
                file() + ":1: not UTF-8 text"), skipped,
                "the current file's last line is still being written: not a problem yet");
    }

    @Test
    void extraFieldsAreKeptAndMissingOnesAreEmpty() throws Exception {
        write(file(), "{\"time\":\"2026-11-22T07:00:00Z\",\"container\":\"c\",\"name\":\"web-1\",\"call\":\"-\","
                + "\"decision\":\"release\",\"policy\":\"web\",\"reason\":\"released\",\"trustScore\":100,"
                + "\"quarantine\":null}\n");
        AuditRecord r = reader().query(AuditQuery.ALL).records().get(0);
        assertEquals("release", r.decision());
        assertEquals("", r.rule());
        assertEquals(Map.of(), r.args());
        assertEquals(List.of("trustScore", "quarantine"), new ArrayList<>(r.extra().keySet()));
        assertEquals(100L, r.extra().get("trustScore"));
        assertTrue(r.extra().containsKey("quarantine") && r.extra().get("quarantine") == null);
    }

    @Test
    void noLogYetIsAnEmptyResult() {
        AuditResult result = reader().query(AuditQuery.ALL);
        assertEquals(List.of(), result.records());
        assertEquals(List.of(), result.skipped());
    }

    @Test
    void sinceSkipsRotatedFilesLastWrittenBeforeIt() throws Exception {
        threeFiles();
        // .2 holds a record from the future (a clock step), but the file was last written an hour ago: skipped
        write(dir.resolve("decisions.log.2"), line("2099-01-01T00:00:00Z", "x", "x", "kv.get", "deny", "p", "r"));
        Files.setLastModifiedTime(dir.resolve("decisions.log.2"),
                java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(3600)));
        assertEquals(1, reader().query(AuditQuery.ALL.withPolicy("p")).records().size(), "without since it is read");
        AuditResult result = reader().query(AuditQuery.ALL.withSince(Instant.now().minusSeconds(60)));
        assertEquals(List.of(), times(result), "the other files hold records from 2026 only");
    }

    @Test
    void readStreamsAndStopsWhenTheListenerSaysSo() throws Exception {
        threeFiles();
        List<String> seen = new ArrayList<>();
        reader().read(AuditQuery.ALL, r -> {
            seen.add(r.name());
            return seen.size() < 3;
        });
        assertEquals(List.of("web-1", "web-10", "batch-1"), seen);
        seen.clear();
        reader().read(AuditQuery.ALL.withTail(2), r -> seen.add(r.name()));
        assertEquals(List.of("web-1", "other"), seen);
    }

    /** A listener that collects records on the following thread and stops after {@code count} of them. */
    private static final class Collecting implements AuditListener {
        final List<AuditRecord> records = Collections.synchronizedList(new ArrayList<>());
        final List<AuditProblem> problems = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch first;
        final int count;

        Collecting(int count, int signalAfter) {
            this.count = count;
            this.first = new CountDownLatch(signalAfter);
        }

        @Override
        public boolean record(AuditRecord record) {
            records.add(record);
            first.countDown();
            return records.size() < count;
        }

        @Override
        public void skipped(AuditProblem problem) {
            problems.add(problem);
        }
    }

    private Thread follow(DecisionLogReader reader, AuditQuery query, AuditListener listener,
            AtomicReference<Throwable> failure) {
        Thread t = new Thread(() -> {
            try {
                reader.follow(query, listener);
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "follower");
        t.start();
        return t;
    }

    @Test
    void followGivesTheTailThenNewRecordsAcrossRotationsWithoutGapOrRepeat() throws Exception {
        DecisionLog log = new DecisionLog(file(), 2_000, 1_000);
        for (int i = 0; i < 20; i++) {
            log.append(Map.of("container", "c", "name", "web-1", "call", WASI + ".fd_write", "decision", "deny",
                    "seq", i));
        }
        int later = 2_000;
        Collecting listener = new Collecting(5 + later, 5);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread follower = follow(reader(), AuditQuery.ALL.withTail(5), listener, failure);
        assertTrue(listener.first.await(10, TimeUnit.SECONDS), "the tail came");
        // new records, allowed (queued) and denied (written at once), each file holding about a dozen
        for (int i = 20; i < 20 + later; i++) {
            log.append(Map.of("container", "c", "name", "web-1", "call", WASI + ".fd_write",
                    "decision", i % 3 == 0 ? "deny" : "allow", "seq", i));
            if (i % 200 == 0) {
                Thread.sleep(30); // let the follower look in between, as well as fall behind
            }
        }
        log.close();
        follower.join(30_000);
        assertTrue(!follower.isAlive(), "the follower stopped after its count: got " + listener.records.size());
        assertEquals(null, failure.get());
        List<Long> seqs = listener.records.stream().map(r -> (Long) r.extra().get("seq")).toList();
        List<Long> expected = new ArrayList<>();
        for (long i = 15; i < 20 + later; i++) {
            expected.add(i);
        }
        assertEquals(expected, seqs, "the last 5, then every new one once, in order");
        assertTrue(LogSource.existing(file()).size() > 50, "the log rotated many times while followed");
        assertEquals(List.of(), listener.problems);
    }

    @Test
    void followWaitsForALogThatDoesNotExistYetAndFiltersWhatComes() throws Exception {
        Collecting listener = new Collecting(2, 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread follower = follow(reader(), AuditQuery.ALL.withDecisions(Set.of("deny")), listener, failure);
        Thread.sleep(100);
        DecisionLog log = new DecisionLog(file(), 1_000_000, 5);
        log.append(Map.of("container", "c", "name", "a", "call", "kv.get", "decision", "allow"));
        log.append(Map.of("container", "c", "name", "b", "call", "kv.get", "decision", "deny"));
        Files.writeString(file(), "garbage\n", StandardOpenOption.APPEND);
        log.append(Map.of("container", "c", "name", "c", "call", "kv.get", "decision", "deny"));
        follower.join(10_000);
        log.close();
        assertEquals(null, failure.get());
        assertEquals(List.of("b", "c"), listener.records.stream().map(AuditRecord::name).toList());
        assertEquals(List.of(file() + ":3: column 1: unexpected 'g'"),
                listener.problems.stream().map(AuditProblem::toString).toList());
    }

    @Test
    void followEndsOnInterruptAndWhenTheServiceGoesAway() throws Exception {
        write(file(), line("2026-11-22T07:00:00Z", "a", "web-1", "kv.get", "deny", "web", "x"));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Collecting listener = new Collecting(100, 1);
        Thread follower = follow(reader(), AuditQuery.ALL, listener, failure);
        assertTrue(listener.first.await(10, TimeUnit.SECONDS));
        follower.interrupt();
        follower.join(10_000);
        assertTrue(failure.get() instanceof InterruptedException, String.valueOf(failure.get()));

        DecisionLogReader reader = reader();
        failure.set(null);
        Collecting second = new Collecting(100, 1);
        follower = follow(reader, AuditQuery.ALL, second, failure);
        assertTrue(second.first.await(10, TimeUnit.SECONDS));
        reader.deactivate();
        follower.join(10_000);
        assertTrue(!follower.isAlive());
        assertEquals(null, failure.get());
    }

    @Test
    void theLogFileComesFromConfigurationOrTheStateFolder() {
        assertEquals(Path.of("/x/decisions.log"), DecisionLogReader.logFile("/x/decisions.log", "/var/forge"));
        assertEquals(Path.of("/var/forge/log/decisions.log"), DecisionLogReader.logFile("", "/var/forge"));
        assertEquals(Path.of("./log/decisions.log"), DecisionLogReader.logFile(null, null));
    }
}
