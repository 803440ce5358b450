package io.forgeone.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.gate.Decision;
import io.forgeone.api.observe.NoSuchTraceException;
import io.forgeone.api.observe.ReplayReport;
import io.forgeone.api.observe.TraceInfo;
import io.forgeone.api.observe.TracePage;
import io.forgeone.api.observe.TraceQuery;
import io.forgeone.api.observe.TraceRecord;
import io.forgeone.api.observe.TraceService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceCommandsTest {

    private static TraceRecord record(long seq, String call, Map<String, Object> args, int errno, String summary) {
        return new TraceRecord(seq, 1_500_000 * seq, "wasi_snapshot_preview1", call, List.of(3L, 100L),
                args, Decision.ALLOW, errno < 0 ? List.of() : List.of((long) errno), errno, "", 4, summary);
    }

    /** A trace service over fixed records, answering queries as the observer does. */
    private static final class FixedTraces implements TraceService {
        final List<TraceRecord> records = new ArrayList<>();
        final List<TraceQuery> asked = new ArrayList<>();

        @Override
        public List<TraceInfo> list() {
            return List.of(new TraceInfo("0123456789abcdef", "app", "00", records.size(), records.size(), List.of(),
                    true, 0, "EXITED"));
        }

        @Override
        public TraceInfo info(String container) {
            return list().get(0);
        }

        @Override
        public TracePage records(String container, TraceQuery query) {
            if (!container.equals("app")) {
                throw new NoSuchTraceException("no trace of a container with id or name '" + container + "'");
            }
            asked.add(query);
            List<TraceRecord> out = new ArrayList<>();
            for (TraceRecord r : records) {
                if (r.sequence() >= query.since() && query.matches(r.call())
                        && (query.limit() == 0 || out.size() < query.limit())) {
                    out.add(r);
                }
            }
            return new TracePage(out, records.size(), 0, true, 0, "EXITED");
        }

        @Override
        public TracePage await(String container, TraceQuery query, Duration timeout) {
            return records(container, query);
        }

        @Override
        public TracePage read(Path trace, TraceQuery query) {
            return records("app", query);
        }

        @Override
        public Path traceToFiles(String containerId) {
            throw new UnsupportedOperationException("not used by these tests");
        }
    }

    private final FixedTraces traces = new FixedTraces();
    private final TraceCommands commands = new TraceCommands(traces);

    {
        Map<String, Object> open = new LinkedHashMap<>();
        open.put("fd", 3);
        open.put("path", "input.txt");
        traces.records.add(record(0, "args_sizes_get", Map.of(), 0, ""));
        traces.records.add(record(1, "path_open", open, 0, "opened input.txt for reading as fd 4"));
        traces.records.add(record(2, "fd_read", Map.of("fd", 4, "bytes", 10L), 0, ""));
    }

    @Test
    void showsEveryCallOnALine() throws Exception {
        String out = commands.trace(null, "app");
        List<String> lines = out.lines().toList();
        assertEquals(4, lines.size(), out);
        assertEquals("#1           1.500ms  path_open(fd=3 path=input.txt) -> errno 0  allow, 4 B to guest",
                lines.get(1));
        assertEquals("-- end: EXITED (exit 0)", lines.get(3));
    }

    @Test
    void summaryHasOneSentencePerNotableCall() throws Exception {
        assertEquals("#1 opened input.txt for reading as fd 4\nthe run ended: EXITED (exit 0)\n",
                commands.trace(null, "--summary", "app"));
    }

    @Test
    void sinceFilterAndLimitBecomeTheQuery() throws Exception {
        commands.trace(null, "--since", "1", "--filter", "call=fd_read", "--limit=5", "app");
        assertEquals(new TraceQuery(1, "fd_read", 5), traces.asked.get(0));
    }

    @Test
    void badInputIsNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.trace(null, "--since", "-3", "app"))
                .getMessage().contains("--since '-3': expected a number, 0 or more"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> commands.trace(null, "--filter", "fd=3", "app")).getMessage().contains("expected call=NAME"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.trace(null, "--bogus", "app"))
                .getMessage().contains("unknown option '--bogus'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.trace(null, "a", "b"))
                .getMessage().contains("takes one container"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.trace(null, "--follow", "app"))
                .getMessage().contains("--follow needs a console"));
        assertThrows(NoSuchTraceException.class, () -> commands.trace(null, "other"));
    }

    @Test
    void listsRunsWithoutArguments() throws Exception {
        String out = commands.trace(null);
        assertTrue(out.contains("0123456789abcdef  app"), out);
        assertTrue(out.contains("ended: EXITED"), out);
    }

    @Test
    void replayNeedsTheServiceAndReportsItsVerdict() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.replay("t.trace")).getMessage()
                .contains("needs the observer bundle"));
        commands.setReplays((trace, module) -> new ReplayReport(false, 7, 9,
                new ReplayReport.Divergence(7, "fd_read(3, 1, 2)", "fd_write(2, 1, 2)")));
        assertEquals("diverged at call #7: expected fd_read(3, 1, 2), actual fd_write(2, 1, 2)\n",
                commands.replay("t.trace"));
    }
}
