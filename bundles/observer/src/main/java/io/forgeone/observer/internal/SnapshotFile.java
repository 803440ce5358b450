package io.forgeone.observer.internal;

import io.forgeone.api.container.ContainerLimits;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.engine.InstanceImage;
import io.forgeone.api.observe.SnapshotException;
import io.forgeone.api.observe.SnapshotInfo;
import io.forgeone.api.wasi.Preopen;
import io.forgeone.api.wasi.WasiState;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * The snapshot file format ({@code .fsnap}):
 *
 * <pre>
 * "FORGESNP" version:u8                      10 bytes, not compressed
 * body: DEFLATE stream of the fields below
 * trailer: signer:utf-8 (u16 length) signature (u32 length) sha256:32 bytes over everything before the trailer
 *          trailer-length:u32 "FSNPEND!"
 * </pre>
 *
 * The body: container id, name, engine, module SHA-256, time taken; the module path, argv, environment, preopens
 * and limits; identity labels; the module's bytes; the names of the host functions the history's calls index; the
 * history (per call: function, arguments, results or how it failed, the bytes it wrote into memory); the memory
 * image and globals; the WASI descriptor table. A reader checks the end marker (a cut-short file), the SHA-256 (any
 * flipped byte), the signature when the file is signed, then every field and length, so a damaged or crafted file
 * is an error naming the file and the problem, never a crash or a huge allocation.
 */
final class SnapshotFile {
    static final byte[] MAGIC = "FORGESNP".getBytes(StandardCharsets.US_ASCII);
    static final byte[] END = "FSNPEND!".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final String EXTENSION = ".fsnap";
    /** The trailer without signer and signature: their lengths, the SHA-256, its own length, the end marker. */
    private static final int TRAILER_FIXED = 2 + 4 + 32 + 4 + 8;
    private static final int MAX_STRING = 1 << 20;
    private static final int MAX_COUNT = 1 << 24;
    private static final int MAX_MODULE = 256 << 20;
    private static final int MAX_WRITE = 64 << 20;

