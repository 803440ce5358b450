package io.forgeone.engine.wasmtime.internal;

import io.forgeone.api.engine.CompiledModule;
import io.forgeone.api.engine.ExecutionMode;
import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.ModuleImport;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated module: its bytes and what the engine read from them. wasmtime's compiled code belongs to one wasmtime
 * engine, and each instance runs on an engine of its own (see {@link EnginePool}), so the machine code is kept per
 * pooled engine; this object is immutable and thread-safe.
 */
final class WasmtimeModule implements CompiledModule {

    private final String sha256;
    private final WasmBinary binary;

    WasmtimeModule(String sha256, WasmBinary binary) {
        this.sha256 = Objects.requireNonNull(sha256, "sha256");
        this.binary = Objects.requireNonNull(binary, "binary");
    }

    @Override
    public String sha256() {
        return sha256;
    }

    @Override
    public String engine() {
        return WasmtimeEngine.NAME;
    }

    @Override
    public ExecutionMode mode() {
        return ExecutionMode.NATIVE;
    }

    @Override
    public String modeNote() {
        return "";
    }

    @Override
    public List<ModuleImport> functionImports() {
        return binary.functionImports();
    }

    @Override
    public List<String> otherImports() {
        return binary.otherImports();
    }

    @Override
    public Map<String, FunctionSignature> functionExports() {
        return binary.functionExports();
    }

    @Override
    public int initialMemoryPages() {
        return binary.memories().isEmpty() ? 0 : (int) Math.min(Integer.MAX_VALUE, binary.memories().get(0).initial());
    }

    WasmBinary binary() {
        return binary;
    }

    /** Short name for messages and logs: the first 12 hex digits of the SHA-256. */
    String id() {
        return sha256.substring(0, 12);
    }

    @Override
    public String toString() {
        return "module " + id() + " (NATIVE)";
    }
}
