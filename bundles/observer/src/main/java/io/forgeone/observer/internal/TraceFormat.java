package io.forgeone.observer.internal;

import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.ValueType;
import io.forgeone.api.gate.Decision;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The trace file format, version 1:
 *
 * <pre>
 * file    := "FORGETRC" version:u8 frame*        the first frame is the header
 * frame   := length:u32 crc32(payload):u32 payload   (big-endian)
 * payload := 'H' header | 'C' call | 'L' lost | 'E' end
 * </pre>
 *
 * Numbers inside payloads are LEB128 varints (zigzag for signed values), strings length-prefixed UTF-8. A call
 * holds its sequence number, time, function index, decision, arguments, results, failure and the
 * memory it read and wrote; see {@link #writeCall}. Every frame is checksummed, so a reader can tell a cut-short
 * or corrupted file from a good one and say where.
 */
final class TraceFormat {
    static final byte[] MAGIC = "FORGETRC".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    /** Magic and version. */
    static final int PREAMBLE = MAGIC.length + 1;
    /** Length and checksum. */
    static final int FRAME_HEAD = 8;
    /** Largest frame a reader accepts: a call's memory accesses are capped well below (see the ring). */
    static final int MAX_FRAME = 256 * 1024 * 1024;

    static final int HEADER = 'H';
    static final int CALL = 'C';
    static final int LOST = 'L';
    static final int END = 'E';

    private static final ValueType[] TYPES = ValueType.values();
    private static final Decision[] DECISIONS = Decision.values();

    private TraceFormat() {
    }

    static long crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }

    // ---- writing ----------------------------------------------------------------------------------------------

    static void writeHeader(Codec.Out out, TraceHeader h) {
        out.u8(HEADER);
        out.utf(h.containerId());
        out.utf(h.containerName());
        out.utf(h.moduleSha256());
        out.utf(h.module());
        out.utf(h.engine());
        out.varlong(h.maxMemoryPages());
        out.varlong(h.labels().size());
        h.labels().forEach((k, v) -> {
            out.utf(k);
            out.utf(v);
        });
        out.zigzag(h.createdMillis());
        out.varlong(h.part());
        out.varlong(h.firstSequence());
        out.varlong(h.functions().size());
        for (TraceHeader.Function f : h.functions()) {
            out.utf(f.module());
            out.utf(f.name());
            types(out, f.signature().params());
            types(out, f.signature().results());
        }
    }

    private static void types(Codec.Out out, List<ValueType> types) {
        out.varlong(types.size());
        for (ValueType t : types) {
            out.u8(t.ordinal());
        }
    }

    static void writeCall(Codec.Out out, RawCall c) {
        out.u8(CALL);
        out.varlong(c.sequence());
        out.zigzag(c.time());
        out.varlong(c.function());
        out.u8(c.decision().ordinal());
        out.varlong(c.args().length);
        for (long a : c.args()) {
            out.zigzag(a);
        }
        if (c.results() == null) {
            out.varlong(0);
        } else {
            out.varlong(c.results().length + 1L);
            for (long r : c.results()) {
                out.zigzag(r);
            }
        }
        out.u8(c.failureKind());
        if (c.failureKind() == RawCall.EXIT) {
            out.zigzag(c.exitCode());
        } else if (c.failureKind() != RawCall.NONE) {
            out.utf(c.failure());
        }
        out.u8(c.accessesDropped() ? 1 : 0);
        out.varlong(c.bytesWritten());
        out.varlong(c.accesses().size());
        for (RawCall.Access a : c.accesses()) {
            out.u8(a.write() ? 1 : 0);
            out.varlong(a.address());
            out.varlong(a.bytes().length);
            out.bytes(a.bytes(), 0, a.bytes().length);
        }
    }

    static void writeLost(Codec.Out out, long from, long count) {
        out.u8(LOST);
        out.varlong(from);
        out.varlong(count);
    }

    static void writeEnd(Codec.Out out, long calls, int exitCode, String outcome) {
        out.u8(END);
        out.varlong(calls);
        out.zigzag(exitCode);
        out.utf(outcome);
    }

    // ---- reading ----------------------------------------------------------------------------------------------

    static TraceHeader readHeader(Codec.In in) throws Codec.Malformed {
        String id = in.utf(1024, "container id");
        String name = in.utf(1024, "container name");
        String sha = in.utf(1024, "module digest");
        String module = in.utf(64 * 1024, "module path");
        String engine = in.utf(1024, "engine name");
        int pages = in.count(65536, "memory limit");
        int labelCount = in.count(4096, "label count");
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < labelCount; i++) {
            labels.put(in.utf(64 * 1024, "label name"), in.utf(64 * 1024, "label value"));
        }
        long created = in.zigzag();
        int part = in.count(Integer.MAX_VALUE, "part number");
        long first = in.varlong();
        int count = in.count(65536, "function count");
        List<TraceHeader.Function> functions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String fm = in.utf(1024, "function module");
            String fn = in.utf(1024, "function name");
            functions.add(new TraceHeader.Function(fm, fn, FunctionSignature.of(types(in), types(in))));
        }
        return new TraceHeader(id, name, sha, module, engine, pages, labels, created, part, first, functions);
    }

    private static List<ValueType> types(Codec.In in) throws Codec.Malformed {
        int n = in.count(1000, "parameter count");
        List<ValueType> types = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int where = in.position();
            int t = in.u8();
            if (t >= TYPES.length) {
                throw new Codec.Malformed(where, "value type " + t + " is not one of " + List.of(TYPES));
            }
            types.add(TYPES[t]);
        }
        return types;
    }

    static RawCall readCall(Codec.In in, TraceHeader header) throws Codec.Malformed {
        long sequence = in.varlong();
        long time = in.zigzag();
        int where = in.position();
        int function = in.count(Integer.MAX_VALUE, "function index");
        if (function >= header.functions().size()) {
            throw new Codec.Malformed(where, "function index " + function + " but the header lists "
                    + header.functions().size() + " functions");
        }
        where = in.position();
        int d = in.u8();
        if (d >= DECISIONS.length) {
            throw new Codec.Malformed(where, "decision " + d + " is not one of " + List.of(DECISIONS));
        }
        int argCount = in.count(1000, "argument count");
        long[] args = new long[argCount];
        for (int i = 0; i < argCount; i++) {
            args[i] = in.zigzag();
        }
        int resultCount = in.count(1001, "result count");
        long[] results = null;
        if (resultCount > 0) {
            results = new long[resultCount - 1];
            for (int i = 0; i < results.length; i++) {
                results[i] = in.zigzag();
            }
        }
        where = in.position();
        int failureKind = in.u8();
        int exitCode = 0;
        String failure = "";
        if (failureKind == RawCall.EXIT) {
            exitCode = (int) in.zigzag();
            failure = "exit " + exitCode;
        } else if (failureKind == RawCall.DENIED || failureKind == RawCall.TRAP) {
            failure = in.utf(1024 * 1024, "failure message");
        } else if (failureKind != RawCall.NONE) {
            throw new Codec.Malformed(where, "failure kind " + failureKind + " is not 0-3");
        }
        boolean dropped = in.u8() != 0;
        long written = in.varlong();
        int accessCount = in.count(MAX_FRAME, "access count");
        List<RawCall.Access> accesses = new ArrayList<>(Math.min(accessCount, 64));
        for (int i = 0; i < accessCount; i++) {
            boolean write = in.u8() != 0;
            long address = in.varlong();
            accesses.add(new RawCall.Access(write, address, in.bytes(in.count(MAX_FRAME, "access length"))));
        }
        return new RawCall(sequence, time, function, DECISIONS[d], args, results, failureKind,
                exitCode, failure, accesses, written, dropped);
    }
}
