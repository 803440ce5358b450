package io.forgeone.engine.chicory.internal;

import com.dylibso.chicory.runtime.ByteBufferMemory;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.ValType;
import io.forgeone.api.engine.EngineException;
import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.InstanceImage;
import io.forgeone.api.engine.InstanceLimits;
import io.forgeone.api.engine.LimitExceededException;
import io.forgeone.api.engine.LinkException;
import io.forgeone.api.engine.ModuleImport;
import io.forgeone.api.engine.WasmInstance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One Chicory instance of a {@link ChicoryModule}. Not thread-safe, like the API says. */
final class ChicoryInstance implements WasmInstance {

    private static final long[] NO_RESULTS = new long[0];

    private final ChicoryModule module;
    private final ChicoryGuestMemory memory;
    private final Map<String, Export> exports;
    /** Chicory's instance: its globals are what compiled and interpreted code read and write. */
    private final Instance instance;
    private volatile boolean closed;

    private record Export(ExportFunction function, FunctionSignature signature) {
    }

    private record ImportName(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    private ChicoryInstance(ChicoryModule module, ChicoryGuestMemory memory, Map<String, Export> exports,
            Instance instance) {
        this.module = module;
        this.instance = instance;
        this.memory = memory;
        this.exports = exports;
    }

    /**
     * Links {@code hostFunctions} to the module's function imports, applies {@code limits} and builds the instance,
     * running the module's start function. The WASI entry point {@code _start} is not run: that is the caller's
     * call.
     */
    static ChicoryInstance instantiate(ChicoryModule module, List<HostFunction> hostFunctions, InstanceLimits limits) {
        Objects.requireNonNull(hostFunctions, "imports");
        Objects.requireNonNull(limits, "limits");
        String where = "module " + module.id();
        if (!module.otherImports().isEmpty()) {
            throw new LinkException("cannot link " + where + ": it imports " + String.join(", ", module.otherImports())
                    + ", which no host can provide (only function imports of numeric types are supported)");
        }
        ChicoryGuestMemory memory = new ChicoryGuestMemory();
        ImportValues imports = link(module, hostFunctions, memory);
        int maxPages = limits.maxMemoryPages();
        for (MemoryLimits declared : module.memories()) {
            if (declared.initialPages() > maxPages) {
                throw new LimitExceededException(where + " needs " + declared.initialPages()
                        + " initial memory pages, more than the instance limit of " + maxPages + " pages");
            }
        }

        Instance.Builder builder = Instance.builder(module.wasm())
                .withMachineFactory(module.machineFactory())
                .withImportValues(imports)
                // "_start" is WASI's entry point; the start section (if any) still runs
                .withStart(false)
                // Builds every memory, the first (index 0) with the limits below and any further ones
                // (multi-memory) with their declared ones, so cap those here too.
                .withMemoryFactory(declared -> memory.attach(new ByteBufferMemory(capped(declared, maxPages))));
        if (!module.memories().isEmpty()) {
            builder.withMemoryLimits(capped(module.memories().get(0), maxPages));
        }
        Instance instance;
        try {
            instance = builder.build();
        } catch (RuntimeException | StackOverflowError e) {
            throw Failures.translate(e, where, true);
        }

        Map<String, Export> exports = new HashMap<>();
        for (Map.Entry<String, FunctionSignature> export : module.functionExports().entrySet()) {
            exports.put(export.getKey(), new Export(instance.export(export.getKey()), export.getValue()));
        }
        return new ChicoryInstance(module, memory, exports, instance);
    }

    private static ImportValues link(ChicoryModule module, List<HostFunction> hostFunctions, GuestMemory memory) {
        Map<ImportName, HostFunction> offered = new LinkedHashMap<>();
        for (HostFunction function : hostFunctions) {
            Objects.requireNonNull(function, "imports contains null");
            HostFunction previous = offered.putIfAbsent(new ImportName(function.module(), function.name()), function);
            if (previous != null) {
                throw new IllegalArgumentException("imports offer two host functions for " + function.module() + "."
                        + function.name());
            }
        }
        List<ImportFunction> linked = new ArrayList<>();
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
                linked.add(new com.dylibso.chicory.runtime.HostFunction(wanted.module(), wanted.name(),
                        Types.functionType(wanted.signature()), new HostCall(name.toString(), function, memory)));
            }
        }
        if (!problems.isEmpty()) {
            throw new LinkException("cannot link module " + module.id() + ": " + String.join("; ", problems));
        }
        return ImportValues.builder().withFunctions(linked).build();
    }

    /** The declared limits with the maximum lowered to {@code maxPages}; a module without a maximum gets that one. */
    private static MemoryLimits capped(MemoryLimits declared, int maxPages) {
        if (declared.maximumPages() <= maxPages) {
            return declared;
        }
        return new MemoryLimits(declared.initialPages(), maxPages, declared.shared());
    }

    /**
     * {@inheritDoc}
     *
     * <p>When the call is stopped by an interrupt, the thread's interrupt status stays set: the interrupt was meant
     * for whoever runs the thread, and the next call on it would stop at once until that code clears it.
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
        List<?> params = target.signature().params();
        if (args.length != params.size()) {
            throw new EngineException("export '" + export + "' of module " + module.id() + " takes " + params.size()
                    + " arguments " + params + ", not " + args.length);
        }
        long[] results;
        try {
            results = target.function().apply(args);
        } catch (RuntimeException | StackOverflowError e) {
            throw Failures.translate(e, "export '" + export + "'", false);
        }
        return results == null ? NO_RESULTS : results;
    }

    @Override
    public GuestMemory memory() {
        return memory;
    }

    @Override
    public InstanceImage image() {
        long size = memory.size();
        if (size > Integer.MAX_VALUE - InstanceImage.PAGE_BYTES) {
            throw new EngineException("memory of " + this + " is " + size + " bytes, more than an image holds (2 GiB)");
        }
        byte[] bytes = new byte[(int) size];
        if (size > 0) {
            memory.read(0, bytes, 0, bytes.length);
        }
        int count = instance.globalCount();
        long[] globals = new long[count];
        for (int i = 0; i < count; i++) {
            GlobalInstance g = instance.global(i);
            if (g.getType().equals(ValType.V128)) {
                throw new EngineException("global " + i + " of " + this + " is a v128, which images do not hold");
            }
            globals[i] = g.getValue();
        }
        return new InstanceImage(bytes, globals);
    }

    @Override
    public void restore(InstanceImage image) {
        int count = instance.globalCount();
        if (image.globals().length != count) {
            throw new EngineException("the image has " + image.globals().length + " globals, but " + this + " has "
                    + count + ": not an image of this module");
        }
        long size = memory.size();
        if (image.memory().length < size) {
            throw new EngineException("the image's memory (" + image.memoryPages() + " pages) is smaller than the "
                    + "fresh instance's (" + size / InstanceImage.PAGE_BYTES + " pages): not an image of this module");
        }
        if (image.memory().length > size) {
            int grow = (int) ((image.memory().length - size) / InstanceImage.PAGE_BYTES);
            if (instance.memory().grow(grow) < 0) {
                throw new LimitExceededException("the image's memory of " + image.memoryPages()
                        + " pages does not fit the instance's memory limit");
            }
        }
        if (image.memory().length > 0) {
            memory.write(0, image.memory(), 0, image.memory().length);
        }
        for (int i = 0; i < count; i++) {
            instance.global(i).setValue(image.globals()[i]);
        }
    }

    /** Closing only refuses further calls; the memory stays readable for whoever holds the instance. */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "instance of " + module;
    }
}
