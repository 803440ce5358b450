package io.forgeone.engine.chicory.internal;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.ImportSection;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.MemorySection;
import io.forgeone.api.engine.ExecutionMode;
import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.ModuleFormatException;
import io.forgeone.api.engine.ModuleImport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Parses and validates module bytes, then compiles them to JVM bytecode or, failing that, sets up the interpreter. */
final class ModuleCompiler {

    private static final Logger LOG = LoggerFactory.getLogger(ModuleCompiler.class);
    private static final byte[] MAGIC = {0x00, 0x61, 0x73, 0x6d};
    private static final int HEADER_SIZE = 8;
    private static final Function<Instance, Machine> INTERPRETER = InterpreterMachine::new;
    static final String FROM_DISK = "loaded from the disk cache of compiled modules";

    private final boolean compilerEnabled;
    private final Optional<CompiledCodeStore> store;
    private final LongAdder compilations = new LongAdder();
    private final LongAdder codeGenerations = new LongAdder();

    ModuleCompiler(boolean compilerEnabled) {
        this(compilerEnabled, Optional.empty());
    }

    /** @param store where compiled modules are kept across processes; empty for none */
    ModuleCompiler(boolean compilerEnabled, Optional<CompiledCodeStore> store) {
        this.compilerEnabled = compilerEnabled;
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * @param bytes the module, not modified afterwards by anyone
     * @param sha256 lower-case hex SHA-256 of {@code bytes}
     * @throws ModuleFormatException when the bytes are not a valid WebAssembly module
     */
    ChicoryModule compile(byte[] bytes, String sha256) {
        compilations.increment();
        String id = sha256.substring(0, 12);
        long started = System.nanoTime();
        checkHeader(bytes, id);
        WasmModule wasm = parse(bytes, id);

        List<ModuleImport> functionImports = new ArrayList<>();
        List<String> otherImports = new ArrayList<>();
        List<FunctionType> importedFunctionTypes = new ArrayList<>();
        ImportSection imports = wasm.importSection();
        for (int i = 0; i < imports.importCount(); i++) {
            Import imported = imports.getImport(i);
            String qualifiedName = imported.module() + "." + imported.name();
            if (imported.importType() == ExternalType.FUNCTION) {
                FunctionType type = wasm.typeSection().getType(((FunctionImport) imported).typeIndex());
                importedFunctionTypes.add(type);
                Optional<FunctionSignature> signature = Types.signature(type);
                if (signature.isPresent()) {
                    functionImports.add(new ModuleImport(imported.module(), imported.name(), signature.get()));
                } else {
                    // A host function only carries numbers, so nothing can satisfy this import either.
                    LOG.debug("Module {} imports function {} of type {}, which host functions cannot carry",
                            id, qualifiedName, type);
                    otherImports.add(qualifiedName);
                }
            } else {
                otherImports.add(qualifiedName);
            }
        }

        Map<String, FunctionSignature> functionExports = new LinkedHashMap<>();
        for (int i = 0; i < wasm.exportSection().exportCount(); i++) {
            Export export = wasm.exportSection().getExport(i);
            if (export.exportType() != ExternalType.FUNCTION) {
                continue;
            }
            int index = export.index();
            FunctionType type = index < importedFunctionTypes.size()
                    ? importedFunctionTypes.get(index)
                    : wasm.functionSection().getFunctionType(index - importedFunctionTypes.size(), wasm.typeSection());
            Optional<FunctionSignature> signature = Types.signature(type);
            if (signature.isPresent()) {
                functionExports.put(export.name(), signature.get());
            } else {
                LOG.debug("Module {} exports function {} of type {}, which callers cannot carry; leaving it out",
                        id, export.name(), type);
            }
        }

        List<MemoryLimits> memories = new ArrayList<>();
        Optional<MemorySection> memorySection = wasm.memorySection();
        if (memorySection.isPresent()) {
            for (int i = 0; i < memorySection.get().memoryCount(); i++) {
                memories.add(memorySection.get().getMemory(i).limits());
            }
        }

        Execution execution = compilerEnabled
                ? compileToBytecode(wasm, sha256, id)
                : new Execution(INTERPRETER, ExecutionMode.INTERPRETED,
                        "the compiler is disabled by configuration (compiler.enabled=false)");
        LOG.debug("Compiled module {} ({} bytes) for {}{} in {} ms", id, bytes.length, execution.mode(),
                execution.note().isEmpty() ? "" : " (" + execution.note() + ")",
                (System.nanoTime() - started) / 1_000_000);
        return new ChicoryModule(sha256, execution.mode(), execution.note(), functionImports, otherImports,
                functionExports, memories, wasm, execution.machineFactory());
    }

    /** How many modules this compiler has been asked to compile (cache misses). */
    long compilations() {
        return compilations.sum();
    }

    /** How many times Chicory ran its code generator (modules whose classes came from the disk cache do not count). */
    long codeGenerations() {
        return codeGenerations.sum();
    }

    private static void checkHeader(byte[] bytes, String id) {
        // Chicory's own messages for these cases read "section size mismatch, ..." even for a text file.
        if (bytes.length < MAGIC.length || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            int shown = Math.min(bytes.length, MAGIC.length);
            throw new ModuleFormatException("not a WebAssembly module: bad magic number ("
                    + (shown == 0 ? "no bytes" : "starts with " + HexFormat.ofDelimiter(" ").formatHex(bytes, 0, shown))
                    + ", expected 00 61 73 6d), module " + id + ", " + bytes.length + " bytes");
        }
        if (bytes.length < HEADER_SIZE) {
            throw new ModuleFormatException("not a WebAssembly module: header cut short after " + bytes.length
                    + " bytes, module " + id);
        }
        int version = (bytes[4] & 0xff) | (bytes[5] & 0xff) << 8;
        int layer = (bytes[6] & 0xff) | (bytes[7] & 0xff) << 8;
        if (layer == 1) {
            throw new ModuleFormatException("module " + id + " is a WebAssembly component (binary version " + version
                    + ", layer 1); only core modules are supported");
        }
        if (version != 1 || layer != 0) {
            throw new ModuleFormatException("module " + id + " has WebAssembly binary version "
                    + HexFormat.ofDelimiter(" ").formatHex(bytes, 4, HEADER_SIZE) + "; only version 1 is supported");
        }
    }

    private static WasmModule parse(byte[] bytes, String id) {
        try {
            return Parser.parse(bytes);
        } catch (ChicoryException e) {
            throw new ModuleFormatException("invalid WebAssembly module " + id + ": " + innermostMessage(e), e);
        } catch (RuntimeException e) {
            // Chicory's parser meets arbitrary bytes with index and buffer exceptions as well as its own.
            throw new ModuleFormatException("malformed WebAssembly module " + id + ": the parser failed with " + e, e);
        }
    }

    /** Chicory chains its parse errors, each adding a generic prefix; the innermost one says what is wrong. */
    private static String innermostMessage(ChicoryException e) {
        String message = e.getMessage();
        for (Throwable cause = e.getCause(); cause instanceof ChicoryException; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                message = cause.getMessage();
            }
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /** How a module runs: the machine factory and what the API reports about it. */
    private record Execution(Function<Instance, Machine> machineFactory, ExecutionMode mode, String note) {
    }

    private Execution compileToBytecode(WasmModule wasm, String sha256, String id) {
        Thread thread = Thread.currentThread();
        ClassLoader callersLoader = thread.getContextClassLoader();
        // Chicory defines the generated classes in a loader whose parent is the loader of its own classes (this
        // bundle's, as they are embedded), so they link against the same runtime classes. But on Java 17 it also
        // turns the generated constructor into a Function with MethodHandleProxies, which defines a proxy class in
        // the thread context class loader when the interface (java.util.function.Function) is a JDK one. An OSGi
        // caller's context loader need not see the JDK-internal interface the proxy also implements
        // (sun.invoke.WrapperInstance), so use the platform loader, which sees exactly the JDK. (Classes from the
        // disk cache go through the same steps.)
        thread.setContextClassLoader(ClassLoader.getPlatformClassLoader());
        try {
            Optional<ModuleCodeCache> disk = store.map(s -> new ModuleCodeCache(s, sha256, true));
            try {
                return compileWithChicory(wasm, disk);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                if (disk.isEmpty() || !disk.get().hit()) {
                    throw e;
                }
                // The entry passed its checksums, so it holds what was written, yet its classes did not load (a
                // build of Chicory that differs but calls itself the same version wrote it?): compile, replace it.
                LOG.debug("Module {} from the disk cache does not load, compiling it again", id, e);
                return compileWithChicory(wasm, store.map(s -> new ModuleCodeCache(s, sha256, false)));
            }
        } catch (RuntimeException | LinkageError | AssertionError e) {
            // FAIL makes Chicory throw for a function too large for a JVM method instead of printing a warning to
            // stderr and interpreting just that function. Whatever the compiler cannot handle (that, a verify error
            // in generated code, a class it cannot load) the interpreter still runs, so fall back to it. Chicory
            // stores nothing on disk for a module it failed to compile.
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.warn("Chicory's compiler rejected module {}, running it in the interpreter: {}", id, reason);
            LOG.debug("Compiler failure for module {}", id, e);
            return new Execution(INTERPRETER, ExecutionMode.INTERPRETED, "the compiler rejected the module: " + reason);
        } finally {
            thread.setContextClassLoader(callersLoader);
        }
    }

    /**
     * Compiles with Chicory's compiler, taking the classes from {@code disk} if it has them and storing them there if
     * not. The options here shape the stored code: changing them means raising {@link
     * CompiledCodeStore#FORMAT_VERSION}.
     */
    private Execution compileWithChicory(WasmModule wasm, Optional<ModuleCodeCache> disk) {
        MachineFactoryCompiler.Builder builder = MachineFactoryCompiler.builder(wasm)
                .withInterpreterFallback(InterpreterFallback.FAIL);
        disk.ifPresent(builder::withCache);
        try {
            Function<Instance, Machine> compiled = builder.compile();
            return disk.isPresent() && disk.get().hit()
                    ? new Execution(compiled, ExecutionMode.COMPILED, FROM_DISK)
                    : new Execution(compiled, ExecutionMode.COMPILED, "");
        } finally {
            if (disk.isEmpty() || !disk.get().hit()) {
                codeGenerations.increment();
            }
        }
    }
}
