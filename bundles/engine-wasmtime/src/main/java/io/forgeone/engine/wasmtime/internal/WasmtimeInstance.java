package io.forgeone.engine.wasmtime.internal;

import io.forgeone.api.engine.EngineException;
import io.forgeone.api.engine.ExecutionInterruptedException;
import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.InstanceLimits;
import io.forgeone.api.engine.LimitExceededException;
import io.forgeone.api.engine.LinkException;
import io.forgeone.api.engine.ModuleImport;
import io.forgeone.api.engine.ValueType;
import io.forgeone.api.engine.WasmInstance;
import io.forgeone.engine.wasmtime.internal.EnginePool.PooledEngine;
import io.forgeone.engine.wasmtime.internal.WasmBinary.MemoryLimits;
import io.github.kawamuray.wasmtime.Extern;
import io.github.kawamuray.wasmtime.Func;
import io.github.kawamuray.wasmtime.Instance;
import io.github.kawamuray.wasmtime.Memory;
import io.github.kawamuray.wasmtime.Module;
import io.github.kawamuray.wasmtime.Store;
import io.github.kawamuray.wasmtime.Val;
import io.github.kawamuray.wasmtime.WasmtimeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One wasmtime instance of a {@link WasmtimeModule}, with a store and an engine of its own (see {@link EnginePool}).
 * Not thread-safe, like the API says.
 */
final class WasmtimeInstance implements WasmInstance {

    /**
     * The most pages a memory may have here: the host sees guest memory through a direct buffer, which holds at most
     * 2 GiB - 1 bytes. Chicory's memories stop below 2 GiB too.
     */
    static final int MAX_PAGES = Integer.MAX_VALUE / WasmBinary.PAGE_SIZE;

    private static final long[] NO_RESULTS = new long[0];

    private final WasmtimeModule module;
    private final EnginePool pool;
    private final PooledEngine engine;
    private final InterruptWatcher watcher;
    private final Store<Void> store;
    private final Instance instance;
    private final List<Func> funcs;
    private final WasmtimeGuestMemory memory;
    private final HostCall.Failure failure;
    private final Map<String, Export> exports;
    private boolean closed;

    private record Export(Func function, FunctionSignature signature) {
    }

