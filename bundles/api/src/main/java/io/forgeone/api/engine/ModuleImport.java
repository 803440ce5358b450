package io.forgeone.api.engine;

import java.util.Objects;

/** A function a module imports. */
public record ModuleImport(String module, String name, FunctionSignature signature) {
    public ModuleImport {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(signature, "signature");
    }

    @Override
    public String toString() {
        return module + "." + name + " " + signature;
    }
}
