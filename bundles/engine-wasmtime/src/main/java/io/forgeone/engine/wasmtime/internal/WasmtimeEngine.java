package io.forgeone.engine.wasmtime.internal;

import io.forgeone.api.engine.CompiledModule;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.InstanceLimits;
import io.forgeone.api.engine.WasmEngine;
import io.forgeone.api.engine.WasmInstance;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link WasmEngine} on wasmtime 7.0.1 through wasmtime-java 0.19 (JNI): modules are compiled to native code by
 * Cranelift. Faster than Chicory on compute, far slower per host call (each crosses JNI twice, about 18 us), so it
 * suits compute-heavy guests that make few host calls.
 *
 * <p>Host functions are ForgeOne's own (WASI from the wasi bundle, every call through the kernel's gate); wasmtime's
 * built-in WASI is never linked. wasmtime-java has no fuel and no memory limiter: the memory limit is written into
 * the module before it is compiled ({@link WasmBinary#capped}), and a runaway guest is stopped by epoch interruption
 * when its thread is interrupted ({@link InterruptWatcher}); a CPU-time limit is the kernel's to enforce.
 */
@Component(service = WasmEngine.class, property = WasmEngine.NAME_PROPERTY + "=" + WasmtimeEngine.NAME)
public final class WasmtimeEngine implements WasmEngine {

    static final String NAME = "wasmtime";
    static final String VERSION = "wasmtime 7.0.1 (wasmtime-java 0.19.0)";
    static final int MODULE_CACHE_SIZE = 64;
    static final int IDLE_ENGINES = 4;
    static final long INTERRUPT_PERIOD_MILLIS = 1;

    private static final Logger LOG = LoggerFactory.getLogger(WasmtimeEngine.class);

    private final EnginePool pool;
    private final InterruptWatcher watcher;
    private final Object lock = new Object();
    /** Parsed and validated modules by SHA-256, least recently used dropped first; guarded by {@link #lock}. */
    private final Map<String, WasmtimeModule> modules = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, WasmtimeModule> eldest) {
            return size() > MODULE_CACHE_SIZE;
        }
    };
    private long compilations;
    /** The memory limit (pages) of the last instance made, or -1 before the first. */
    private volatile int lastMaxPages = -1;

    @Activate
    public WasmtimeEngine() {
        this.pool = new EnginePool(IDLE_ENGINES, MODULE_CACHE_SIZE);
        this.watcher = new InterruptWatcher(INTERRUPT_PERIOD_MILLIS, "forge-wasmtime-interrupts");
        LOG.info("wasmtime engine ready: {}", VERSION);
    }

    /** Stops the interrupt watcher and frees idle engines; instances still open free theirs when closed. */
    @Deactivate
    void deactivate() {
        watcher.close();
        pool.close();
        LOG.info("wasmtime engine stopped");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return VERSION + " (native code by Cranelift; epoch interruption, no fuel)";
    }

    /**
     * Key of a module's machine code on a pooled engine: its bytes as given when the rewrite for {@code maxPages}
     * changed nothing ({@code capped} is the binary's own array), else the rewrite for that limit. A module whose
     * declared maximum fits the limit is compiled once per engine whatever the limit.
     */
    static String codeKey(String sha256, WasmBinary binary, byte[] capped, int maxPages) {
        return capped == binary.bytes() ? sha256 + "/as-declared" : sha256 + "/max=" + maxPages;
    }

    @Override
    public CompiledModule compile(byte[] wasm) {
        Objects.requireNonNull(wasm, "wasm");
        // a private copy, so that what is hashed is what is compiled even if the caller reuses the array
        byte[] bytes = wasm.clone();
        String sha256 = Sha256.hex(bytes);
        synchronized (lock) {
            WasmtimeModule cached = modules.get(sha256);
            if (cached != null) {
                return cached;
            }
            compilations++;
        }
        WasmBinary binary = WasmBinary.parse(bytes);
        // wasmtime validates while it compiles, and compiling is the costly part (Cranelift: a tenth of a second
        // or more for a small C program), so compile what the next instance will most likely run: the module
        // rewritten for the memory limit of the last instance made (nodes mostly use one limit). The machine code
        // stays with the pooled engine for that instance.
        int pages = lastMaxPages;
        byte[] code = pages > 0 && binary.fits(pages) ? binary.capped(pages) : bytes;
        EnginePool.PooledEngine engine = pool.acquire();
        try {
            engine.module(codeKey(sha256, binary, code, pages), code, "module " + sha256.substring(0, 12));
        } finally {
            pool.release(engine);
        }
        WasmtimeModule module = new WasmtimeModule(sha256, binary);
        synchronized (lock) {
            WasmtimeModule raced = modules.putIfAbsent(sha256, module);
            return raced != null ? raced : module;
        }
    }

    @Override
    public WasmInstance instantiate(CompiledModule module, List<HostFunction> imports, InstanceLimits limits) {
        Objects.requireNonNull(module, "module");
        if (!(module instanceof WasmtimeModule)) {
            throw new IllegalArgumentException("module " + module.sha256() + " was compiled by engine '"
                    + module.engine() + "', not by " + NAME);
        }
        Objects.requireNonNull(limits, "limits");
        lastMaxPages = WasmtimeInstance.effectivePages(limits);
        return WasmtimeInstance.instantiate((WasmtimeModule) module, imports, limits, pool, watcher);
    }

    /** Modules compiled (or failed to) since activation; cache hits do not count, failures are not cached. */
    long compilations() {
        synchronized (lock) {
            return compilations;
        }
    }

    EnginePool pool() {
        return pool;
    }

    InterruptWatcher watcher() {
        return watcher;
    }

    @Override
    public String toString() {
        return description();
    }
}
