package io.forgeone.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.gate.Decision;
import io.forgeone.api.observe.ReplayReport;
import io.forgeone.api.observe.ReplayService;
import io.forgeone.api.observe.TraceFormatException;
import io.forgeone.api.observe.TraceInfo;
import io.forgeone.api.observe.TracePage;
import io.forgeone.api.observe.TraceQuery;
import io.forgeone.api.observe.TraceRecord;
import io.forgeone.api.observe.TraceService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceCommandTest {
    @TempDir
    Path dir;
    private final Console console = new Console();
    private final OptionalServices services = new OptionalServices(Duration.ZERO, OptionalServices.OBSERVER_BUNDLE);
    private final List<TraceQuery> queries = new ArrayList<>();
    private Path trace;

    @BeforeEach
    void setUp() throws Exception {
        trace = Files.writeString(dir.resolve("run.trace"), "x");
        services.bind(TraceService.class, new TraceService() {
            @Override
            public List<TraceInfo> list() {
                throw new UnsupportedOperationException();
            }

            @Override
            public TraceInfo info(String container) {
                throw new UnsupportedOperationException();
            }

            @Override
            public TracePage records(String container, TraceQuery query) {
                throw new UnsupportedOperationException();
            }

            @Override
            public TracePage await(String container, TraceQuery query, Duration timeout) {
                throw new UnsupportedOperationException();
            }

            @Override
            public TracePage read(Path file, TraceQuery query) {
                queries.add(query);
                if (file.getFileName().toString().equals("bad.trace")) {
                    throw new TraceFormatException(file, 42, "frame checksum does not match");
                }
                TraceRecord open = new TraceRecord(3, 1_500_000, "wasi_snapshot_preview1", "path_open",
                        List.of(3L, 0L), Map.of("path", "input.txt"), Decision.ALLOW, List.of(0L), 0, "", 4,
                        "opened /data/input.txt for reading as fd 4");
                TraceRecord clock = new TraceRecord(4, 2_000_000, "wasi_snapshot_preview1", "clock_time_get",
                        List.of(1L), Map.of("id", "monotonic"), Decision.DENY, List.of(76L), 76, "", 0, "");
                return new TracePage(List.of(open, clock), 5, 0, true, 0, "exited");
            }

            @Override
            public Path traceToFiles(String containerId) {
                throw new UnsupportedOperationException("not used by forge trace");
            }
        });
    }

    private TraceCommand command() {
        return new TraceCommand(services, console.terminal, dir);
    }

    @Test
    void showsEveryCallOfATraceFileAndHowTheRunEnded() {
        assertEquals(0, command().trace(List.of("--since", "3", "--limit", "10", "--filter", "call=path_open",
                "run.trace")));
        assertEquals(new TraceQuery(3, "path_open", 10), queries.get(0));
        String out = console.out();
        assertTrue(out.startsWith("#3 ") && out.contains("1.500ms  path_open(path=input.txt) -> errno 0  allow, 4 B to guest"),
                out);
        assertTrue(out.contains("clock_time_get(id=monotonic) -> errno 76  deny"), out);
        assertTrue(out.endsWith("-- end: exited (exit 0)\n"), out);
    }

    @Test
    void theSummaryIsOneSentencePerNotableCall() {
        assertEquals(0, command().trace(List.of("--summary", trace.toString())));
        assertEquals("#3 opened /data/input.txt for reading as fd 4\nthe run ended: exited (exit 0)\n", console.out());
    }

    @Test
    void badInputIsAUsageErrorAndADamagedFileNamesTheOffset() throws Exception {
        assertEquals(2, command().trace(List.of()));
        assertEquals(2, command().trace(List.of("--since", "-1", "run.trace")));
        assertEquals(2, command().trace(List.of("--filter", "name=x", "run.trace")));
        assertEquals(2, command().trace(List.of("--bogus", "run.trace")));
        assertEquals(2, command().trace(List.of("web", "--node=http://n:1")));
        assertTrue(console.err().contains("--node goes before the command for a node's containers: forge --node URL"
                + " trace CONTAINER"), console.err());
        assertEquals(1, command().trace(List.of("missing.trace")));
        assertTrue(console.err().contains("missing.trace: no such file or folder"), console.err());
        Files.writeString(dir.resolve("bad.trace"), "y");
        assertEquals(1, command().trace(List.of("bad.trace")));
        assertTrue(console.err().contains("42") && console.err().contains("checksum"), console.err());
    }

    @Test
    void replaySaysIdenticalOrWhereItDivergedWithTheExitCode() {
        ReplayReport[] next = {new ReplayReport(true, 12, 12, null)};
        Path[] asked = new Path[2];
        services.bind(ReplayService.class, (t, module) -> {
            asked[0] = t;
            asked[1] = module;
            return next[0];
        });
        assertEquals(0, command().replay(List.of("run.trace")));
        assertEquals("identical (12 calls)\n", console.out());
        assertEquals(dir.resolve("run.trace"), asked[0]);
        next[0] = new ReplayReport(false, 5, 12, new ReplayReport.Divergence(5, "fd_read(fd=3)", "fd_write(fd=1)"));
        assertEquals(1, command().replay(List.of("run.trace")));
        assertTrue(console.err().contains("diverged at call #5: expected fd_read(fd=3), actual fd_write(fd=1)"),
                console.err());
        assertEquals(2, command().replay(List.of()));
        assertEquals(1, command().replay(List.of("run.trace", "gone.wasm")));
    }

    @Test
    void withoutTheObserverTheCommandSaysWhichBundleIsMissing() {
        OptionalServices none = new OptionalServices(Duration.ZERO, OptionalServices.OBSERVER_BUNDLE);
        assertEquals(1, new TraceCommand(none, console.terminal, dir).trace(List.of("run.trace")));
        assertTrue(console.err().contains("io.forgeone.observer"), console.err());
    }
}
