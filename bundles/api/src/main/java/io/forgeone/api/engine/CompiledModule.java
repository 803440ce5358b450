package io.forgeone.api.engine;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/** A validated, compiled module, ready to instantiate any number of times. Thread-safe. */
@ProviderType
public interface CompiledModule {

    /** Lower-case hex SHA-256 of the module bytes. */
    String sha256();

    /** Name of the engine that compiled it. */
    String engine();

    ExecutionMode mode();

    /** Why the module runs in {@link #mode()}, for example why the compiler rejected it; empty if nothing to say. */
    String modeNote();

    /** Function imports, in declaration order. */
    List<ModuleImport> functionImports();

    /** Non-function imports (memories, tables, globals) as {@code module.name}; no host can satisfy these yet. */
    List<String> otherImports();

    /** Exported functions by name. */
    Map<String, FunctionSignature> functionExports();

    /** Initial linear memory size in 64 KiB pages, or 0 when the module has no memory. */
    int initialMemoryPages();
}
