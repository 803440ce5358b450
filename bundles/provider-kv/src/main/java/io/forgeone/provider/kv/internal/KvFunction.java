package io.forgeone.provider.kv.internal;

import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.MemoryAccessException;
import io.forgeone.api.engine.ValueType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One forge:kv function bound to one package's store. Every function returns an error number (see {@link Errno})
 * and never traps for bad input; pointers and lengths are unsigned i32.
 *
 * <pre>
 * get(key_ptr, key_len, buf_ptr, buf_cap, len_out) -&gt; errno     value into buf; its length into *len_out
 * put(key_ptr, key_len, value_ptr, value_len) -&gt; errno
 * delete(key_ptr, key_len) -&gt; errno
 * list(prefix_ptr, prefix_len, buf_ptr, buf_cap, len_out) -&gt; errno   keys with the prefix, each ended by NUL
 * </pre>
 */
final class KvFunction implements HostFunction {
    static final String MODULE = "forge:kv";
    private static final Logger LOG = LoggerFactory.getLogger(KvFunction.class);

    enum Op {
        GET(5), PUT(4), DELETE(2), LIST(5);

        final FunctionSignature signature;

        Op(int params) {
            this.signature = FunctionSignature.of(Collections.nCopies(params, ValueType.I32), List.of(ValueType.I32));
        }

        String functionName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Op op;
    private final KvStore store;
    private final String container;
    private volatile boolean closed;

    KvFunction(Op op, KvStore store, String container) {
        this.op = op;
        this.store = store;
        this.container = container;
    }

    void close() {
        closed = true;
    }

    @Override
    public String module() {
        return MODULE;
    }

    @Override
    public String name() {
        return op.functionName();
    }

    @Override
    public FunctionSignature signature() {
        return op.signature;
    }

    @Override
    public OptionalInt deniedErrno() {
        return OptionalInt.of(Errno.NOT_CAPABLE);
    }

    @Override
    public long[] call(GuestMemory memory, long[] args) {
        if (closed) {
            return result(Errno.IO);
        }
        try {
            switch (op) {
                case GET:
                    return result(get(memory, args));
                case PUT:
                    store.put(store.key(bytes(memory, args[0], args[1], Integer.MAX_VALUE)),
                            bytes(memory, args[2], args[3], Integer.MAX_VALUE));
                    return result(Errno.SUCCESS);
                case DELETE:
                    return result(store.delete(store.key(bytes(memory, args[0], args[1], Integer.MAX_VALUE)))
                            ? Errno.SUCCESS : Errno.NO_ENTRY);
                case LIST:
                default:
                    return result(list(memory, args));
            }
        } catch (KvException e) {
            if (e.errno == Errno.IO) {
                LOG.warn("forge:kv.{} of container {} failed: {}", name(), container, e.getMessage(), e);
            }
            return result(e.errno);
        } catch (MemoryAccessException e) {
            return result(Errno.FAULT);
        }
    }

    private int get(GuestMemory memory, long[] args) {
        byte[] value = store.get(store.key(bytes(memory, args[0], args[1], Integer.MAX_VALUE)));
        if (value == null) {
            return Errno.NO_ENTRY;
        }
        return deliver(memory, value, args[2], args[3], args[4]);
    }

    private int list(GuestMemory memory, long[] args) {
        byte[] raw = bytes(memory, args[0], args[1], Integer.MAX_VALUE);
        String prefix = raw.length == 0 ? "" : store.key(raw);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String key : store.keys(prefix)) {
            out.writeBytes(key.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return deliver(memory, out.toByteArray(), args[2], args[3], args[4]);
    }

    /** Writes the length to {@code lenOut} and, when it fits, the bytes to the buffer. */
    private static int deliver(GuestMemory memory, byte[] data, long buf, long cap, long lenOut) {
        memory.writeI32(unsigned(lenOut), data.length);
        if (data.length > unsigned(cap)) {
            return Errno.TOO_BIG;
        }
        memory.write(unsigned(buf), data);
        return Errno.SUCCESS;
    }

    private static byte[] bytes(GuestMemory memory, long ptr, long len, int most) {
        long length = unsigned(len);
        long start = unsigned(ptr);
        if (length > most || start + length > memory.size()) {
            throw new MemoryAccessException("range " + start + "+" + length + " is outside guest memory");
        }
        return memory.readBytes(start, (int) length);
    }

    private static long unsigned(long i32) {
        return i32 & 0xFFFF_FFFFL;
    }

    private static long[] result(int errno) {
        return new long[] {errno};
    }

    @Override
    public Map<String, Object> describe(GuestMemory memory, long[] args) {
        Map<String, Object> d = new LinkedHashMap<>();
        String what = op == Op.LIST ? "prefix" : "key";
        try {
            d.put(what, memory == null ? "?" : new String(bytes(memory, args[0], Math.min(unsigned(args[1]), 256),
                    256), StandardCharsets.UTF_8));
        } catch (MemoryAccessException e) {
            d.put(what, "(outside guest memory)");
        }
        if (op == Op.PUT) {
            d.put("bytes", unsigned(args[3]));
        }
        return d;
    }
}
