package io.forgeone.observer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.ValueType;
import io.forgeone.api.gate.Decision;
import io.forgeone.api.observe.TraceException;
import io.forgeone.api.observe.TraceFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trace file format: what is written reads back, rotation, and every kind of damage reported precisely. */
class TraceFilesTest {
    @TempDir
    Path tmp;

    static TraceHeader header() {
        return new TraceHeader("0123456789abcdef", "app", "ab".repeat(32), "/m/app.wasm", "chicory", 16,
                Map.of("package", "app"), 1_700_000_000_000L, 1, 0, List.of(
                        new TraceHeader.Function("wasi_snapshot_preview1", "fd_write", FunctionSignature.of(
                                List.of(ValueType.I32, ValueType.I32, ValueType.I32, ValueType.I32),
                                List.of(ValueType.I32))),
                        new TraceHeader.Function("wasi_snapshot_preview1", "proc_exit", FunctionSignature.of(
                                List.of(ValueType.I32), List.of()))));
    }

    static RawCall call(long seq) {
        return new RawCall(seq, 1000 * seq, 0, Decision.ALLOW, new long[] {1, 1024, 1, -8},
                new long[] {0}, RawCall.NONE, 0, "", List.of(new RawCall.Access(false, 1024, new byte[] {9, 9}),
                        new RawCall.Access(true, 4096, new byte[] {1, 2, 3, 4})), 4, false);
    }

    private Path writeRun(int calls, boolean end) {
        Path dir = tmp.resolve("run");
        TraceFileWriter w = new TraceFileWriter(dir, header(), 1L << 20, 4);
        for (int i = 0; i < calls; i++) {
            w.call(call(i));
        }
        if (end) {
            w.call(new RawCall(calls, 0, 1, Decision.ALLOW, new long[] {3}, null, RawCall.EXIT, 3, "exit 3",
                    List.of(), 0, false));
            w.end(calls + 1, 3, "EXITED");
        }
        w.close();
        return w.files().get(0);
    }

    @Test
    void readsBackWhatWasWritten() {
        Path file = writeRun(5, true);
        TraceFileReader.Trace t = TraceFileReader.read(file);
        assertEquals(header(), t.header());
        assertEquals(6, t.calls().size());
        RawCall c = t.calls().get(2);
        assertEquals(2, c.sequence());
        assertEquals(2000, c.time());
        assertArrayEquals(new long[] {1, 1024, 1, -8}, c.args());
        assertArrayEquals(new long[] {0}, c.results());
        assertEquals(2, c.accesses().size());
        assertArrayEquals(new byte[] {1, 2, 3, 4}, c.accesses().get(1).bytes());
        assertEquals(RawCall.EXIT, t.calls().get(5).failureKind());
        assertEquals(3, t.calls().get(5).exitCode());
        assertEquals(new TraceFileReader.End(6, 3, "EXITED"), t.end());
        assertEquals(header(), TraceFileReader.header(file));
    }

    @Test
    void rotatesAndKeepsTheNewestFiles() {
        Path dir = tmp.resolve("rot");
        TraceFileWriter w = new TraceFileWriter(dir, header(), 8 * 1024, 3);
        for (int i = 0; i < 2000; i++) {
            w.call(call(i));
        }
        w.end(2000, 0, "EXITED");
        w.close();
        List<Path> files = w.files();
        assertEquals(3, files.size());
        for (Path f : files) {
            assertTrue(f.toFile().length() <= 8 * 1024, f + " is " + f.toFile().length() + " bytes");
        }
        TraceFileReader.Trace t = TraceFileReader.read(dir);
        assertEquals(1999, t.calls().get(t.calls().size() - 1).sequence());
        long first = t.calls().get(0).sequence();
        assertTrue(first > 0, "older files were deleted");
        assertEquals(2000 - first, t.calls().size(), "the kept files follow each other");
        // each file reads alone too
        assertEquals(first, TraceFileReader.read(files.get(0)).calls().get(0).sequence());
    }

