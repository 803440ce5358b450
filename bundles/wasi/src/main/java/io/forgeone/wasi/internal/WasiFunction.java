package io.forgeone.wasi.internal;

import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.MemoryAccessException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One wasi_snapshot_preview1 import. A body returns the errno (or throws {@link ErrnoException}). A bad guest
 * pointer ({@link MemoryAccessException}) traps the guest, as wasmtime does and as the witx documentation
 * requires ("If an out-of-bounds pointer is passed to a function and the function needs to dereference it,
 * the function shall trap"). Anything else thrown is a host failure and traps too.
 */
final class WasiFunction implements HostFunction {
    private static final OptionalInt DENIED = OptionalInt.of(Errno.NOTCAPABLE);

    /** The call; returns the errno for functions that have one (ignored for proc_exit, which never returns). */
    @FunctionalInterface
    interface Body {
        int call(GuestMemory memory, long[] args);
    }

    /** Puts the arguments, decoded for people and policy, into {@code into}. */
    @FunctionalInterface
    interface Describer {
        void describe(GuestMemory memory, long[] args, Map<String, Object> into);
    }

    private final String name;
    private final FunctionSignature signature;
    private final Body body;
    private final Describer describer;
    private final boolean returnsErrno;

    WasiFunction(String name, FunctionSignature signature, Body body, Describer describer) {
        this.name = Objects.requireNonNull(name, "name");
        this.signature = Objects.requireNonNull(signature, "signature");
        this.body = Objects.requireNonNull(body, "body");
        this.describer = Objects.requireNonNull(describer, "describer");
        this.returnsErrno = !signature.results().isEmpty();
    }

    @Override
    public String module() {
        return Preview1.MODULE;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public FunctionSignature signature() {
        return signature;
    }

    @Override
    public long[] call(GuestMemory memory, long[] args) {
        if (!returnsErrno) {
            body.call(memory, args);
            return new long[0];
        }
        int errno;
        try {
            errno = body.call(memory, args);
        } catch (ErrnoException e) {
            errno = e.errno();
        }
        return new long[] {errno};
    }

    /** Never throws: what cannot be read from guest memory is described as {@code "<fault>"}. */
    @Override
    public Map<String, Object> describe(GuestMemory memory, long[] args) {
        Map<String, Object> described = new LinkedHashMap<>();
        try {
            describer.describe(memory, args, described);
        } catch (MemoryAccessException | ErrnoException e) {
            described.put("fault", e.getMessage());
        }
        return described;
    }

    @Override
    public OptionalInt deniedErrno() {
        return returnsErrno ? DENIED : OptionalInt.empty();
    }

    @Override
    public String toString() {
        return Preview1.MODULE + "." + name + " " + signature;
    }
}
