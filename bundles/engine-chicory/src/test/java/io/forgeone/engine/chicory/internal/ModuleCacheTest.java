package io.forgeone.engine.chicory.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.engine.ModuleFormatException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ModuleCacheTest {

    private final ModuleCompiler compiler = new ModuleCompiler(true);

    private ChicoryModule compile(String name) {
        try {
            byte[] bytes = TestModules.bytes(name);
            String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            return compiler.compile(bytes, sha256);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void dropsTheLeastRecentlyUsedModule() {
        ModuleCache cache = new ModuleCache(2);
        ChicoryModule add = compile("add.wasm");
        ChicoryModule memory = compile("memory.wasm");
        ChicoryModule traps = compile("traps.wasm");
        AtomicInteger compilations = new AtomicInteger();

        assertSame(add, cache.get("add", counting(compilations, add)));
        assertSame(memory, cache.get("memory", counting(compilations, memory)));
        assertSame(add, cache.get("add", counting(compilations, add))); // now "memory" is the least recently used
        assertSame(traps, cache.get("traps", counting(compilations, traps)));
        assertEquals(3, compilations.get());
        assertEquals(2, cache.size());

        assertSame(add, cache.get("add", counting(compilations, add)));
        assertEquals(3, compilations.get());
        cache.get("memory", counting(compilations, memory));
        assertEquals(4, compilations.get());
    }

    @Test
    void concurrentRequestsForTheSameBytesCompileOnce() throws Exception {
        ModuleCache cache = new ModuleCache(4);
        ChicoryModule add = compile("add.wasm");
        AtomicInteger compilations = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Supplier<ChicoryModule> slow = () -> {
            compilations.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return add;
        };
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ChicoryModule>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> cache.get("add", slow)));
            }
            Thread.sleep(100);
            release.countDown();
            for (Future<ChicoryModule> result : results) {
                assertSame(add, result.get(10, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, compilations.get());
    }

    @Test
    void failuresAreNotCached() {
        ModuleCache cache = new ModuleCache(4);
        ModuleFormatException failure = new ModuleFormatException("bad");
        assertSame(failure, assertThrows(ModuleFormatException.class, () -> cache.get("x", () -> {
            throw failure;
        })));
        assertEquals(0, cache.size());
        ChicoryModule add = compile("add.wasm");
        assertSame(add, cache.get("x", () -> add));
    }

    @Test
    void aWaiterCompilesItselfWhenTheFirstCompilationFails() throws Exception {
        ModuleCache cache = new ModuleCache(4);
        ChicoryModule add = compile("add.wasm");
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch failFirst = new CountDownLatch(1);
        Thread first = new Thread(() -> assertThrows(IllegalStateException.class, () -> cache.get("x", () -> {
            firstStarted.countDown();
            try {
                failFirst.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("first attempt fails");
        })));
        first.start();
        firstStarted.await();
        ExecutorService waiter = Executors.newSingleThreadExecutor();
        try {
            Future<ChicoryModule> second = waiter.submit(() -> cache.get("x", () -> add));
            Thread.sleep(50);
            failFirst.countDown();
            assertSame(add, second.get(10, TimeUnit.SECONDS));
        } finally {
            waiter.shutdownNow();
        }
        first.join();
    }

    @Test
    void capacityMustBePositive() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ModuleCache(0)).getMessage().contains("0"));
    }

    private static Supplier<ChicoryModule> counting(AtomicInteger counter, ChicoryModule module) {
        return () -> {
            counter.incrementAndGet();
            return module;
        };
    }
}