    /** One host function a call names, as module and name. */
    record Function(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    /** A recorded call, as a snapshot keeps it: the bytes it wrote, not the ones it read. */
    record Call(int function, long[] args, long[] results, int failureKind, int exitCode, String failure,
            List<RawCall.Access> writes) {
    }

    /** What a snapshot holds. */
    record Snapshot(String containerId, String name, String engine, String moduleSha256, Instant taken,
            ContainerSpec spec, List<String> argv, Map<String, String> labels, byte[] module,
            List<Function> functions, List<Call> history, InstanceImage instance, WasiState wasi) {

        SnapshotInfo info(Path file, String signer, long fileBytes) {
            return new SnapshotInfo(file, containerId, name, moduleSha256, engine, argv, history.size(),
                    instance.memory().length, instance.globals().length, wasi.descriptors().size(), taken, signer,
                    fileBytes);
        }
    }

    /** A file read back: the snapshot, who signed it (scheme:key id, or empty), and the signed bytes. */
    record Read(Snapshot snapshot, String signer, byte[] signature, byte[] signedDigest, long fileBytes) {
    }

    private SnapshotFile() {
    }

    static Call call(RawCall c) {
        List<RawCall.Access> writes = new ArrayList<>();
        for (RawCall.Access a : c.accesses()) {
            if (a.write()) {
                writes.add(a);
            }
        }
        return new Call(c.function(), c.args(), c.results(), c.failureKind(), c.exitCode(), c.failure(), writes);
    }

    // ---- writing ----------------------------------------------------------------------------------------------

    /** The file's bytes before the trailer (header and compressed body). */
    static byte[] encode(Snapshot s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            bytes.write(MAGIC);
            bytes.write(VERSION);
            Deflater deflater = new Deflater(Deflater.BEST_SPEED);
            try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes, deflater, 1 << 16))) {
                body(out, s);
            } finally {
                deflater.end();
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    private static void body(DataOutputStream out, Snapshot s) throws IOException {
        string(out, s.containerId());
        string(out, s.name());
        string(out, s.engine());
        string(out, s.moduleSha256());
        out.writeLong(s.taken().toEpochMilli());
        ContainerSpec spec = s.spec();
        string(out, spec.module().toString());
        strings(out, s.argv());
        map(out, spec.env());
        out.writeInt(spec.preopens().size());
        for (Preopen p : spec.preopens()) {
            string(out, p.hostPath().toString());
            string(out, p.guestPath());
        }
        ContainerLimits l = spec.limits();
        out.writeInt(l.maxMemoryPages());
        out.writeLong(l.wallTimeout().toMillis());
        out.writeInt(l.logBufferBytes());
        out.writeLong(l.cpuTime().toMillis());
        map(out, s.labels());
        out.writeInt(s.module().length);
        out.write(s.module());
        out.writeInt(s.functions().size());
        for (Function f : s.functions()) {
            string(out, f.module());
            string(out, f.name());
        }
        out.writeInt(s.history().size());
        for (Call c : s.history()) {
            out.writeInt(c.function());
            longs(out, c.args());
            if (c.results() == null) {
                out.writeInt(-1);
            } else {
                longs(out, c.results());
            }
            out.writeByte(c.failureKind());
            out.writeInt(c.exitCode());
            string(out, c.failure());
            out.writeInt(c.writes().size());
            for (RawCall.Access a : c.writes()) {
                out.writeLong(a.address());
                out.writeInt(a.bytes().length);
                out.write(a.bytes());
            }
        }
        out.writeInt(s.instance().memory().length);
        out.write(s.instance().memory());
        longs(out, s.instance().globals());
        out.writeInt(s.wasi().descriptors().size());
        for (WasiState.Descriptor d : s.wasi().descriptors()) {
            out.writeInt(d.fd());
            out.writeByte(d.kind().ordinal());
            out.writeInt(d.preopen());
            string(out, d.path());
            out.writeBoolean(d.readable());
            out.writeBoolean(d.writable());
            out.writeInt(d.fdflags());
            out.writeLong(d.offset());
            out.writeLong(d.droppedBase());
            out.writeLong(d.droppedInheriting());
        }
        out.writeInt(s.wasi().freeNumbers().size());
        for (int fd : s.wasi().freeNumbers()) {
            out.writeInt(fd);
        }
        out.writeLong(s.wasi().monotonicNanos());
    }

    /** The trailer over {@code content}: signer and signature (empty when unsigned), SHA-256, end marker. */
    static byte[] trailer(byte[] digest, String signer, byte[] signature) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            byte[] who = signer.getBytes(StandardCharsets.UTF_8);
            out.writeShort(who.length);
            out.write(who);
            out.writeInt(signature.length);
            out.write(signature);
            out.write(digest);
            out.writeInt(2 + who.length + 4 + signature.length + 32 + 4 + END.length);
            out.write(END);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    /** Writes {@code content} and its trailer to {@code file} through a temporary file, so a reader never sees half. */
    static void write(Path file, byte[] content, byte[] trailer) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".snapshot", ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    out.write(content);
                    out.write(trailer);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new SnapshotException(file + ": cannot write the snapshot: " + e.getMessage(), e);
        }
    }

    static byte[] sha256(byte[] bytes, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(bytes, 0, length);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static void strings(DataOutputStream out, List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            string(out, s);
        }
    }

    private static void map(DataOutputStream out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            string(out, e.getKey());
            string(out, e.getValue());
        }
    }

    private static void longs(DataOutputStream out, long[] values) throws IOException {
        out.writeInt(values.length);
        for (long v : values) {
            out.writeLong(v);
        }
    }

    // ---- reading ----------------------------------------------------------------------------------------------

    /** Reads and checks a file: end marker, SHA-256, then every field. The signature is the caller's to verify. */
    static Read read(Path file) {
        byte[] all;
        try {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 16) {
                throw new SnapshotException(file + ": " + size + " bytes is more than a snapshot file can be");
            }
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new SnapshotException(file + ": no such snapshot file", e);
        } catch (IOException e) {
            throw new SnapshotException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (all.length < MAGIC.length + 1 || !Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new SnapshotException(file + ": not a ForgeOne snapshot (it does not start with FORGESNP)");
        }
        if (all[MAGIC.length] != VERSION) {
            throw new SnapshotException(file + ": snapshot format version " + (all[MAGIC.length] & 0xFF)
                    + ", this node reads version " + VERSION);
        }
        int n = all.length;
        if (n < MAGIC.length + 1 + TRAILER_FIXED || !Arrays.equals(all, n - END.length, n, END, 0, END.length)) {
            throw new SnapshotException(file + ": the file is cut short (" + n + " bytes, no end marker): truncated"
                    + " while it was written or copied");
        }
        int trailerLength = readInt(all, n - END.length - 4);
        if (trailerLength < TRAILER_FIXED || trailerLength > n - MAGIC.length - 1) {
            throw new SnapshotException(file + ": the trailer's length (" + trailerLength + ") is impossible: the file"
                    + " is corrupted");
        }
        int contentEnd = n - trailerLength;
        int at = contentEnd;
        int whoLength = ((all[at] & 0xFF) << 8) | (all[at + 1] & 0xFF);
        at += 2;
        if (whoLength > trailerLength - TRAILER_FIXED) {
            throw new SnapshotException(file + ": the trailer is corrupted (signer name of " + whoLength + " bytes)");
        }
        String signer = new String(all, at, whoLength, StandardCharsets.UTF_8);
        at += whoLength;
        int sigLength = readInt(all, at);
        at += 4;
        if (sigLength < 0 || sigLength != trailerLength - TRAILER_FIXED - whoLength) {
            throw new SnapshotException(file + ": the trailer is corrupted (signature of " + sigLength + " bytes)");
        }
        byte[] signature = Arrays.copyOfRange(all, at, at + sigLength);
        at += sigLength;
        byte[] stored = Arrays.copyOfRange(all, at, at + 32);
        byte[] computed = sha256(all, contentEnd);
        if (!MessageDigest.isEqual(stored, computed)) {
            throw new SnapshotException(file + ": checksum mismatch (stored SHA-256 " + hex(stored) + ", computed "
                    + hex(computed) + "): the file is corrupted");
        }
        Snapshot s;
        try (DataInputStream in = new DataInputStream(new InflaterInputStream(
                new java.io.ByteArrayInputStream(all, MAGIC.length + 1, contentEnd - MAGIC.length - 1),
                new Inflater(), 1 << 16))) {
            s = body(in);
            if (in.read() != -1) {
                throw new IOException("bytes follow the last field");
            }
        } catch (EOFException e) {
            throw new SnapshotException(file + ": the snapshot's body ends before its last field: the file is"
                    + " corrupted", e);
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            Throwable why = e.getCause() instanceof DataFormatException ? e.getCause() : e;
            throw new SnapshotException(file + ": the snapshot's body is invalid (" + why.getMessage() + ")", e);
        }
        return new Read(s, signer, signature, computed, n);
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private static Snapshot body(DataInputStream in) throws IOException {
        String id = string(in, "container id");
        String name = string(in, "container name");
        String engine = string(in, "engine");
        String sha = string(in, "module SHA-256");
        Instant taken = Instant.ofEpochMilli(in.readLong());
        Path module = Path.of(string(in, "module path"));
        List<String> argv = new ArrayList<>();
        int argc = count(in, "argv");
        for (int i = 0; i < argc; i++) {
            argv.add(string(in, "argv"));
        }
        Map<String, String> env = map(in, "environment");
        List<Preopen> preopens = new ArrayList<>();
        int np = count(in, "preopens");
        for (int i = 0; i < np; i++) {
            preopens.add(new Preopen(Path.of(string(in, "preopen host path")), string(in, "preopen guest path")));
        }
        ContainerLimits limits = new ContainerLimits(in.readInt(), Duration.ofMillis(nonNegative(in.readLong(), "timeout")),
                in.readInt(), Duration.ofMillis(nonNegative(in.readLong(), "cpu time")));
        Map<String, String> labels = map(in, "labels");
        byte[] wasm = bytes(in, MAX_MODULE, "module");
        String actual = hex(sha256(wasm, wasm.length));
        if (!actual.equals(sha)) {
            throw new IllegalArgumentException("the module inside has SHA-256 " + actual + ", the snapshot names " + sha);
        }
        int nf = count(in, "functions");
        List<Function> functions = new ArrayList<>();
        for (int i = 0; i < nf; i++) {
            functions.add(new Function(string(in, "function module"), string(in, "function name")));
        }
        int nc = in.readInt();
        if (nc < 0) {
            throw new IllegalArgumentException("negative call count " + nc);
        }
        List<Call> history = new ArrayList<>(Math.min(nc, 1 << 16));
        for (int i = 0; i < nc; i++) {
            int function = in.readInt();
            if (function < 0 || function >= nf) {
                throw new IllegalArgumentException("call #" + i + " names function " + function + " of " + nf);
            }
            long[] args = longs(in, 64, "arguments of call #" + i);
            int nr = in.readInt();
            long[] results = nr == -1 ? null : longsOf(in, nr, 64, "results of call #" + i);
            int kind = in.readUnsignedByte();
            if (kind > RawCall.TRAP) {
                throw new IllegalArgumentException("call #" + i + " has unknown failure kind " + kind);
            }
            int exit = in.readInt();
            String failure = string(in, "failure of call #" + i);
            int nw = count(in, "writes of call #" + i);
            List<RawCall.Access> writes = new ArrayList<>(Math.min(nw, 64));
            for (int w = 0; w < nw; w++) {
                long address = in.readLong();
                byte[] b = bytes(in, MAX_WRITE, "bytes written by call #" + i);
                writes.add(new RawCall.Access(true, address, b));
            }
            history.add(new Call(function, args, results, kind, exit, failure, writes));
        }
        long maxMemory = (long) limits.maxMemoryPages() * InstanceImage.PAGE_BYTES;
        byte[] memory = bytes(in, (int) Math.min(Integer.MAX_VALUE - 16, maxMemory), "memory image");
        long[] globals = longs(in, 1 << 20, "globals");
        InstanceImage image = new InstanceImage(memory, globals);
        int nd = count(in, "descriptors");
        List<WasiState.Descriptor> descriptors = new ArrayList<>();
        WasiState.Kind[] kinds = WasiState.Kind.values();
        for (int i = 0; i < nd; i++) {
            int fd = in.readInt();
            int kind = in.readUnsignedByte();
            if (kind >= kinds.length) {
                throw new IllegalArgumentException("descriptor " + fd + " has unknown kind " + kind);
            }
            descriptors.add(new WasiState.Descriptor(fd, kinds[kind], in.readInt(), string(in, "descriptor path"),
                    in.readBoolean(), in.readBoolean(), in.readInt(), in.readLong(), in.readLong(), in.readLong()));
        }
        int nfree = count(in, "free descriptor numbers");
        List<Integer> free = new ArrayList<>();
        for (int i = 0; i < nfree; i++) {
            free.add(in.readInt());
        }
        long monotonic = nonNegative(in.readLong(), "monotonic clock reading");
        ContainerSpec spec = new ContainerSpec(name, module, argv.isEmpty() ? List.of() : argv.subList(1, argv.size()),
                env, preopens, engine, limits);
        return new Snapshot(id, name, engine, sha, taken, spec, argv, labels, wasm, functions, history, image,
                new WasiState(descriptors, free, monotonic));
    }

    private static long nonNegative(long v, String what) {
        if (v < 0) {
            throw new IllegalArgumentException("negative " + what + " " + v);
        }
        return v;
    }

    private static int count(DataInputStream in, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_COUNT) {
            throw new IllegalArgumentException("impossible count of " + what + ": " + n);
        }
        return n;
    }

    private static String string(DataInputStream in, String what) throws IOException {
        return new String(bytes(in, MAX_STRING, what), StandardCharsets.UTF_8);
    }

    /** Reads a length-prefixed byte array in chunks, so a false length fails at the end of the data, not in new[]. */
    private static byte[] bytes(InputStream in, int max, String what) throws IOException {
        int n = new DataInputStream(in).readInt();
        if (n < 0 || n > max) {
            throw new IllegalArgumentException("impossible length of " + what + ": " + n + " bytes");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(n, 1 << 20));
        byte[] chunk = new byte[Math.min(n, 1 << 16)];
        int left = n;
        while (left > 0) {
            int r = in.read(chunk, 0, Math.min(chunk.length, left));
            if (r < 0) {
                throw new EOFException(what + " ends early");
            }
            out.write(chunk, 0, r);
            left -= r;
        }
        return out.toByteArray();
    }

    private static long[] longs(DataInputStream in, int max, String what) throws IOException {
        return longsOf(in, in.readInt(), max, what);
    }

    private static long[] longsOf(DataInputStream in, int n, int max, String what) throws IOException {
        if (n < 0 || n > max) {
            throw new IllegalArgumentException("impossible count of " + what + ": " + n);
        }
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readLong();
        }
        return values;
    }

    private static Map<String, String> map(DataInputStream in, String what) throws IOException {
        int n = count(in, what);
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            map.put(string(in, what), string(in, what));
        }
        return map;
    }
}