    private record ImportName(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    private WasmtimeInstance(WasmtimeModule module, EnginePool pool, PooledEngine engine, InterruptWatcher watcher,
            Store<Void> store, Instance instance, List<Func> funcs, WasmtimeGuestMemory memory,
            HostCall.Failure failure) {
        this.module = module;
        this.pool = pool;
        this.engine = engine;
        this.watcher = watcher;
        this.store = store;
        this.instance = instance;
        this.funcs = funcs;
        this.memory = memory;
        this.failure = failure;
        this.exports = new HashMap<>();
        for (Map.Entry<String, FunctionSignature> export : module.functionExports().entrySet()) {
            Func func = instance.getFunc(store, export.getKey())
                    .orElseThrow(() -> new EngineException("wasmtime has no function export '" + export.getKey()
                            + "' in module " + module.id()));
            exports.put(export.getKey(), new Export(func, export.getValue()));
        }
    }

    /**
     * Links {@code hostFunctions} to the module's function imports, caps its memory at {@code limits} and builds the
     * instance on an engine from {@code pool}, running the module's start function. The WASI entry point
     * {@code _start} is not run: that is the caller's call.
     */
    static WasmtimeInstance instantiate(WasmtimeModule module, List<HostFunction> hostFunctions,
            InstanceLimits limits, EnginePool pool, InterruptWatcher watcher) {
        return instantiate(module, hostFunctions, effectivePages(limits), pool, watcher);
    }

    /** The most pages an instance under {@code limits} may have here. */
    static int effectivePages(InstanceLimits limits) {
        return Math.min(limits.maxMemoryPages(), MAX_PAGES);
    }

    private static WasmtimeInstance instantiate(WasmtimeModule module, List<HostFunction> hostFunctions,
            int maxPages, EnginePool pool, InterruptWatcher watcher) {
        Objects.requireNonNull(hostFunctions, "imports");
        String where = "module " + module.id();
        WasmBinary binary = module.binary();
        if (!binary.otherImports().isEmpty()) {
            throw new LinkException("cannot link " + where + ": it imports " + String.join(", ", binary.otherImports())
                    + ", which no host can provide (only function imports of numeric types are supported)");
        }
        List<HostFunction> linked = link(module, hostFunctions);
        for (MemoryLimits declared : binary.memories()) {
            if (declared.initial() > maxPages) {
                throw new LimitExceededException(where + " needs " + declared.initial()
                        + " initial memory pages, more than the instance limit of " + maxPages + " pages"
                        + (maxPages == MAX_PAGES ? " (at most 2 GiB on the wasmtime engine)" : ""));
            }
        }
        byte[] capped = binary.capped(maxPages);
        String key = WasmtimeEngine.codeKey(module.sha256(), binary, capped, maxPages);

        PooledEngine engine = pool.acquire();
        Store<Void> store = null;
        List<Func> funcs = new ArrayList<>();
        HostCall.Failure failure = new HostCall.Failure();
        boolean done = false;
        try {
            Module compiled = engine.module(key, capped, where);
            store = new Store<>(null, engine.engine());
            // the host functions hold the view from the start: the start function may call them
            WasmtimeGuestMemory view = new WasmtimeGuestMemory(store);
            List<Extern> externs = new ArrayList<>();
            for (HostFunction function : linked) {
                String qualifiedName = function.module() + "." + function.name();
                Func func = new Func(store, HostCall.funcType(function.signature()),
                        new HostCall(qualifiedName, function, view, failure));
                funcs.add(func);
                externs.add(Extern.fromFunc(func));
            }
            store.setEpochDeadline(1);
            Instance instance;
            InterruptWatcher.Watch watch = watcher.begin(engine);
            try {
                instance = new Instance(store, compiled, externs);
            } catch (WasmtimeException e) {
                RuntimeException hostFailure = failure.take();
                throw Failures.translate(e, hostFailure, failure.function(), watch.fired(), where + " (start)");
            } finally {
                watcher.end(watch);
            }
            String memoryName = binary.memoryExport() != null ? binary.memoryExport()
                    : binary.memories().isEmpty() ? null : WasmBinary.MEMORY_EXPORT;
            Memory memory = memoryName == null ? null : instance.getMemory(store, memoryName).orElse(null);
            view.bind(memory);
            WasmtimeInstance created = new WasmtimeInstance(module, pool, engine, watcher, store, instance, funcs,
                    view, failure);
            done = true;
            return created;
        } finally {
            if (!done) {
                for (Func func : funcs) {
                    func.dispose();
                }
                if (store != null) {
                    store.dispose();
                }
                pool.release(engine);
            }
        }
    }

    private static List<HostFunction> link(WasmtimeModule module, List<HostFunction> hostFunctions) {
        Map<ImportName, HostFunction> offered = new LinkedHashMap<>();
        for (HostFunction function : hostFunctions) {
            Objects.requireNonNull(function, "imports contains null");
            HostFunction previous = offered.putIfAbsent(new ImportName(function.module(), function.name()), function);
            if (previous != null) {
                throw new IllegalArgumentException("imports offer two host functions for " + function.module() + "."
                        + function.name());
            }
        }
        List<HostFunction> linked = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (ModuleImport wanted : module.functionImports()) {
            ImportName name = new ImportName(wanted.module(), wanted.name());
            HostFunction function = offered.get(name);
            if (function == null) {
                problems.add("no host function for " + name + " " + wanted.signature());
            } else if (!function.signature().equals(wanted.signature())) {
                problems.add(name + " has signature " + wanted.signature() + " in the module but "
                        + function.signature() + " in the host function");
            } else {
                linked.add(function);
            }
        }
        if (!problems.isEmpty()) {
            throw new LinkException("cannot link module " + module.id() + ": " + String.join("; ", problems));
        }
        return linked;
    }

    /**
     * {@inheritDoc}
     *
     * <p>When the call is stopped by an interrupt, the thread's interrupt status stays set: the interrupt was meant
     * for whoever runs the thread, and the next call on it stops at once until that code clears it.
     */
    @Override
    public long[] call(String export, long... args) {
        Objects.requireNonNull(export, "export");
        Objects.requireNonNull(args, "args");
        if (closed) {
            throw new IllegalStateException("instance of module " + module.id() + " is closed");
        }
        Export target = exports.get(export);
        if (target == null) {
            throw new EngineException("module " + module.id() + " exports no function '" + export
                    + "' (its function exports: " + module.functionExports().keySet() + ")");
        }
        List<ValueType> params = target.signature().params();
        if (args.length != params.size()) {
            throw new EngineException("export '" + export + "' of module " + module.id() + " takes " + params.size()
                    + " arguments " + params + ", not " + args.length);
        }
        String where = "export '" + export + "'";
        if (Thread.currentThread().isInterrupted()) {
            throw new ExecutionInterruptedException("wasm execution interrupted before it began (" + where + ")");
        }
        Val[] vals = new Val[args.length];
        for (int i = 0; i < args.length; i++) {
            vals[i] = HostCall.toVal(args[i], params.get(i));
        }
        // the deadline is relative to the engine's epoch now; an earlier interrupt may have advanced it
        store.setEpochDeadline(1);
        Val[] results;
        InterruptWatcher.Watch watch = watcher.begin(engine);
        try {
            results = target.function().call(store, vals);
        } catch (RuntimeException e) {
            RuntimeException hostFailure = failure.take();
            throw Failures.translate(e, hostFailure, failure.function(), watch.fired(), where);
        } finally {
            watcher.end(watch);
            memory.invalidate();
        }
        if (results == null || results.length == 0) {
            return NO_RESULTS;
        }
        List<ValueType> types = target.signature().results();
        long[] values = new long[results.length];
        for (int i = 0; i < results.length; i++) {
            values[i] = HostCall.toLong(results[i], types.get(i));
        }
        return values;
    }

    @Override
    public GuestMemory memory() {
        return memory;
    }

    /**
     * Frees the instance's native memory and gives its engine back to the pool. Unlike Chicory's, a closed instance's
     * memory is gone: the view reads as empty from then on.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        memory.release();
        for (Export export : exports.values()) {
            export.function().dispose();
        }
        instance.dispose();
        for (Func func : funcs) {
            func.dispose();
        }
        store.dispose();
        pool.release(engine);
    }

    @Override
    public String toString() {
        return "instance of " + module;
    }
}
