package io.forgeone.observer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.engine.WasmEngine;
import io.forgeone.api.observe.ReplayReport;
import io.forgeone.api.observe.TraceException;
import io.forgeone.api.observe.TraceQuery;
import io.forgeone.api.observe.TraceRecord;
import io.forgeone.api.wasi.Preopen;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

/** Recording real programs (clocks, random, files) and replaying them with no host behind them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReplayTest {
    @TempDir
    Path tmp;
    private Observer observer;
    private Replayer replayer;
    private WasmEngine engine;

    static ObserverConfig config(Map<String, Object> values) {
        return Converters.standardConverter().convert(values).to(ObserverConfig.class);
    }

    @BeforeEach
    void setUp() {
        observer = new Observer(config(Map.of("durable", "*")), tmp.resolve("traces"));
        engine = Programs.engine();
        replayer = new Replayer(config(Map.of("replay.timeout.s", 30)));
        replayer.bindEngine(engine);
    }

    @AfterEach
    void tearDown() {
        observer.deactivate();
    }

    private Path folder(Programs.Run run) {
        return tmp.resolve("traces").resolve(run.containerId());
    }

    @Test
    void clocksAndRandomReplayIdentically() {
        Programs.Run first = Programs.record(observer, engine, "clockrand.wasm", "clockrand-1", List.of(), List.of());
        Programs.Run second = Programs.record(observer, engine, "clockrand.wasm", "clockrand-2", List.of(), List.of());
        assertEquals(0, first.exitCode(), first.stdout());
        assertEquals("realtime ok\nmonotonic ok\nrandom ok\n", first.stdout());

        // the two runs saw different clocks and random bytes: their traces differ ...
        List<TraceRecord> a = observer.read(folder(first), new TraceQuery(0, "random_get", 0)).records();
        List<TraceRecord> b = observer.read(folder(second), new TraceQuery(0, "random_get", 0)).records();
        assertEquals(1, a.size());
        TraceFileReader.Trace ta = TraceFileReader.read(folder(first));
        TraceFileReader.Trace tb = TraceFileReader.read(folder(second));
        assertNotEquals(writes(ta, "random_get"), writes(tb, "random_get"));
        assertNotEquals(writes(ta, "clock_time_get"), writes(tb, "clock_time_get"));

        // ... and each replays identically from its own
        ReplayReport r1 = replayer.replay(folder(first), null);
        ReplayReport r2 = replayer.replay(folder(second), null);
        assertTrue(r1.identical(), r1.text());
        assertTrue(r2.identical(), r2.text());
        assertEquals(ta.calls().size(), r1.calls());
        assertEquals("identical (" + ta.calls().size() + " calls)", r1.text());
    }

    private static List<String> writes(TraceFileReader.Trace t, String call) {
        List<String> out = new ArrayList<>();
        for (RawCall c : t.calls()) {
            if (t.header().functions().get(c.function()).name().equals(call)) {
                for (RawCall.Access a : c.accesses()) {
                    if (a.write()) {
                        out.add(java.util.HexFormat.of().formatHex(a.bytes()));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void filesReplayWithoutTheFiles() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("input.txt"), "line one\nline two\n");
        Programs.Run run = Programs.record(observer, engine, "cat.wasm", "cat-1", List.of("data/input.txt"),
                List.of(new Preopen(data, "data")));
        assertEquals("line one\nline two\n", run.stdout());
        // the replay reads nothing of the host: the file may be gone
        Files.delete(data.resolve("input.txt"));
        Files.delete(data);
        ReplayReport report = replayer.replay(folder(run), null);
        assertTrue(report.identical(), report.text());

        List<TraceRecord> opens = observer.records(run.containerId(), new TraceQuery(0, "path_open", 0)).records();
        assertEquals(1, opens.size());
        // decoded after the run from the bytes the call read: the path relative to the preopen's descriptor
        assertEquals("input.txt", opens.get(0).arguments().get("path"), opens.get(0).arguments().toString());
        assertEquals(3, opens.get(0).arguments().get("fd"));
        // the summary names it from the root: the trace shows descriptor 3 is the preopen "data"
        assertTrue(opens.get(0).summary().startsWith("opened data/input.txt for reading as fd "),
                opens.get(0).summary());
    }

    @Test
    void aTraceFileReadByAnotherProcessIsDecodedByItsWasi() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("input.txt"), "abc\n");
        Programs.Run run = Programs.record(observer, engine, "cat.wasm", "cat-far", List.of("data/input.txt"),
                List.of(new Preopen(data, "data")));
        assertEquals(0, run.exitCode());
        // another observer (as in `forge trace FILE`, or another node): it never saw the run
        Observer elsewhere = new Observer(config(Map.of()), tmp.resolve("elsewhere"));
        try {
            TraceQuery opens = new TraceQuery(0, "path_open", 0);
            Map<String, Object> raw = elsewhere.read(folder(run), opens).records().get(0).arguments();
            assertEquals(null, raw.get("path"), "without WASI: raw arguments " + raw);
            assertTrue(raw.containsKey("arg0"), raw.toString());

            elsewhere.wasi = new io.forgeone.wasi.internal.WasiProviderComponent();
            TraceRecord open = elsewhere.read(folder(run), opens).records().get(0);
            assertEquals("input.txt", open.arguments().get("path"), open.arguments().toString());
            assertEquals(3, open.arguments().get("fd"));
            assertTrue(open.summary().startsWith("opened data/input.txt for reading as fd "), open.summary());
        } finally {
            elsewhere.deactivate();
        }
    }

    @Test
    void aChangedResultDivergesAtTheNextCall() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("input.txt"), "hello\n");
        Programs.Run run = Programs.record(observer, engine, "cat.wasm", "cat-2", List.of("data/input.txt"),
                List.of(new Preopen(data, "data")));
        assertEquals(0, run.exitCode());
        TraceFileReader.Trace t = TraceFileReader.read(folder(run));
        int open = -1;
        for (int i = 0; i < t.calls().size(); i++) {
            if (t.header().functions().get(t.calls().get(i).function()).name().equals("path_open")) {
                open = i;
            }
        }
        assertTrue(open >= 0 && open + 1 < t.calls().size());
        // the open now fails with ENOENT (44) in the trace: cat reports it instead of reading the file
        List<RawCall> changed = new ArrayList<>(t.calls());
        RawCall o = changed.get(open);
        changed.set(open, new RawCall(o.sequence(), o.time(), o.function(), o.decision(), o.args(),
                new long[] {44}, o.failureKind(), o.exitCode(), o.failure(), o.accesses(), o.bytesWritten(),
                o.accessesDropped()));
        Path edited = tmp.resolve("edited.trace");
        rewrite(t, changed, edited);

        ReplayReport report = replayer.replay(edited, null);
        assertFalse(report.identical());
        RawCall after = t.calls().get(open + 1);
        assertEquals(after.sequence(), report.divergence().sequence(), report.text());
        String expectedCall = t.header().functions().get(after.function()).name() + "(";
        assertTrue(report.divergence().expected().startsWith(expectedCall), report.text());
        assertFalse(report.divergence().actual().startsWith(expectedCall + joined(after.args())), report.text());
        assertTrue(report.text().startsWith("diverged at call #" + after.sequence() + ": expected "), report.text());
    }

    private static String joined(long[] args) {
        return String.join(", ", java.util.Arrays.stream(args).mapToObj(Long::toString).toList()) + ")";
    }

    static void rewrite(TraceFileReader.Trace t, List<RawCall> calls, Path file) {
        TraceFileWriter w = new TraceFileWriter(file.getParent().resolve("edit-" + file.getFileName()), t.header(),
                1L << 30, 1);
        for (RawCall c : calls) {
            w.call(c);
        }
        w.end(calls.size(), t.end().exitCode(), t.end().outcome());
        w.close();
        try {
            Files.move(w.files().get(0), file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aMissingCallIsTheEndOfTheRunDiverging() {
        Programs.Run run = Programs.record(observer, engine, "clockrand.wasm", "clockrand-3", List.of(), List.of());
        TraceFileReader.Trace t = TraceFileReader.read(folder(run));
        List<RawCall> shorter = new ArrayList<>(t.calls().subList(0, t.calls().size() - 1));
        Path edited = tmp.resolve("short.trace");
        rewrite(t, shorter, edited);
        ReplayReport report = replayer.replay(edited, null);
        assertFalse(report.identical());
        assertEquals(shorter.size(), report.divergence().sequence());
        assertEquals("the end of the run (exit 0)", report.divergence().expected());
    }

    @Test
    void anotherModuleIsRefused() {
        Programs.Run run = Programs.record(observer, engine, "clockrand.wasm", "clockrand-4", List.of(), List.of());
        TraceException e = assertThrows(TraceException.class,
                () -> replayer.replay(folder(run), Programs.wasm("hello.wasm")));
        assertTrue(e.getMessage().contains("not the same module"), e.getMessage());
    }

    @Test
    void aMissingEngineIsNamed() {
        Programs.Run run = Programs.record(observer, engine, "clockrand.wasm", "clockrand-5", List.of(), List.of());
        replayer.unbindEngine(engine);
        TraceException e = assertThrows(TraceException.class, () -> replayer.replay(folder(run), null));
        assertTrue(e.getMessage().contains("engine 'chicory', which is not installed"), e.getMessage());
    }
}
