package io.forgeone.wasi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.MemoryAccessException;
import io.forgeone.api.wasi.OutputSink;
import io.forgeone.api.wasi.Preopen;
import io.forgeone.api.wasi.WasiConfig;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pretend guest for tests: calls functions by name the way compiled code would (i32 sign-extended in a
 * long), and lays out strings, iovecs and result slots in a byte-array memory with a bump allocator.
 */
final class Guest implements AutoCloseable {
    static final int MEMORY = 1 << 20;
    static final int PREOPEN = 3;

    final ByteArrayMemory memory = new ByteArrayMemory(MEMORY);
    final Preview1Environment env;
    final Map<String, HostFunction> functions = new HashMap<>();
    final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    final List<Integer> stdoutWrites = new ArrayList<>();
    /** When set, the stdout sink throws it instead of writing (a closed pipe, a failed terminal). */
    RuntimeException stdoutFailure;
    private long next = 1024;

    Guest(List<String> args, Map<String, String> env, List<Preopen> preopens, InputStream stdin) {
        this(args, env, preopens, stdin, WasiContext.DEFAULT_DESCRIPTOR_LIMIT);
    }

    Guest(List<String> args, Map<String, String> environ, List<Preopen> preopens, InputStream stdin, int limit) {
        OutputSink out = (b, o, l) -> {
            if (stdoutFailure != null) {
                throw stdoutFailure;
            }
            stdoutWrites.add(l);
            stdout.write(b, o, l);
        };
        OutputSink err = (b, o, l) -> stderr.write(b, o, l);
        env = new Preview1Environment(new WasiConfig(args, environ, preopens, stdin, out, err), limit);
        for (HostFunction f : env.hostFunctions()) {
            functions.put(f.name(), f);
        }
    }

    /** A guest with one preopen of {@code dir} as fd 3, named {@code /sandbox}. */
    static Guest withDir(Path dir) {
        return new Guest(List.of("prog"), Map.of(), List.of(new Preopen(dir, "/sandbox")), null);
    }

    HostFunction function(String name) {
        HostFunction f = functions.get(name);
        if (f == null) {
            throw new AssertionError("no function " + name);
        }
        return f;
    }

    /** What {@link #call} returns when the call trapped on a bad guest pointer (no errno is ever negative). */
    static final int TRAP = -1;

    /**
     * Calls a function; int arguments are sign-extended as an engine would pass an i32. A bad guest pointer
     * traps the guest ({@link MemoryAccessException}, which the engine turns into a trap): that is {@link #TRAP}.
     */
    int call(String name, long... args) {
        HostFunction f = function(name);
        assertEquals(f.signature().params().size(), args.length, name + " arity");
        long[] results;
        try {
            results = f.call(memory, args);
        } catch (MemoryAccessException e) {
            return TRAP;
        }
        assertEquals(1, results.length, name + " results");
        return (int) results[0];
    }

    long alloc(int size) {
        long at = (next + 7) & ~7L;
        next = at + size;
        return at;
    }

    long string(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        long at = alloc(bytes.length + 1);
        memory.write(at, bytes);
        return at;
    }

    static int len(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** An iovec array over the given buffers ({address, length} pairs); returns its address. */
    long iovecs(long... pairs) {
        long at = alloc(pairs.length * 4);
        for (int i = 0; i < pairs.length; i++) {
            memory.writeI32(at + 4L * i, (int) pairs[i]);
        }
        return at;
    }

    String readString(long address, int length) {
        return new String(memory.bytes, (int) address, length, StandardCharsets.UTF_8);
    }

    int i32(long address) {
        return memory.readI32(address);
    }

    long i64(long address) {
        return memory.readI64(address);
    }

    // Convenience wrappers returning errno; results land in the slot passed.

    int open(int dirfd, int dirflags, String path, int oflags, long rights, int fdflags, long fdOut) {
        return call("path_open", dirfd, dirflags, string(path), len(path), oflags, rights, rights, fdflags, fdOut);
    }

    /** Opens and returns the new fd, failing the test unless it succeeds. */
    int openOk(int dirfd, String path, int oflags, long rights) {
        long out = alloc(4);
        int errno = open(dirfd, 0, path, oflags, rights, 0, out);
        assertEquals(0, errno, "path_open " + path + ": " + Errno.name(errno));
        return i32(out);
    }

    /** The errno of opening {@code path} read-only without following a final symlink. */
    int openErrno(int dirfd, int dirflags, String path, int oflags) {
        return open(dirfd, dirflags, path, oflags, Preview1.RIGHT_FD_READ, 0, alloc(4));
    }

    int write(int fd, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        long buf = alloc(bytes.length);
        memory.write(buf, bytes);
        long out = alloc(4);
        int errno = call("fd_write", fd, iovecs(buf, bytes.length), 1, out);
        return errno == 0 ? i32(out) : -errno;
    }

    /** Reads up to {@code max} bytes; returns the text, or "errno:NAME". */
    String read(int fd, int max) {
        long buf = alloc(max);
        long out = alloc(4);
        int errno = call("fd_read", fd, iovecs(buf, max), 1, out);
        return errno == 0 ? readString(buf, i32(out)) : "errno:" + Errno.name(errno);
    }

    int pathCall(String name, int fd, String path) {
        return call(name, fd, string(path), len(path));
    }

    @Override
    public void close() {
        env.close();
    }
}
