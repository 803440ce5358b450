package io.forgeone.engine.chicory.internal;

import com.dylibso.chicory.wasm.Version;
import io.forgeone.api.engine.CompiledModule;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.InstanceLimits;
import io.forgeone.api.engine.WasmEngine;
import io.forgeone.api.engine.WasmInstance;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
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
 */
@Component(service = WasmEngine.class, configurationPid = ChicoryEngine.PID,
        property = WasmEngine.NAME_PROPERTY + "=" + ChicoryEngine.NAME)
@Designate(ocd = ChicoryEngineConfig.class)
public final class ChicoryEngine implements WasmEngine {

    static final String NAME = "chicory";
    static final String PID = "io.forgeone.engine.chicory";

    private static final Logger LOG = LoggerFactory.getLogger(ChicoryEngine.class);

    /** Options with the compiler and cache made for them, replaced as a whole when the configuration changes. */
    private record State(EngineOptions options, ModuleCompiler compiler, ModuleCache cache) {
        State(EngineOptions options) {
            this(options, new ModuleCompiler(options.compilerEnabled()), new ModuleCache(options.cacheSize()));
        }
    }

    private volatile State state;

    @Activate
    public ChicoryEngine(ChicoryEngineConfig config) {
        this(EngineOptions.from(config));
    }

    ChicoryEngine(EngineOptions options) {
        this.state = new State(Objects.requireNonNull(options, "options"));
        LOG.info("Chicory engine {} ready: {}", Version.version(), options);
    }

    /**
     * A changed configuration gets a fresh compiler and cache (modules compiled under the old one may run
     * differently); an unchanged one is ignored. Instances already made keep running.
     */
    @Modified
    void modified(ChicoryEngineConfig config) {
        EngineOptions options = EngineOptions.from(config);
        if (options.equals(state.options())) {
            LOG.debug("Chicory engine configuration unchanged: {}", options);
            return;
        }
        state = new State(options);
        LOG.info("Chicory engine reconfigured, module cache cleared: {}", options);
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
        String sha256 = sha256(bytes);
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

    EngineOptions options() {
        return state.options();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return description();
    }
}
