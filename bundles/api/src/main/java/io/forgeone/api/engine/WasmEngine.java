package io.forgeone.api.engine;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A WebAssembly engine, published as an OSGi service with the property {@value #NAME_PROPERTY}. Engines come
 * and go with their bundles; the kernel looks them up at container start.
 */
@ProviderType
public interface WasmEngine {

    /** Service property holding the engine's name (also {@link #name()}). */
    String NAME_PROPERTY = "forge.engine.name";

    /** Short name people type, for example {@code chicory}. */
    String name();

    /** One line: implementation and version, for example {@code Chicory 1.7.5 (runtime compiler)}. */
    String description();

    /**
     * Validates and compiles a module. Engines cache compiled modules by SHA-256, so compiling the same
     * bytes twice returns the cached module.
     *
     * @throws ModuleFormatException when the bytes are not a valid WebAssembly module
     */
    CompiledModule compile(byte[] wasm);

    /**
     * Instantiates a module. {@code imports} must satisfy every function import by module, name and
     * signature, and the module may import nothing else.
     *
     * @throws LinkException when an import is missing or has the wrong signature
     * @throws LimitExceededException when the module's declared memory does not fit {@code limits}
     * @throws TrapException when the module's start function traps
     */
    WasmInstance instantiate(CompiledModule module, List<HostFunction> imports, InstanceLimits limits);
}
