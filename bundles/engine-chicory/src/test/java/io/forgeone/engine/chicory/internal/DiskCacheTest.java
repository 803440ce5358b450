package io.forgeone.engine.chicory.internal;

import static io.forgeone.engine.chicory.internal.TestModules.LIMITS;
import static io.forgeone.engine.chicory.internal.TestModules.bytes;
import static io.forgeone.engine.chicory.internal.TestModules.host;
import static io.forgeone.engine.chicory.internal.TestModules.signature;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.forgeone.api.engine.CompiledModule;
import io.forgeone.api.engine.ExecutionMode;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.TrapException;
import io.forgeone.api.engine.ValueType;
import io.forgeone.api.engine.WasmInstance;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

/** The disk cache of compiled modules through the engine: each new engine stands for a new process. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DiskCacheTest {

    @TempDir
    Path temp;

    /** A configuration as DS builds it: the given properties, defaults for the rest. */
    private static ChicoryEngineConfig config(Map<String, Object> properties) {
        return (ChicoryEngineConfig) Proxy.newProxyInstance(ChicoryEngineConfig.class.getClassLoader(),
                new Class<?>[] {ChicoryEngineConfig.class}, (proxy, method, args) -> {
                    String property = method.getName().replace('_', '.');
                    return properties.getOrDefault(property, method.getDefaultValue());
                });
    }

    private static ChicoryEngine engine(Path dir) {
        return new ChicoryEngine(config(Map.of("compiled.cache.dir", dir.toString())));
    }

    private static String sha256(String module) {
        return Sha256.hex(bytes(module));
    }

    private Path entry(Path dir, String module) {
        return CompiledCodeStore.open(dir, 1024 * 1024).orElseThrow().entryFile(sha256(module));
    }

    private static void assertAddWorks(ChicoryEngine engine, CompiledModule module) {
        try (WasmInstance instance = engine.instantiate(module, List.of(), LIMITS)) {
            assertArrayEquals(new long[] {5}, instance.call("add", 2, 3));
            assertArrayEquals(new long[] {1L << 40}, instance.call("add64", (1L << 40) - 7, 7));
        }
    }

    @Test
    void aFreshEngineLoadsWhatAnotherCompiledWithoutGeneratingCode() {
        Path dir = temp.resolve("cache");
        ChicoryEngine first = engine(dir);
        CompiledModule compiled = first.compile(bytes("add.wasm"));
        assertEquals("", compiled.modeNote());
        assertEquals(1, first.codeGenerations());
        assertTrue(Files.isRegularFile(entry(dir, "add.wasm")));

        ChicoryEngine second = engine(dir);
        CompiledModule loaded = second.compile(bytes("add.wasm"));
        assertEquals(ExecutionMode.COMPILED, loaded.mode());
        assertEquals(ModuleCompiler.FROM_DISK, loaded.modeNote());
        assertEquals(1, second.compilations());
        assertEquals(0, second.codeGenerations(), "Chicory generated code although the disk had it");
        assertEquals(compiled.sha256(), loaded.sha256());
        assertEquals(compiled.functionExports(), loaded.functionExports());
        assertAddWorks(second, loaded);
    }

    @Test
    void modulesFromDiskRunTheirStartFunctionUseHostFunctionsAndTrap() {
        Path dir = temp.resolve("cache");
        ChicoryEngine first = engine(dir);
        for (String module : List.of("start.wasm", "host.wasm", "traps.wasm")) {
            first.compile(bytes(module));
        }
        ChicoryEngine second = engine(dir);
        CompiledModule start = second.compile(bytes("start.wasm"));
        CompiledModule host = second.compile(bytes("host.wasm"));
        CompiledModule traps = second.compile(bytes("traps.wasm"));
        assertEquals(0, second.codeGenerations());

        try (WasmInstance instance = second.instantiate(start, List.of(), LIMITS)) {
            assertArrayEquals(new long[] {7}, instance.call("state"));
        }
        HostFunction sum = host("env", "reverse", signature(List.of(ValueType.I32, ValueType.I32),
                List.of(ValueType.I32)), (memory, args) -> new long[] {memory.readByte(args[0])});
        try (WasmInstance instance = second.instantiate(host, List.of(sum), LIMITS)) {
            assertArrayEquals(new long[] {'h' + 'h'}, instance.call("run"));
        }
        try (WasmInstance instance = second.instantiate(traps, List.of(), LIMITS)) {
            assertThrows(TrapException.class, () -> instance.call("div", 1, 0));
            assertArrayEquals(new long[] {42}, instance.call("answer"));
        }
    }

    @Test
    void aCorruptedEntryIsIgnoredAndRewritten() throws IOException {
        Path dir = temp.resolve("cache");
        engine(dir).compile(bytes("add.wasm"));
        Path file = entry(dir, "add.wasm");
        byte[] good = Files.readAllBytes(file);
        byte[] corrupted = good.clone();
        corrupted[corrupted.length / 2] ^= 0x40;
        Files.write(file, corrupted);

        ChicoryEngine second = engine(dir);
        CompiledModule module = second.compile(bytes("add.wasm"));
        assertEquals("", module.modeNote());
        assertEquals(1, second.codeGenerations());
        assertAddWorks(second, module);
        assertFalse(Arrays.equals(corrupted, Files.readAllBytes(file)), "not rewritten");

        ChicoryEngine third = engine(dir);
        assertEquals(ModuleCompiler.FROM_DISK, third.compile(bytes("add.wasm")).modeNote());
        assertEquals(0, third.codeGenerations());
    }

    @Test
    void aTruncatedEntryIsIgnoredAndRewritten() throws IOException {
        Path dir = temp.resolve("cache");
        engine(dir).compile(bytes("add.wasm"));
        Path file = entry(dir, "add.wasm");
        byte[] good = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(good, good.length / 2));

        ChicoryEngine second = engine(dir);
        assertAddWorks(second, second.compile(bytes("add.wasm")));
        assertEquals(1, second.codeGenerations());
        assertEquals(ModuleCompiler.FROM_DISK, engine(dir).compile(bytes("add.wasm")).modeNote(), "not rewritten");
    }

    @Test
    void anEntryOfAnotherModuleIsRejected() throws IOException {
        Path dir = temp.resolve("cache");
        engine(dir).compile(bytes("traps.wasm"));
        // traps.wasm's classes filed under add.wasm's name: sound in itself, but not add.wasm's code
        Files.copy(entry(dir, "traps.wasm"), entry(dir, "add.wasm"));

        ChicoryEngine second = engine(dir);
        CompiledModule module = second.compile(bytes("add.wasm"));
        assertEquals("", module.modeNote());
        assertEquals(1, second.codeGenerations());
        assertAddWorks(second, module);

        ChicoryEngine third = engine(dir);
        CompiledModule rewritten = third.compile(bytes("add.wasm"));
        assertEquals(ModuleCompiler.FROM_DISK, rewritten.modeNote());
        assertAddWorks(third, rewritten);
    }

    @Test
    void aSoundEntryWhoseClassesDoNotLoadIsCompiledAgainAndReplaced() throws IOException {
        Path dir = temp.resolve("cache");
        CompiledCodeStore store = CompiledCodeStore.open(dir, 1024 * 1024).orElseThrow();
        // checksums fine, but not what Chicory wrote
        store.write(sha256("add.wasm"), "not Chicory's output".getBytes(StandardCharsets.UTF_8));

        ChicoryEngine engine = engine(dir);
        CompiledModule module = engine.compile(bytes("add.wasm"));
        assertEquals(ExecutionMode.COMPILED, module.mode(), module.modeNote());
        assertEquals("", module.modeNote());
        assertEquals(1, engine.codeGenerations());
        assertAddWorks(engine, module);

        ChicoryEngine next = engine(dir);
        assertEquals(ModuleCompiler.FROM_DISK, next.compile(bytes("add.wasm")).modeNote());
    }

    @Test
    void twoEnginesCompilingTheSameModuleAtOnceBothWork() throws Exception {
        Path dir = temp.resolve("cache");
        int engines = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(engines);
        try {
            List<Future<CompiledModule>> modules = new ArrayList<>();
            for (int i = 0; i < engines; i++) {
                ChicoryEngine engine = engine(dir);
                modules.add(pool.submit(() -> {
                    start.await();
                    CompiledModule module = engine.compile(bytes("traps.wasm"));
                    try (WasmInstance instance = engine.instantiate(module, List.of(), LIMITS)) {
                        assertArrayEquals(new long[] {42}, instance.call("answer"));
                    }
                    return module;
                }));
            }
            start.countDown();
            for (Future<CompiledModule> module : modules) {
                assertEquals(ExecutionMode.COMPILED, module.get(30, TimeUnit.SECONDS).mode());
            }
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(entry(dir, "traps.wasm")), files.toList(), "temporary files left behind");
        }
        ChicoryEngine next = engine(dir);
        assertEquals(ModuleCompiler.FROM_DISK, next.compile(bytes("traps.wasm")).modeNote());
    }

    @Test
    void anUnusableDirectoryMeansCompilingEveryTime() throws IOException {
        Path file = Files.writeString(temp.resolve("file"), "in the way");
        for (Path dir : List.of(file, file.resolve("cache"))) {
            ChicoryEngine engine = engine(dir);
            CompiledModule module = engine.compile(bytes("add.wasm"));
            assertEquals(ExecutionMode.COMPILED, module.mode());
            assertAddWorks(engine, module);
        }
    }

    @Test
    void aDirectoryOthersMayWriteToIsNotUsed() throws IOException {
        assumeTrue(temp.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path dir = Files.createDirectory(temp.resolve("shared"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        ChicoryEngine engine = engine(dir);
        assertAddWorks(engine, engine.compile(bytes("add.wasm")));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void theDirectoryGoingAwayDoesNotFailCompilation() throws IOException {
        Path dir = temp.resolve("cache");
        ChicoryEngine engine = engine(dir);
        Files.delete(dir);
        assertAddWorks(engine, engine.compile(bytes("add.wasm")));
        assertFalse(Files.exists(dir));
    }

    @Test
    void interpretedModulesAreNotKept() throws IOException {
        Path dir = temp.resolve("cache");
        ChicoryEngine engine = engine(dir);
        // too large for a JVM method: the compiler rejects it
        assertEquals(ExecutionMode.INTERPRETED, engine.compile(bytes("huge_function.wasm")).mode());
        ChicoryEngine interpreter = new ChicoryEngine(config(Map.of("compiled.cache.dir", dir.toString(),
                "compiler.enabled", false)));
        assertEquals(ExecutionMode.INTERPRETED, interpreter.compile(bytes("add.wasm")).mode());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void theNodesStateDirectoryIsTheDefault() {
        Path var = temp.resolve("var");
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> method.getName().equals("getProperty")
                        && EngineOptions.STATE_DIR_PROPERTY.equals(args[0]) ? var.toString() : null);
        ChicoryEngine engine = new ChicoryEngine(config(Map.of()), context);
        assertEquals(var.resolve("cache").resolve("chicory"), engine.options().compiledCacheDir().orElseThrow());
        engine.compile(bytes("add.wasm"));
        assertTrue(Files.isRegularFile(entry(var.resolve("cache").resolve("chicory"), "add.wasm")));

        // a configured directory wins; a bound of 0 turns the disk cache off
        Path configured = temp.resolve("configured");
        assertEquals(configured, new ChicoryEngine(config(Map.of("compiled.cache.dir", configured.toString())),
                context).options().compiledCacheDir().orElseThrow());
        assertTrue(new ChicoryEngine(config(Map.of("compiled.cache.max.mib", 0)), context).options()
                .compiledCacheDir().isEmpty());
    }

    @Test
    void outsideANodeThereIsNoDiskCacheUnlessConfigured() {
        assertTrue(new ChicoryEngine(config(Map.of())).options().compiledCacheDir().isEmpty());
        assertTrue(TestModules.engine(true).options().compiledCacheDir().isEmpty());
    }

    @Test
    void aChangedDirectoryIsAChangedConfiguration() {
        Path dir = temp.resolve("cache");
        ChicoryEngine engine = new ChicoryEngine(config(Map.of()));
        engine.compile(bytes("add.wasm"));
        engine.modified(config(Map.of("compiled.cache.dir", dir.toString())));
        engine.compile(bytes("add.wasm"));
        assertTrue(Files.isRegularFile(entry(dir, "add.wasm")));
    }

    @Test
    void aNegativeBoundIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ChicoryEngine(config(Map.of("compiled.cache.max.mib", -1))));
        assertTrue(e.getMessage().contains("compiled.cache.max.mib"), e.getMessage());
    }
}
