package io.forgeone.engine.wasmtime.internal;

import static io.forgeone.engine.wasmtime.internal.TestModules.LIMITS;
import static io.forgeone.engine.wasmtime.internal.TestModules.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.engine.CompiledModule;
import io.forgeone.api.engine.ExecutionInterruptedException;
import io.forgeone.api.engine.InstanceLimits;
import io.forgeone.api.engine.LimitExceededException;
import io.forgeone.api.engine.WasmInstance;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the wasmtime engine does differently: memory limit by rewriting, one engine per instance, deactivation. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WasmtimeIsolationTest {

    private final WasmtimeEngine engine = TestModules.engine();

    @AfterEach
    void deactivate() {
        engine.deactivate();
    }

    @Test
    void aMemoryBombStopsAtTheLimit() {
        CompiledModule module = engine.compile(bytes("membomb.wasm"));
        try (WasmInstance instance = engine.instantiate(module, List.of(), new InstanceLimits(16))) {
            // 1 GiB at once: wasmtime alone grants it (it has no limiter); the rewritten maximum refuses it
            assertArrayEquals(new long[] {-1}, instance.call("grow", 16384));
            assertArrayEquals(new long[] {1}, instance.call("grow", 15));
            assertArrayEquals(new long[] {-1}, instance.call("grow", 1));
            assertArrayEquals(new long[] {16}, instance.call("pages"));
            assertEquals(16L * 65536, instance.memory().size());
        }
    }

    @Test
    void theLimitNeverExceedsWhatAHostBufferCanView() {
        CompiledModule module = engine.compile(bytes("membomb.wasm"));
        try (WasmInstance instance = engine.instantiate(module, List.of(), new InstanceLimits(InstanceLimits.MAX_PAGES))) {
            assertArrayEquals(new long[] {-1}, instance.call("grow", WasmtimeInstance.MAX_PAGES));
        }
        CompiledModule big = engine.compile(bytes("big_memory.wasm"));
        LimitExceededException e = assertThrows(LimitExceededException.class,
                () -> engine.instantiate(big, List.of(), new InstanceLimits(99)));
        assertTrue(e.getMessage().contains("instance limit of 99 pages"), e.getMessage());
    }

    @Test
    void compilingAfterAnInstanceUnderASmallLimitStillAcceptsModulesThatStartAboveIt() {
        // compile() prepares the code for the last instance's limit; a module that cannot fit it is compiled as is
        engine.instantiate(engine.compile(bytes("add.wasm")), List.of(), new InstanceLimits(16)).close();
        CompiledModule big = engine.compile(bytes("big_memory.wasm"));
        assertThrows(LimitExceededException.class, () -> engine.instantiate(big, List.of(), new InstanceLimits(16)));
        engine.instantiate(big, List.of(), new InstanceLimits(100)).close();
        try (WasmInstance bomb = engine.instantiate(engine.compile(bytes("membomb.wasm")), List.of(),
                new InstanceLimits(100))) {
            assertArrayEquals(new long[] {1}, bomb.call("grow", 99));
            assertArrayEquals(new long[] {-1}, bomb.call("grow", 1));
        }
    }

    @Test
    void rewritingCapsTheDeclaredMaximumAndLeavesFittingModulesAlone() {
        WasmBinary memory = WasmBinary.parse(bytes("memory.wasm"));
        assertEquals(10, memory.memories().get(0).maximum().getAsLong());
        assertSame(memory.bytes(), memory.capped(10));
        assertSame(memory.bytes(), memory.capped(16));
        WasmBinary capped = WasmBinary.parse(memory.capped(4));
        assertEquals(4, capped.memories().get(0).maximum().getAsLong());
        assertEquals(2, capped.memories().get(0).initial());
        assertEquals(memory.functionExports(), capped.functionExports());
        assertEquals("memory", capped.memoryExport());

        WasmBinary unbounded = WasmBinary.parse(bytes("unbounded_memory.wasm"));
        assertTrue(unbounded.memories().get(0).maximum().isEmpty());
        assertEquals(3, WasmBinary.parse(unbounded.capped(3)).memories().get(0).maximum().getAsLong());

        // no memory export: one is added, after the existing function exports
        WasmBinary traps = WasmBinary.parse(bytes("traps.wasm"));
        assertEquals(null, traps.memoryExport());
        WasmBinary exported = WasmBinary.parse(traps.capped(16));
        assertEquals(WasmBinary.MEMORY_EXPORT, exported.memoryExport());
        assertEquals(traps.functionExports(), exported.functionExports());

        // no memory at all: nothing to change
        WasmBinary add = WasmBinary.parse(bytes("add.wasm"));
        assertSame(add.bytes(), add.capped(1));
    }

    @Test
    void interruptingOneGuestLeavesTheOthersRunning() throws Exception {
        CompiledModule module = engine.compile(bytes("traps.wasm"));
        WasmInstance first = engine.instantiate(module, List.of(), LIMITS);
        WasmInstance second = engine.instantiate(module, List.of(), LIMITS);
        AtomicReference<Throwable> firstThrew = new AtomicReference<>();
        AtomicReference<Throwable> secondThrew = new AtomicReference<>();
        Thread one = spin(first, firstThrew);
        Thread two = spin(second, secondThrew);
        Thread.sleep(100);

        long interruptedAt = System.nanoTime();
        one.interrupt();
        one.join(1000);
        long stoppedWithin = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - interruptedAt);
        assertFalse(one.isAlive(), "the interrupted guest is still running");
        assertTrue(stoppedWithin < 200, "took " + stoppedWithin + " ms");
        assertTrue(firstThrew.get() instanceof ExecutionInterruptedException, String.valueOf(firstThrew.get()));

        Thread.sleep(100);
        assertTrue(two.isAlive(), "the other guest was stopped too: " + secondThrew.get());
        two.interrupt();
        two.join(1000);
        assertFalse(two.isAlive());
        assertTrue(secondThrew.get() instanceof ExecutionInterruptedException, String.valueOf(secondThrew.get()));
        first.close();
        second.close();
    }

    private static Thread spin(WasmInstance instance, AtomicReference<Throwable> threw) {
        Thread thread = new Thread(() -> {
            try {
                instance.call("spin");
            } catch (Throwable e) {
                threw.set(e);
            }
        }, "guest-spin");
        thread.start();
        return thread;
    }

    @Test
    void anEngineGoesBackToThePoolAndItsNextInstanceIsNotStoppedByAnOldInterrupt() throws Exception {
        CompiledModule module = engine.compile(bytes("traps.wasm"));
        assertEquals(1, engine.pool().idleCount());
        WasmInstance instance = engine.instantiate(module, List.of(), LIMITS);
        assertEquals(0, engine.pool().idleCount());
        AtomicReference<Throwable> threw = new AtomicReference<>();
        Thread thread = spin(instance, threw);
        Thread.sleep(50);
        thread.interrupt();
        thread.join(1000);
        assertTrue(threw.get() instanceof ExecutionInterruptedException, String.valueOf(threw.get()));
        instance.close();
        assertEquals(1, engine.pool().idleCount());
        assertEquals(0, engine.watcher().watching());

        // the same engine, its epoch advanced by the interrupt: a new deadline is set for every call
        try (WasmInstance next = engine.instantiate(module, List.of(), LIMITS)) {
            assertArrayEquals(new long[] {42}, next.call("answer"));
            assertArrayEquals(new long[] {42}, next.call("answer"));
        }
    }

    @Test
    void anInterruptedThreadStopsAtOnceAndTheInstanceWorksOnceItIsCleared() {
        try (WasmInstance instance = engine.instantiate(engine.compile(bytes("traps.wasm")), List.of(), LIMITS)) {
            Thread.currentThread().interrupt();
            try {
                assertThrows(ExecutionInterruptedException.class, () -> instance.call("spin"));
            } finally {
                assertTrue(Thread.interrupted());
            }
            assertArrayEquals(new long[] {42}, instance.call("answer"));
        }
    }

    @Test
    void damagedModulesAreRefusedWithAModuleFormatErrorAndNothingElse() {
        // every byte of every test module flipped in turn: the engine's own reading of the module (memory limits,
        // exports) must fail as cleanly as wasmtime's validation does
        int refused = 0;
        for (String name : List.of("add.wasm", "host.wasm", "imports.wasm", "memory.wasm", "membomb.wasm",
                "start.wasm", "traps.wasm", "exit.wasm")) {
            byte[] original = bytes(name);
            for (int i = 0; i < original.length; i++) {
                byte[] damaged = original.clone();
                damaged[i] ^= (byte) 0xff;
                try {
                    CompiledModule module = engine.compile(damaged);
                    WasmBinary.parse(damaged).capped(4);
                    assertEquals(module.sha256().length(), 64);
                } catch (io.forgeone.api.engine.ModuleFormatException e) {
                    refused++;
                }
            }
        }
        assertTrue(refused > 100, "only " + refused + " damaged modules refused");
    }

    @Test
    void aDeactivatedEngineRefusesNewInstances() {
        CompiledModule module = engine.compile(bytes("add.wasm"));
        WasmInstance open = engine.instantiate(module, List.of(), LIMITS);
        engine.deactivate();
        assertThrows(IllegalStateException.class, () -> engine.instantiate(module, List.of(), LIMITS));
        // an instance made before keeps working until it is closed, and then frees its engine
        assertArrayEquals(new long[] {3}, open.call("add", 1, 2));
        open.close();
        assertEquals(0, engine.pool().idleCount());
    }
}
