package io.forgeone.engine.chicory.internal;

import com.dylibso.chicory.wasm.Version;
import io.forgeone.api.engine.CompiledModule;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.InstanceLimits;
import io.forgeone.api.engine.WasmEngine;
import io.forgeone.api.engine.WasmInstance;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link WasmEngine} on Chicory, a WebAssembly runtime in pure Java: modules are compiled to JVM bytecode at
 * run time, or interpreted when the compiler cannot take them. Chicory (and the ASM it generates bytecode with) is
 * embedded in this bundle, so the generated classes link against this bundle's copy of Chicory's runtime.
 *
 * <p>Compiled modules are kept in memory and, so that a new process need not compile a module again, on disk
 * ({@link CompiledCodeStore}): by default in the node's state directory, {@code ${forge.var}/cache/chicory}.
 */
@Component(service = WasmEngine.class, configurationPid = ChicoryEngine.PID,
        property = WasmEngine.NAME_PROPERTY + "=" + ChicoryEngine.NAME)
@Designate(ocd = ChicoryEngineConfig.class)
public final class ChicoryEngine implements WasmEngine {

    static final String NAME = "chicory";
    static final String PID = "io.forgeone.engine.chicory";

    private static final Logger LOG = LoggerFactory.getLogger(ChicoryEngine.class);

    /** Options with the compiler and caches made for them, replaced as a whole when the configuration changes. */
    private record State(EngineOptions options, ModuleCompiler compiler, ModuleCache cache) {
        State(EngineOptions options) {
            this(options, new ModuleCompiler(options.compilerEnabled(), store(options)),
                    new ModuleCache(options.cacheSize()));
        }

        /** Interpreted modules have nothing to keep, so there is no store without the compiler. */
        private static Optional<CompiledCodeStore> store(EngineOptions options) {
            if (!options.compilerEnabled()) {
                return Optional.empty();
            }
            return options.compiledCacheDir()
                    .flatMap(dir -> CompiledCodeStore.open(dir, options.compiledCacheMaxBytes()));
        }
    }

    /** The node's state directory, where the disk cache goes by default; null outside a node. */
    private final String stateDir;
    private volatile State state;

    @Activate
    public ChicoryEngine(ChicoryEngineConfig config, BundleContext context) {
        this(config, context.getProperty(EngineOptions.STATE_DIR_PROPERTY));
    }

    /** Outside a framework: no disk cache unless the configuration names a directory. */
    ChicoryEngine(ChicoryEngineConfig config) {
        this(config, (String) null);
    }

    /**
     * @param stateDir the node's state directory; null outside a node, where there is no disk cache unless the
     *     configuration names a directory
     */
    ChicoryEngine(ChicoryEngineConfig config, String stateDir) {
        this(EngineOptions.from(config, stateDir), stateDir);
    }

    ChicoryEngine(EngineOptions options) {
        this(options, null);
    }

    private ChicoryEngine(EngineOptions options, String stateDir) {
        this.stateDir = stateDir;
        this.state = new State(Objects.requireNonNull(options, "options"));
        LOG.info("Chicory engine {} ready: {}", Version.version(), options);
    }

    /**
     * A changed configuration gets a fresh compiler and cache (modules compiled under the old one may run
     * differently); an unchanged one is ignored. Instances already made keep running.
     */
    @Modified
    void modified(ChicoryEngineConfig config) {
        EngineOptions options = EngineOptions.from(config, stateDir);
        if (options.equals(state.options())) {
            LOG.debug("Chicory engine configuration unchanged: {}", options);
            return;
        }
        state = new State(options);
        LOG.info("Chicory engine reconfigured, in-memory module cache cleared: {}", options);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Chicory " + Version.version() + (state.options().compilerEnabled()
                ? " (runtime compiler to JVM bytecode, interpreter fallback)"
                : " (interpreter only)");
    }

    @Override
    public CompiledModule compile(byte[] wasm) {
        Objects.requireNonNull(wasm, "wasm");
        // a private copy, so that what is hashed is what is compiled even if the caller reuses the array
        byte[] bytes = wasm.clone();
        String sha256 = Sha256.hex(bytes);
        State current = state;
        return current.cache().get(sha256, () -> current.compiler().compile(bytes, sha256));
    }

    @Override
    public WasmInstance instantiate(CompiledModule module, List<HostFunction> imports, InstanceLimits limits) {
        Objects.requireNonNull(module, "module");
        if (!(module instanceof ChicoryModule)) {
            throw new IllegalArgumentException("module " + module.sha256() + " was compiled by engine '"
                    + module.engine() + "', not by " + NAME);
        }
        return ChicoryInstance.instantiate((ChicoryModule) module, imports, limits);
    }

    /** Modules compiled since activation or the last configuration change; cache hits do not count. */
    long compilations() {
        return state.compiler().compilations();
    }

    /** Of {@link #compilations()}, those for which Chicory generated bytecode rather than loading it from disk. */
    long codeGenerations() {
        return state.compiler().codeGenerations();
    }

    EngineOptions options() {
        return state.options();
    }

    @Override
    public String toString() {
        return description();
    }
}
