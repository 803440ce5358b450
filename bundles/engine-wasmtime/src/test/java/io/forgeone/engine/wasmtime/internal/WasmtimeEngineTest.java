package io.forgeone.engine.wasmtime.internal;

import static io.forgeone.api.engine.ValueType.F32;
import static io.forgeone.api.engine.ValueType.F64;
import static io.forgeone.api.engine.ValueType.I32;
import static io.forgeone.api.engine.ValueType.I64;
import static io.forgeone.engine.wasmtime.internal.TestModules.LIMITS;
import static io.forgeone.engine.wasmtime.internal.TestModules.bytes;
import static io.forgeone.engine.wasmtime.internal.TestModules.engine;
import static io.forgeone.engine.wasmtime.internal.TestModules.host;
import static io.forgeone.engine.wasmtime.internal.TestModules.signature;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.engine.CompiledModule;
import io.forgeone.api.engine.EngineException;
import io.forgeone.api.engine.ExecutionInterruptedException;
import io.forgeone.api.engine.ExecutionMode;
import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.GuestExitException;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.InstanceLimits;
import io.forgeone.api.engine.LimitExceededException;
import io.forgeone.api.engine.LinkException;
import io.forgeone.api.engine.ModuleFormatException;
import io.forgeone.api.engine.ModuleImport;
import io.forgeone.api.engine.TrapException;
import io.forgeone.api.engine.WasmEngine;
import io.forgeone.api.engine.WasmInstance;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine through the API: the same cases as the Chicory engine's tests, and wasmtime's own. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WasmtimeEngineTest {

    private static final FunctionSignature REVERSE = signature(List.of(I32, I32), List.of(I32));

    private static WasmInstance instantiate(String name, HostFunction... imports) {
        WasmtimeEngine engine = engine();
        return engine.instantiate(engine.compile(bytes(name)), List.of(imports), LIMITS);
    }

    @Test
    void namesItselfWasmtime() {
        WasmtimeEngine engine = engine();
        assertEquals("wasmtime", engine.name());
        assertEquals("wasmtime 7.0.1 (wasmtime-java 0.19.0) (native code by Cranelift; epoch interruption, no fuel)",
                engine.description());
    }

    @Test
    void isPublishedWithItsNameAsServiceProperty() throws Exception {
        // the component description bnd generated from the annotations (target/classes, before the tests run)
        try (InputStream xml = getClass().getResourceAsStream(
                "/OSGI-INF/" + WasmtimeEngine.class.getName() + ".xml")) {
            String component = new String(xml.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(component.contains("<provide interface=\"" + WasmEngine.class.getName() + "\"/>"), component);
            assertTrue(component.contains("<property name=\"" + WasmEngine.NAME_PROPERTY
                    + "\" type=\"String\" value=\"wasmtime\"/>"), component);
        }
    }

    @Test
    void compilesAndCallsAnExportedFunction() throws Exception {
        WasmtimeEngine engine = engine();
        byte[] wasm = bytes("add.wasm");
        CompiledModule module = engine.compile(bytes("add.wasm"));

        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(wasm)), module.sha256());
        assertEquals("wasmtime", module.engine());
        assertEquals(ExecutionMode.NATIVE, module.mode());
        assertEquals("", module.modeNote());
        assertEquals(List.of(), module.functionImports());
        assertEquals(List.of(), module.otherImports());
        assertEquals(0, module.initialMemoryPages());
        assertEquals(List.of("add", "add64", "mulf64", "negf32", "noop"),
                List.copyOf(module.functionExports().keySet()));
        assertEquals(signature(List.of(I32, I32), List.of(I32)), module.functionExports().get("add"));
        assertEquals(signature(List.of(F32), List.of(F32)), module.functionExports().get("negf32"));

        try (WasmInstance instance = engine.instantiate(module, List.of(), LIMITS)) {
            assertArrayEquals(new long[] {5}, instance.call("add", 2, 3));
            // i32 travels sign-extended
            assertArrayEquals(new long[] {-1}, instance.call("add", -3, 2));
            assertArrayEquals(new long[] {1L << 40}, instance.call("add64", (1L << 40) - 7, 7));
            long product = instance.call("mulf64", Double.doubleToRawLongBits(1.5), Double.doubleToRawLongBits(4))[0];
            assertEquals(6.0, Double.longBitsToDouble(product));
            long negated = instance.call("negf32", Float.floatToRawIntBits(2.5f))[0];
            assertEquals(-2.5f, Float.intBitsToFloat((int) negated));
            assertArrayEquals(new long[0], instance.call("noop"));
            assertEquals(0, instance.memory().size());
            assertEquals(0, instance.memoryPages());
        }
    }

    @Test
    void compilingTheSameBytesTwiceReturnsTheCachedModule() {
        WasmtimeEngine engine = engine();
        byte[] wasm = bytes("add.wasm");
        CompiledModule first = engine.compile(wasm);
        CompiledModule second = engine.compile(wasm.clone());

        assertSame(first, second);
        assertEquals(1, engine.compilations());
        CompiledModule other = engine.compile(bytes("memory.wasm"));
        assertTrue(other != first);
        assertEquals(2, engine.compilations());
    }

    @Test
    void theCacheHoldsWhatWasHashedEvenIfTheCallerChangesTheArray() {
        WasmtimeEngine engine = engine();
        byte[] wasm = bytes("add.wasm");
        CompiledModule module = engine.compile(wasm);
        Arrays.fill(wasm, (byte) 0);

        assertSame(module, engine.compile(bytes("add.wasm")));
        assertThrows(ModuleFormatException.class, () -> engine.compile(wasm));
    }

    @Test
    void rejectsTextAsNotAWebAssemblyModule() {
        byte[] text = "hello, this is not wasm".getBytes(StandardCharsets.UTF_8);
        ModuleFormatException e = assertThrows(ModuleFormatException.class, () -> engine().compile(text));
        assertTrue(e.getMessage().startsWith("not a WebAssembly module: bad magic number (starts with 68 65 6c 6c"),
                e.getMessage());
        assertTrue(e.getMessage().contains("23 bytes"), e.getMessage());
    }

    @Test
    void rejectsEmptyShortAndUnknownVersionBytes() {
        WasmtimeEngine engine = engine();
        assertTrue(assertThrows(ModuleFormatException.class, () -> engine.compile(new byte[0])).getMessage()
                .contains("bad magic number (no bytes"));
        assertTrue(assertThrows(ModuleFormatException.class, () -> engine.compile(new byte[] {0, 'a', 's', 'm', 1}))
                .getMessage().contains("header cut short after 5 bytes"));
        assertTrue(assertThrows(ModuleFormatException.class,
                () -> engine.compile(new byte[] {0, 'a', 's', 'm', 2, 0, 0, 0})).getMessage()
                .contains("binary version 02 00 00 00"));
        assertTrue(assertThrows(ModuleFormatException.class,
                () -> engine.compile(new byte[] {0, 'a', 's', 'm', 0x0d, 0, 1, 0})).getMessage()
                .contains("is a WebAssembly component"));
    }

    @Test
    void rejectsTruncatedAndInvalidModules() {
        WasmtimeEngine engine = engine();
        byte[] add = bytes("add.wasm");
        ModuleFormatException truncated = assertThrows(ModuleFormatException.class,
                () -> engine.compile(Arrays.copyOf(add, add.length - 3)));
        assertTrue(truncated.getMessage().startsWith("malformed module: section 10 at offset"), truncated.getMessage());
        assertTrue(truncated.getMessage().endsWith("past the end of the module"), truncated.getMessage());

        ModuleFormatException invalid = assertThrows(ModuleFormatException.class,
                () -> engine.compile(bytes("invalid_type.wasm")));
        assertTrue(invalid.getMessage().startsWith("not a valid WebAssembly module (module "), invalid.getMessage());
        assertTrue(invalid.getMessage().contains("failed to compile wasm function 0"), invalid.getMessage());

        // garbage after a valid header
        byte[] garbage = bytes("host.wasm");
        for (int i = 8; i < garbage.length; i += 3) {
            garbage[i] = (byte) 0xff;
        }
        assertThrows(ModuleFormatException.class, () -> engine.compile(garbage));
        // failures are not cached: compiling again compiles (and fails) again
        long before = engine.compilations();
        assertThrows(ModuleFormatException.class, () -> engine.compile(bytes("invalid_type.wasm")));
        assertEquals(before + 1, engine.compilations());
    }

    @Test
    void hostFunctionReadsAndWritesGuestMemory() {
        AtomicReference<long[]> seenArgs = new AtomicReference<>();
        HostFunction reverse = host("env", "reverse", REVERSE, (memory, args) -> {
            seenArgs.set(args.clone());
            byte[] bytes = memory.readBytes(args[0], (int) args[1]);
            int sum = 0;
            byte[] reversed = new byte[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                sum += bytes[i];
                reversed[bytes.length - 1 - i] = bytes[i];
            }
            memory.write(args[0], reversed);
            return new long[] {sum};
        });
        try (WasmInstance instance = instantiate("host.wasm", reverse)) {
            assertEquals("hello", instance.memory().readUtf8(16, 5));
            // 532 is the sum of "hello", 111 the 'o' the guest reads after the reversal
            assertArrayEquals(new long[] {532 + 111}, instance.call("run"));
            assertArrayEquals(new long[] {16, 5}, seenArgs.get());
            assertEquals("olleh", instance.memory().readUtf8(16, 5));
            assertEquals(1, instance.memoryPages());
        }
    }

    @Test
    void describesFunctionAndOtherImportsInOrder() {
        CompiledModule module = engine().compile(bytes("imports.wasm"));
        assertEquals(List.of(
                new ModuleImport("env", "first", signature(List.of(I64, F32), List.of(F64))),
                new ModuleImport("wasi_snapshot_preview1", "fd_write", signature(List.of(I32, I32, I32, I32),
                        List.of(I32)))),
                module.functionImports());
        assertEquals(List.of("env.memory", "env.table", "env.counter"), module.otherImports());
        assertEquals(Map.of("noop", signature(List.of(), List.of())), module.functionExports());
    }

    @Test
    void refusesToLinkNonFunctionImports() {
        WasmtimeEngine engine = engine();
        CompiledModule module = engine.compile(bytes("imports.wasm"));
        List<HostFunction> functions = List.of(
                host("env", "first", signature(List.of(I64, F32), List.of(F64)), (m, a) -> new long[] {0}),
                host("wasi_snapshot_preview1", "fd_write", signature(List.of(I32, I32, I32, I32), List.of(I32)),
                        (m, a) -> new long[] {0}));
        LinkException e = assertThrows(LinkException.class, () -> engine.instantiate(module, functions, LIMITS));
        assertTrue(e.getMessage().contains("env.memory, env.table, env.counter"), e.getMessage());
    }

    @Test
    void missingImportIsALinkError() {
        WasmtimeEngine engine = engine();
        CompiledModule module = engine.compile(bytes("host.wasm"));
        LinkException e = assertThrows(LinkException.class, () -> engine.instantiate(module, List.of(), LIMITS));
        assertTrue(e.getMessage().contains("no host function for env.reverse [I32, I32] -> [I32]"), e.getMessage());
    }

    @Test
    void importWithAnotherSignatureIsALinkError() {
        WasmtimeEngine engine = engine();
        CompiledModule module = engine.compile(bytes("host.wasm"));
        HostFunction wrong = host("env", "reverse", signature(List.of(I64, I32), List.of(I32)),
                (m, a) -> new long[] {0});
        LinkException e = assertThrows(LinkException.class,
                () -> engine.instantiate(module, List.of(wrong), LIMITS));
        assertTrue(e.getMessage().contains(
                "env.reverse has signature [I32, I32] -> [I32] in the module but [I64, I32] -> [I32] in the host"),
                e.getMessage());
    }

    @Test
    void extraHostFunctionsAreIgnoredButDuplicatesAreRefused() {
        WasmtimeEngine engine = engine();
        CompiledModule module = engine.compile(bytes("host.wasm"));
        HostFunction reverse = host("env", "reverse", REVERSE, (m, a) -> new long[] {0});
        HostFunction unused = host("env", "unused", signature(List.of(), List.of()), (m, a) -> new long[0]);
        engine.instantiate(module, List.of(reverse, unused), LIMITS).close();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> engine.instantiate(module, List.of(reverse, reverse), LIMITS));
        assertTrue(e.getMessage().contains("env.reverse"), e.getMessage());
    }

    @Test
    void memoryGrowsUpToTheInstanceLimitThenReturnsMinusOne() {
        WasmtimeEngine engine = engine();
        CompiledModule module = engine.compile(bytes("memory.wasm"));
        assertEquals(2, module.initialMemoryPages());

        // the limit (4) is below the module's declared maximum (10)
        try (WasmInstance instance = engine.instantiate(module, List.of(), new InstanceLimits(4))) {
            assertEquals(2, instance.memoryPages());
            assertArrayEquals(new long[] {2}, instance.call("grow", 1));
            assertArrayEquals(new long[] {-1}, instance.call("grow", 2));
            assertArrayEquals(new long[] {3}, instance.call("grow", 1));
            assertArrayEquals(new long[] {-1}, instance.call("grow", 1));
            assertArrayEquals(new long[] {4}, instance.call("pages"));
            assertEquals(4L * 65536, instance.memory().size());
        }
        // the module's declared maximum (10) is below the limit (16)
        try (WasmInstance instance = engine.instantiate(module, List.of(), new InstanceLimits(16))) {
            assertArrayEquals(new long[] {2}, instance.call("grow", 8));
            assertArrayEquals(new long[] {-1}, instance.call("grow", 1));
        }
    }

    @Test
    void memoryWithoutDeclaredMaximumStopsAtTheLimit() {
        try (WasmInstance instance = compileAndInstantiate("unbounded_memory.wasm",
                new InstanceLimits(3))) {
            assertArrayEquals(new long[] {1}, instance.call("grow", 2));
            assertArrayEquals(new long[] {-1}, instance.call("grow", 1));
            assertEquals(3, instance.memoryPages());
        }
    }

    private static WasmInstance compileAndInstantiate(String name, InstanceLimits limits) {
        WasmtimeEngine engine = engine();
        return engine.instantiate(engine.compile(bytes(name)), List.of(), limits);
    }

    @Test
    void initialMemoryAboveTheLimitIsRefused() {
        WasmtimeEngine engine = engine();
        CompiledModule module = engine.compile(bytes("big_memory.wasm"));
        assertEquals(100, module.initialMemoryPages());
        LimitExceededException e = assertThrows(LimitExceededException.class,
                () -> engine.instantiate(module, List.of(), new InstanceLimits(16)));
        assertTrue(e.getMessage().contains("needs 100 initial memory pages"), e.getMessage());
        assertTrue(e.getMessage().contains("instance limit of 16 pages"), e.getMessage());
        engine.instantiate(module, List.of(), new InstanceLimits(100)).close();
    }

    @Test
    void trapsBecomeTrapExceptionsAndTheInstanceStaysUsable() {
        try (WasmInstance instance = instantiate("traps.wasm")) {
            TrapException unreachable = assertThrows(TrapException.class, () -> instance.call("unreachable"));
            assertTrue(unreachable.getMessage().startsWith("wasm trap: unreachable"), unreachable.getMessage());
            assertArrayEquals(new long[] {42}, instance.call("answer"));

            TrapException divide = assertThrows(TrapException.class, () -> instance.call("div", 1, 0));
            assertTrue(divide.getMessage().startsWith("wasm trap: integer divide by zero"), divide.getMessage());
            assertTrue(assertThrows(TrapException.class, () -> instance.call("div", Integer.MIN_VALUE, -1))
                    .getMessage().startsWith("wasm trap: integer overflow"));
            assertArrayEquals(new long[] {-3}, instance.call("div", 7, -2));

            TrapException overflow = assertThrows(TrapException.class, () -> instance.call("recurse", 0));
            assertTrue(overflow.getMessage().startsWith("wasm trap: call stack exhausted"), overflow.getMessage());
            assertArrayEquals(new long[] {42}, instance.call("answer"));

            TrapException outOfBounds = assertThrows(TrapException.class, () -> instance.call("out_of_bounds"));
            assertTrue(outOfBounds.getMessage().startsWith("wasm trap: out of bounds memory access"),
                    outOfBounds.getMessage());
            assertArrayEquals(new long[] {42}, instance.call("answer"));
        }
    }

    @Test
    void theEngineStaysUsableAfterTraps() {
        WasmtimeEngine engine = engine();
        try (WasmInstance instance = engine.instantiate(engine.compile(bytes("traps.wasm")), List.of(), LIMITS)) {
            assertThrows(TrapException.class, () -> instance.call("recurse", 0));
        }
        try (WasmInstance instance = engine.instantiate(engine.compile(bytes("add.wasm")), List.of(), LIMITS)) {
            assertArrayEquals(new long[] {3}, instance.call("add", 1, 2));
        }
    }

    @Test
    void interruptStopsARunawayGuestWithinASecond() throws Exception {
        WasmInstance instance = instantiate("traps.wasm");
        CountDownLatch calling = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean interruptedAfterwards = new AtomicBoolean();
        AtomicReference<long[]> answerAfterwards = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            calling.countDown();
            try {
                instance.call("spin");
            } catch (Throwable e) {
                thrown.set(e);
            }
            // the interrupt status is left set for whoever runs the thread; clearing it makes the instance usable
            interruptedAfterwards.set(Thread.interrupted());
            answerAfterwards.set(instance.call("answer"));
        }, "guest-spin");
        worker.start();
        calling.await();
        Thread.sleep(100); // let the guest get into its loop
        long interruptedAt = System.nanoTime();
        worker.interrupt();
        worker.join(1000);
        long stoppedWithin = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - interruptedAt);

        assertTrue(!worker.isAlive(), "guest still running 1 s after the interrupt");
        assertTrue(stoppedWithin < 1000, "took " + stoppedWithin + " ms");
        assertTrue(thrown.get() instanceof ExecutionInterruptedException, String.valueOf(thrown.get()));
        assertTrue(thrown.get().getMessage().contains("export 'spin'"), thrown.get().getMessage());
        assertTrue(interruptedAfterwards.get(), "interrupt status was cleared");
        assertArrayEquals(new long[] {42}, answerAfterwards.get());
    }

    @Test
    void guestExitComesOutUnchanged() {
        GuestExitException exit = new GuestExitException(-1);
        AtomicReference<Long> code = new AtomicReference<>();
        HostFunction exitFunction = host("env", "exit", signature(List.of(I32), List.of()), (memory, args) -> {
            code.set(args[0]);
            throw exit;
        });
        HostFunction fail = host("env", "fail", signature(List.of(), List.of()), (memory, args) -> new long[0]);
        try (WasmInstance instance = instantiate("exit.wasm", exitFunction, fail)) {
            GuestExitException thrown = assertThrows(GuestExitException.class, () -> instance.call("quit", -1));
            assertSame(exit, thrown);
            assertEquals(-1L, code.get());
            assertArrayEquals(new long[0], instance.call("fail"));
        }
    }

    @Test
    void hostFunctionFailureTrapsTheGuest() {
        IllegalStateException boom = new IllegalStateException("boom");
        HostFunction exitFunction = host("env", "exit", signature(List.of(I32), List.of()), (m, a) -> new long[0]);
        HostFunction fail = host("env", "fail", signature(List.of(), List.of()), (memory, args) -> {
            throw boom;
        });
        try (WasmInstance instance = instantiate("exit.wasm", exitFunction, fail)) {
            TrapException trap = assertThrows(TrapException.class, () -> instance.call("fail"));
            assertSame(boom, trap.getCause());
            assertEquals("wasm trap: host function env.fail failed: IllegalStateException: boom (export 'fail')",
                    trap.getMessage());
            assertArrayEquals(new long[0], instance.call("quit", 0));
        }
    }

    @Test
    void hostFunctionReturningTheWrongNumberOfResultsTrapsTheGuest() {
        HostFunction reverse = host("env", "reverse", REVERSE, (memory, args) -> new long[0]);
        try (WasmInstance instance = instantiate("host.wasm", reverse)) {
            TrapException trap = assertThrows(TrapException.class, () -> instance.call("run"));
            assertTrue(trap.getMessage().contains("returned 0 values"), trap.getMessage());
        }
    }

    @Test
    void startFunctionRunsButNotTheWasiEntryPoint() {
        try (WasmInstance instance = instantiate("start.wasm")) {
            assertArrayEquals(new long[] {7}, instance.call("state"));
            instance.call("_start");
            assertArrayEquals(new long[] {99}, instance.call("state"));
        }
    }

    @Test
    void trappingStartFunctionFailsInstantiation() {
        WasmtimeEngine engine = engine();
        CompiledModule module = engine.compile(bytes("start_trap.wasm"));
        TrapException e = assertThrows(TrapException.class, () -> engine.instantiate(module, List.of(), LIMITS));
        // wasmtime-java does not tell a start function's trap by kind, only where it happened
        assertTrue(e.getMessage().startsWith("wasm trap: guest failed (wasmtime does not name the trap here) at "),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("(module " + module.sha256().substring(0, 12) + " (start))"), e.getMessage());
    }

    @Test
    void missingExportAndWrongArgumentsAreEngineErrors() {
        try (WasmInstance instance = instantiate("memory.wasm")) {
            EngineException missing = assertThrows(EngineException.class, () -> instance.call("nope"));
            assertEquals(EngineException.class, missing.getClass());
            assertTrue(missing.getMessage().contains("exports no function 'nope'"), missing.getMessage());
            // an export that is not a function is no function export either
            assertThrows(EngineException.class, () -> instance.call("memory"));

            EngineException arguments = assertThrows(EngineException.class, () -> instance.call("grow"));
            assertEquals(EngineException.class, arguments.getClass());
            assertTrue(arguments.getMessage().contains("takes 1 arguments [I32], not 0"), arguments.getMessage());
        }
    }

    @Test
    void closedInstanceRefusesCalls() {
        WasmInstance instance = instantiate("add.wasm");
        instance.close();
        instance.close();
        assertThrows(IllegalStateException.class, () -> instance.call("add", 1, 2));
    }

    @Test
    void moduleFromAnotherEngineIsRefused() {
        CompiledModule foreign = new CompiledModule() {
            @Override public String sha256() { return "00"; }
            @Override public String engine() { return "other"; }
            @Override public ExecutionMode mode() { return ExecutionMode.NATIVE; }
            @Override public String modeNote() { return ""; }
            @Override public List<ModuleImport> functionImports() { return List.of(); }
            @Override public List<String> otherImports() { return List.of(); }
            @Override public Map<String, FunctionSignature> functionExports() { return Map.of(); }
            @Override public int initialMemoryPages() { return 0; }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> engine().instantiate(foreign, List.of(), LIMITS));
        assertTrue(e.getMessage().contains("engine 'other'"), e.getMessage());
    }

}
