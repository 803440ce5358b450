package io.forgeone.engine.chicory.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Compiled modules by SHA-256, least recently used dropped first. Thread-safe; concurrent requests for the same
 * key wait for one compilation instead of each compiling. Failures are not cached.
 */
final class ModuleCache {

    private final int capacity;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}; access-ordered, so iteration starts at the least recently used entry. */
    private final LinkedHashMap<String, CompletableFuture<ChicoryModule>> entries;

    ModuleCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("cache capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<ChicoryModule>> eldest) {
                return size() > ModuleCache.this.capacity;
            }
        };
    }

    /** The cached module for {@code sha256}, or the one {@code compiler} makes (on the calling thread). */
    ChicoryModule get(String sha256, Supplier<ChicoryModule> compiler) {
        while (true) {
            CompletableFuture<ChicoryModule> pending;
            boolean owner = false;
            synchronized (lock) {
                pending = entries.get(sha256);
                if (pending == null) {
                    pending = new CompletableFuture<>();
                    entries.put(sha256, pending);
                    owner = true;
                }
            }
            if (owner) {
                return compile(sha256, pending, compiler);
            }
            try {
                return pending.join();
            } catch (CompletionException e) {
                // Another thread's compilation of the same bytes failed and its entry is gone: compile here, so
                // this caller gets its own exception with its own stack trace.
                continue;
            }
        }
    }

    private ChicoryModule compile(String sha256, CompletableFuture<ChicoryModule> pending,
            Supplier<ChicoryModule> compiler) {
        ChicoryModule module;
        try {
            module = compiler.get();
        } catch (RuntimeException | Error e) {
            synchronized (lock) {
                entries.remove(sha256, pending);
            }
            pending.completeExceptionally(e);
            throw e;
        }
        pending.complete(module);
        return module;
    }

    int size() {
        synchronized (lock) {
            return entries.size();
        }
    }

    int capacity() {
        return capacity;
    }
}
