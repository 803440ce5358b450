package io.forgeone.observer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.ValueType;
import io.forgeone.api.gate.Decision;
import io.forgeone.api.gate.GateContext;
import io.forgeone.api.observe.CallRecording;
import io.forgeone.api.observe.NoSuchTraceException;
import io.forgeone.api.observe.RecordingContext;
import io.forgeone.api.observe.TraceFormatException;
import io.forgeone.api.observe.TraceInfo;
import io.forgeone.api.observe.TracePage;
import io.forgeone.api.observe.TraceQuery;
import io.forgeone.api.observe.TraceRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trace service over recorded runs: memory, files, both, and following a run. */
class ObserverTest {
    @TempDir
    Path tmp;
    private Observer observer;

    /** A host function that is never called here: the recorder only keeps its name and signature. */
    private static HostFunction function(String name) {
        return new HostFunction() {
            @Override
            public String module() {
                return "test";
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public FunctionSignature signature() {
                return FunctionSignature.of(List.of(ValueType.I32), List.of(ValueType.I32));
            }

            @Override
            public long[] call(GuestMemory memory, long[] args) {
                throw new AssertionError("recorded functions are not called by the recorder");
            }
        };
    }

    private CallRecording open(String id, String name) {
        return observer.open(new RecordingContext(new GateContext(id, name, "00", Map.of()), "m.wasm", "chicory", 1),
                List.of(function("ping"), function("pong")));
    }

    private static void calls(CallRecording r, int from, int to) {
        CapturingMemory m = new CapturingMemory().begin(CapturingMemory.bytes(64));
        for (int i = from; i < to; i++) {
            r.record(i % 2, new long[] {i}, Decision.ALLOW, new long[] {0}, null, m);
        }
    }

    @AfterEach
    void tearDown() {
        if (observer != null) {
            observer.deactivate();
        }
    }

    /** Policies that explain every call of {@code function} with {@code explanation}. */
    private static io.forgeone.api.policy.PolicyService explaining(io.forgeone.api.policy.Explanation explanation,
            List<String> asked) {
        return (io.forgeone.api.policy.PolicyService) java.lang.reflect.Proxy.newProxyInstance(
                ObserverTest.class.getClassLoader(), new Class<?>[] {io.forgeone.api.policy.PolicyService.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("explain")) {
                        throw new AssertionError("only explain is expected, not " + method.getName());
                    }
                    asked.add(((GateContext) args[0]).containerName() + " " + args[1] + " " + args[2]);
                    return explanation;
                });
    }

    @Test
    void historyFilesOfGoneProcessesAreRemovedAndALiveProcessKeepsItsOwn() throws Exception {
        Path root = tmp.resolve("history");
        Path gone = java.nio.file.Files.createDirectories(root.resolve("4194305")); // above Linux's largest pid
        java.nio.file.Files.writeString(gone.resolve("c1.history"), "x");
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElseThrow();
        Path alive = java.nio.file.Files.createDirectories(root.resolve(Long.toString(parent)));
        java.nio.file.Files.writeString(alive.resolve("c2.history"), "y");
        observer = new Observer(ReplayTest.config(Map.of()), tmp.resolve("traces"));
        assertFalse(java.nio.file.Files.exists(gone), "a gone process's histories are removed");
        assertTrue(java.nio.file.Files.exists(alive.resolve("c2.history")), "a live process's are not touched");
    }

    @Test
    void summariesNameTheRuleThatDeniedWhenThePoliciesStillDecideSo() {
        observer = new Observer(ReplayTest.config(Map.of()), tmp);
        CallRecording r = open("dddd", "denied");
        CapturingMemory m = new CapturingMemory().begin(CapturingMemory.bytes(64));
        r.record(0, new long[] {7}, Decision.ALLOW, new long[] {0}, null, m);
        r.record(1, new long[] {8}, Decision.DENY, new long[] {76}, null, m);
        r.close(0, "EXITED");
        List<String> asked = new java.util.ArrayList<>();
        observer.policies = explaining(new io.forgeone.api.policy.Explanation(Decision.DENY, "etl",
                io.forgeone.api.policy.PolicyMode.ENFORCE, "no-pong", "not granted"), asked);
        List<TraceRecord> records = observer.records("denied", TraceQuery.ALL).records();
        assertEquals("", records.get(0).summary(), "a routine allowed call has no sentence and is not explained");
        assertEquals("test.pong: denied by rule no-pong of policy etl", records.get(1).summary());
        assertEquals(List.of("denied test.pong {arg0=8}"), asked);

        // the policies changed since: they would allow it now, so they did not decide it then
        observer.policies = explaining(new io.forgeone.api.policy.Explanation(Decision.ALLOW, "etl",
                io.forgeone.api.policy.PolicyMode.ENFORCE, "pong-ok", "granted"), asked);
        assertEquals("test.pong: denied by the gate", observer.records("denied", TraceQuery.ALL).records().get(1).summary());
        observer.policies = null;
        assertEquals("test.pong: denied by the gate", observer.records("denied", TraceQuery.ALL).records().get(1).summary());
    }

