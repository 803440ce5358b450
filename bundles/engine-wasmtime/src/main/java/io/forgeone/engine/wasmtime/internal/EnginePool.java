package io.forgeone.engine.wasmtime.internal;

import io.forgeone.api.engine.ModuleFormatException;
import io.github.kawamuray.wasmtime.Config;
import io.github.kawamuray.wasmtime.Engine;
import io.github.kawamuray.wasmtime.Module;
import io.github.kawamuray.wasmtime.WasmtimeException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * wasmtime engines, each lent to one instance at a time.
 *
 * <p>Why not one engine for everything: epoch interruption is per engine. Stopping a guest means advancing its
 * engine's epoch past the deadline of its store, and every store of that engine whose deadline passes traps too.
 * wasmtime 7 could instead yield or run a callback at the deadline, but wasmtime-java 0.19 exposes neither, and it
 * cannot move a running store's deadline from another thread (a store is locked while it runs). So each running
 * instance has an engine to itself, and interrupting it touches no one else. A wasmtime engine costs about 50
 * microseconds to make; what is costly is compiled code, which belongs to one engine: each pooled engine keeps the
 * modules it compiled (up to {@code modulesPerEngine}, least recently used dropped), and engines go back to the pool
 * when their instance closes, so a module is compiled once per engine rather than once per instance.
 */
final class EnginePool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EnginePool.class);

    private final int idleEngines;
    private final int modulesPerEngine;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private final Deque<PooledEngine> idle = new ArrayDeque<>();
    private boolean closed;

    EnginePool(int idleEngines, int modulesPerEngine) {
        if (idleEngines < 1 || modulesPerEngine < 1) {
            throw new IllegalArgumentException("idleEngines and modulesPerEngine must be at least 1, were "
                    + idleEngines + " and " + modulesPerEngine);
        }
        this.idleEngines = idleEngines;
        this.modulesPerEngine = modulesPerEngine;
    }

    /** An engine for the caller alone until it is {@link #release released}. */
    PooledEngine acquire() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the wasmtime engine is deactivated");
            }
            PooledEngine engine = idle.pollFirst();
            if (engine != null) {
                return engine;
            }
        }
        return new PooledEngine(modulesPerEngine);
    }

    /** Gives an engine back; beyond the idle limit (or after {@link #close}) it is disposed with its code. */
    void release(PooledEngine engine) {
        synchronized (lock) {
            if (!closed && idle.size() < idleEngines) {
                idle.addFirst(engine);
                return;
            }
        }
        engine.dispose();
    }

    int idleCount() {
        synchronized (lock) {
            return idle.size();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            for (PooledEngine engine : idle) {
                engine.dispose();
            }
            idle.clear();
        }
    }

    /** One wasmtime engine (epoch interruption on) and the modules compiled for it. Used by one thread at a time. */
    static final class PooledEngine {
        private final Engine engine;
        private final Map<String, Module> modules;

        private PooledEngine(int capacity) {
            // the engine takes the configuration over (wasmtime-java frees it then)
            Config config = new Config();
            config.epochInterruption(true);
            engine = new Engine(config);
            this.modules = new LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Module> eldest) {
                    if (size() > capacity) {
                        eldest.getValue().dispose();
                        return true;
                    }
                    return false;
                }
            };
        }

        Engine engine() {
            return engine;
        }

        /**
         * The module compiled from {@code bytes} on this engine, compiled now unless done before under {@code key}.
         *
         * @throws ModuleFormatException when wasmtime rejects the bytes
         */
        Module module(String key, byte[] bytes, String what) {
            Module module = modules.get(key);
            if (module == null) {
                try {
                    module = new Module(engine, bytes);
                } catch (WasmtimeException e) {
                    throw new ModuleFormatException("not a valid WebAssembly module (" + what + "): "
                            + e.getMessage(), e);
                }
                modules.put(key, module);
            }
            return module;
        }

        /** Makes every store of this engine whose deadline is the next epoch trap (at its next epoch check). */
        void interrupt() {
            engine.incrementEpoch();
        }

        void dispose() {
            for (Module module : modules.values()) {
                module.dispose();
            }
            modules.clear();
            engine.dispose();
            LOG.debug("wasmtime engine disposed");
        }
    }
}