    @Test
    void aFileMissingFromTheMiddleIsNamed() throws IOException {
        Path dir = tmp.resolve("gap");
        TraceFileWriter w = new TraceFileWriter(dir, header(), 8 * 1024, 10);
        for (int i = 0; i < 1000; i++) {
            w.call(call(i));
        }
        w.close();
        assertTrue(w.files().size() >= 3);
        Files.delete(w.files().get(1));
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> TraceFileReader.read(dir));
        assertEquals(w.files().get(2), e.file());
        assertTrue(e.getMessage().contains("a file in between is missing"), e.getMessage());
    }

    @Test
    void notATrace() throws IOException {
        Path file = Files.writeString(tmp.resolve("x.trace"), "hello, world\n");
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> TraceFileReader.read(file));
        assertEquals(0, e.offset());
        assertTrue(e.getMessage().contains("not a ForgeOne trace"), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    @Test
    void emptyFile() throws IOException {
        Path file = Files.write(tmp.resolve("empty.trace"), new byte[0]);
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> TraceFileReader.read(file));
        assertTrue(e.getMessage().contains("file is 0 bytes, shorter than the 9-byte preamble"), e.getMessage());
    }

    @Test
    void unknownVersion() throws IOException {
        Path file = writeRun(1, true);
        byte[] b = Files.readAllBytes(file);
        b[8] = 7;
        Files.write(file, b);
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> TraceFileReader.read(file));
        assertEquals(8, e.offset());
        assertTrue(e.getMessage().contains("trace format version 7; this node reads version 1"), e.getMessage());
    }

    @Test
    void cutShortInTheMiddleOfAFrame() throws IOException {
        Path file = writeRun(3, true);
        byte[] b = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(b, b.length - 5));
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> TraceFileReader.read(file));
        assertTrue(e.getMessage().contains("cut short: the frame has"), e.getMessage());
        assertTrue(e.offset() > TraceFormat.PREAMBLE && e.offset() < b.length - 5, "offset " + e.offset());
    }

    @Test
    void aFlippedByteFailsItsChecksum() throws IOException {
        Path file = writeRun(3, true);
        byte[] b = Files.readAllBytes(file);
        int at = b.length - 20;
        b[at] ^= 0x40;
        Files.write(file, b);
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> TraceFileReader.read(file));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        assertTrue(e.offset() <= at, "offset " + e.offset() + " is the frame holding byte " + at);
    }

    @Test
    void aBadRecordWithAGoodChecksumIsNamed() throws IOException {
        Path dir = tmp.resolve("bad");
        TraceFileWriter w = new TraceFileWriter(dir, header(), 1L << 20, 1);
        // function index 5 where the header lists 2
        w.call(new RawCall(0, 0, 0, Decision.ALLOW, new long[0], null, 0, 0, "", List.of(), 0, false));
        w.close();
        Path file = w.files().get(0);
        byte[] b = Files.readAllBytes(file);
        // the call frame is the last: tag, seq(0), time(0), then the function index
        int payload = b.length - (1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1);
        assertEquals('C', b[payload]);
        b[payload + 3] = 5;
        fixChecksum(b, payload);
        Files.write(file, b);
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> TraceFileReader.read(file));
        assertEquals(payload + 3, e.offset());
        assertTrue(e.getMessage().contains("function index 5 but the header lists 2 functions"), e.getMessage());
    }

    private static void fixChecksum(byte[] b, int payload) {
        int length = b.length - payload;
        long crc = TraceFormat.crc(b, payload, length);
        for (int i = 0; i < 4; i++) {
            b[payload - 4 + i] = (byte) (crc >>> (24 - 8 * i));
        }
    }

    @Test
    void callsOutOfOrderAreNamed() {
        Path dir = tmp.resolve("order");
        TraceFileWriter w = new TraceFileWriter(dir, header(), 1L << 20, 1);
        w.call(call(0));
        w.call(call(2));
        w.close();
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> TraceFileReader.read(dir));
        assertTrue(e.getMessage().contains("call #2 where call #1 was due"), e.getMessage());
    }

    @Test
    void missingFileAndEmptyFolder() throws IOException {
        TraceException missing = assertThrows(TraceException.class,
                () -> TraceFileReader.read(tmp.resolve("nope.trace")));
        assertTrue(missing.getMessage().contains("no such trace file"), missing.getMessage());
        Path empty = Files.createDirectories(tmp.resolve("none"));
        TraceException none = assertThrows(TraceException.class, () -> TraceFileReader.read(empty));
        assertTrue(none.getMessage().contains("no .trace files"), none.getMessage());
    }

    /** Whatever the damage, reading either succeeds or says where and why: nothing else escapes. */
    @Test
    void everyTruncationAndEveryFlippedByteIsAClearErrorOrHarmless() throws IOException {
        Path file = writeRun(4, true);
        byte[] good = Files.readAllBytes(file);
        Path damaged = tmp.resolve("damaged.trace");
        List<String> failures = new ArrayList<>();
        for (int cut = 0; cut < good.length; cut++) {
            Files.write(damaged, java.util.Arrays.copyOf(good, cut));
            check(damaged, failures, "cut at " + cut, cut < good.length);
        }
        for (int at = 0; at < good.length; at++) {
            byte[] b = good.clone();
            b[at] ^= (byte) 0xA5;
            Files.write(damaged, b);
            check(damaged, failures, "byte " + at + " flipped", false);
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static void check(Path file, List<String> failures, String what, boolean mayReadShort) {
        try {
            TraceFileReader.read(file);
        } catch (TraceFormatException e) {
            if (!e.getMessage().startsWith(file + " at byte ")) {
                failures.add(what + ": message does not name the file and offset: " + e.getMessage());
            }
        } catch (RuntimeException e) {
            failures.add(what + ": " + e);
        }
    }
}