    @Test
    void aRingOnlyRunSaysWhatItNoLongerKeeps() {
        observer = new Observer(ReplayTest.config(Map.of("ring.calls", 16)), tmp);
        CallRecording r = open("aaaa000011112222", "small");
        calls(r, 0, 100);
        TracePage page = observer.records("small", TraceQuery.ALL);
        assertEquals(84, page.lost());
        assertEquals(16, page.records().size());
        assertEquals(84, page.records().get(0).sequence());
        assertFalse(page.ended());
        r.close(0, "EXITED");
        TracePage ended = observer.records("aaaa", new TraceQuery(90, "pong", 0));
        assertTrue(ended.ended());
        assertEquals(List.of(91L, 93L, 95L, 97L, 99L),
                ended.records().stream().map(x -> x.sequence()).toList());
        assertTrue(observer.info("small").files().isEmpty());
    }

    @Test
    void aDurableRunReadsOlderCallsFromItsFiles() {
        observer = new Observer(ReplayTest.config(Map.of("ring.calls", 16, "durable", "keep-*")), tmp);
        CallRecording r = open("bbbb000011112222", "keep-1");
        calls(r, 0, 100);
        r.close(3, "EXITED");
        TracePage page = observer.records("keep-1", TraceQuery.ALL);
        assertEquals(0, page.lost());
        assertEquals(100, page.records().size());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, page.records().get(i).sequence());
        }
        assertEquals(3, page.exitCode());
        TraceInfo info = observer.info("keep-1");
        assertEquals(1, info.files().size());
        assertEquals(tmp.resolve("bbbb000011112222").resolve("000001.trace"), info.files().get(0));
        assertEquals(100, observer.read(info.files().get(0), TraceQuery.ALL).records().size());
        assertEquals(new TraceQuery(5, null, 2).limit(),
                observer.records("keep-1", new TraceQuery(5, null, 2)).records().size());
    }

    @Test
    void aRunningTraceWhoseLastFrameIsHalfFlushedStillReads() throws Exception {
        observer = new Observer(ReplayTest.config(Map.of("ring.calls", 16, "durable", "live-*", "flush.ms", 20)),
                tmp);
        CallRecording r = open("eeee000011112222", "live-1");
        calls(r, 0, 100);
        TraceInfo info = observer.info("live-1");
        assertFalse(info.ended());
        // let the writer put all 100 calls on disk first: it writes at its own file position, so bytes appended
        // while it still had calls to write would be overwritten
        // (it flushes every 20 ms: wait until the file has stopped growing)
        Path file = info.files().get(0);
        long size = -1;
        for (int still = 0; still < 5; Thread.sleep(50)) {
            long now = java.nio.file.Files.size(file);
            still = now == size ? still + 1 : 0;
            size = now;
        }
        // what a reader can meet while the writer flushes: the start of a frame, the rest to follow
        java.nio.file.Files.write(info.files().get(0), new byte[] {0, 0, 0, 40, 1, 2},
                java.nio.file.StandardOpenOption.APPEND);
        TracePage page = observer.records("live-1", TraceQuery.ALL);
        assertEquals(0, page.lost());
        assertEquals(100, page.records().size());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, page.records().get(i).sequence());
        }
        // read as a finished file, the same bytes are damage
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> TraceFileReader.read(info.files().get(0)));
        assertTrue(e.getMessage().contains("cut short"), e.getMessage());
    }

    @Test
    void tracesOfAnEarlierNodeAreFoundOnDisk() {
        observer = new Observer(ReplayTest.config(Map.of("durable", "*")), tmp);
        CallRecording r = open("cccc000011112222", "before");
        calls(r, 0, 5);
        r.close(0, "EXITED");
        observer.deactivate();
        observer = new Observer(ReplayTest.config(Map.of()), tmp);
        assertEquals(5, observer.records("before", TraceQuery.ALL).records().size());
        assertEquals(5, observer.records("cccc", TraceQuery.ALL).records().size());
        assertEquals("before", observer.list().get(0).containerName());
        assertThrows(NoSuchTraceException.class, () -> observer.records("after", TraceQuery.ALL));
    }

    @Test
    void followingWaitsForTheNextCall() throws Exception {
        observer = new Observer(ReplayTest.config(Map.of()), tmp);
        CallRecording r = open("dddd000011112222", "live");
        calls(r, 0, 2);
        long start = System.nanoTime();
        TracePage none = observer.await("live", new TraceQuery(2, null, 0), Duration.ofMillis(200));
        assertTrue(none.records().isEmpty());
        assertTrue(System.nanoTime() - start >= 150_000_000L, "it waited");
        Thread later = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            calls(r, 2, 3);
        });
        later.start();
        TracePage one = observer.await("live", new TraceQuery(2, null, 0), Duration.ofSeconds(10));
        assertEquals(1, one.records().size());
        assertEquals(3, one.next());
        later.join();
        r.close(0, "EXITED");
        assertTrue(observer.await("live", new TraceQuery(3, null, 0), Duration.ofSeconds(10)).ended());
    }
}
