package io.forgeone.observer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.forgeone.api.gate.Decision;
import io.forgeone.api.observe.TraceRecord;
import io.forgeone.api.policy.Explanation;
import io.forgeone.api.policy.PolicyMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummariesTest {
    private static final String WASI = "wasi_snapshot_preview1";
    private static final Map<String, Object> OPEN_READ = Map.of("fd", 3, "path", "input.txt", "guestPath",
            "/data/input.txt", "oflags", List.of(), "rights", List.of("fd_read", "fd_seek"));

    private static TraceRecord record(String call, List<Long> args, Map<String, Object> described, Decision decision,
            int errno, String failure) {
        return new TraceRecord(0, 0, WASI, call, args, described, decision, errno < 0 ? List.of()
                : List.of((long) errno), errno, failure, 0, "");
    }

    private static String sentence(TraceRecord r, RawCall.Access... written) {
        return Summaries.sentence(r, new RecordedMemory(List.of(written), true));
    }

    @Test
    void openedForReadingWithItsDescriptor() {
        TraceRecord r = record("path_open", List.of(3L, 1L, 100L, 9L, 0L, 2L, 0L, 0L, 512L), OPEN_READ,
                Decision.ALLOW, 0, "");
        assertEquals("opened /data/input.txt for reading as fd 4",
                sentence(r, new RawCall.Access(true, 512, new byte[] {4, 0, 0, 0})));
    }

    @Test
    void pathsRelativeToAPreopenAreNamedFromIt() {
        Map<String, Object> open = Map.of("fd", 3, "path", "input.txt", "oflags", List.of(), "rights",
                List.of("fd_read"));
        TraceRecord r = record("path_open", List.of(3L, 1L, 100L, 9L, 0L, 2L, 0L, 0L, 512L), open, Decision.ALLOW,
                0, "");
        TraceHeader header = new TraceHeader("id", "n", "00", "m", "chicory", 1, Map.of(), 0, 1, 0, List.of(
                new TraceHeader.Function(WASI, "fd_prestat_dir_name", io.forgeone.api.engine.FunctionSignature.of(
                        List.of(), List.of()))));
        RawCall named = new RawCall(0, 0, 0, Decision.ALLOW, new long[] {3, 200, 5}, new long[] {0}, 0, 0, "",
                List.of(new RawCall.Access(true, 200, "/data".getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                5, false);
        Preopens preopens = Preopens.of(header, List.of(named));
        assertEquals("opened /data/input.txt for reading as fd 4", Summaries.sentence(r, new RecordedMemory(
                List.of(new RawCall.Access(true, 512, new byte[] {4, 0, 0, 0})), true), preopens));
        assertEquals("/data/x", preopens.resolve(3, "x"));
        assertEquals("y", preopens.resolve(4, "y"), "not a preopen");
    }

    @Test
    void openFailedWithItsErrno() {
        TraceRecord r = record("path_open", List.of(3L, 1L, 100L, 9L, 0L, 2L, 0L, 0L, 512L), OPEN_READ,
                Decision.ALLOW, 44, "");
        assertEquals("open /data/input.txt for reading: failed with noent", sentence(r));
    }

    @Test
    void openForWritingDenied() {
        TraceRecord r = record("path_open", List.of(3L, 1L, 100L, 9L, 9L, 64L, 0L, 0L, 512L),
                Map.of("path", "out.txt", "oflags", List.of("creat", "trunc"), "rights", List.of("fd_write")),
                Decision.DENY, 76, "");
        assertEquals("open out.txt for writing, creating it if missing, truncating it: denied by the gate",
                sentence(r));
    }

    @Test
    void quarantined() {
        TraceRecord r = record("path_unlink_file", List.of(3L, 10L, 4L), Map.of("path", "x"), Decision.QUARANTINE,
                76, "");
        assertEquals("delete x: denied by the gate, and the container was quarantined", sentence(r));
    }

    @Test
    void theRuleThatDecidedIsNamedWhenKnown() {
        Explanation fsRead = new Explanation(Decision.ALLOW, "etl", PolicyMode.ENFORCE, "fs-read", "granted");
        TraceRecord opened = record("path_open", List.of(3L, 1L, 100L, 9L, 0L, 2L, 0L, 0L, 512L), OPEN_READ,
                Decision.ALLOW, 0, "");
        assertEquals("opened /data/input.txt for reading as fd 4: allowed by rule fs-read of policy etl",
                Summaries.sentence(opened, new RecordedMemory(List.of(new RawCall.Access(true, 512,
                        new byte[] {4, 0, 0, 0})), true), Preopens.NONE, fsRead));
        TraceRecord missing = record("path_open", List.of(3L, 1L, 100L, 9L, 0L, 2L, 0L, 0L, 512L), OPEN_READ,
                Decision.ALLOW, 44, "");
        assertEquals("open /data/input.txt for reading: failed with noent", Summaries.sentence(missing,
                new RecordedMemory(List.of(), true), Preopens.NONE, fsRead), "a failure is about the call, not the rule");

        Explanation denied = new Explanation(Decision.DENY, "etl", PolicyMode.ENFORCE, "default-deny", "not granted");
        TraceRecord unlink = record("path_unlink_file", List.of(3L, 10L, 4L), Map.of("path", "x"), Decision.QUARANTINE,
                76, "");
        assertEquals("delete x: denied by rule default-deny of policy etl, and the container was quarantined",
                Summaries.sentence(unlink, new RecordedMemory(List.of(), true), Preopens.NONE, denied));
        TraceRecord write = record("path_open", List.of(3L, 1L, 100L, 9L, 9L, 64L, 0L, 0L, 512L),
                Map.of("path", "out.txt", "oflags", List.of("creat"), "rights", List.of("fd_write")), Decision.DENY, 76, "");
        assertEquals("open out.txt for writing, creating it if missing: denied by rule default-deny of policy etl",
                Summaries.sentence(write, new RecordedMemory(List.of(), true), Preopens.NONE, denied));
    }

    @Test
    void exitRandomAndRoutineCalls() {
        assertEquals("exited with code 3", sentence(record("proc_exit", List.of(3L), Map.of("code", 3L),
                Decision.ALLOW, -1, "exit 3")));
        assertEquals("read 16 random bytes", sentence(record("random_get", List.of(100L, 16L),
                Map.of("bytes", 16L), Decision.ALLOW, 0, "")));
        assertEquals("", sentence(record("fd_write", List.of(1L, 100L, 1L, 200L), Map.of("fd", 1, "bytes", 12L),
                Decision.ALLOW, 0, "")));
        assertEquals("fd_write on fd 9: failed with badf", sentence(record("fd_write", List.of(9L, 100L, 1L, 200L),
                Map.of("fd", 9, "bytes", 12L), Decision.ALLOW, 8, "")));
        assertEquals("", sentence(record("fd_prestat_get", List.of(5L, 100L), Map.of("fd", 5), Decision.ALLOW, 8, "")),
                "the end of the preopens");
        assertEquals("renamed a to b", sentence(record("path_rename", List.of(), Map.of("path", "a", "newPath", "b"),
                Decision.ALLOW, 0, "")));
    }

    @Test
    void otherModulesAndTraps() {
        TraceRecord r = new TraceRecord(0, 0, "env", "log", List.of(1L), Map.of("arg0", 1L), Decision.ALLOW,
                List.of(), -1, "IllegalStateException: boom", 0, "");
        assertEquals("env.log: failed (IllegalStateException: boom)", sentence(r));
        TraceRecord quiet = new TraceRecord(0, 0, "env", "log", List.of(1L), Map.of("arg0", 1L), Decision.ALLOW,
                List.of(), -1, "", 0, "");
        assertEquals("", sentence(quiet));
    }
}
