package io.forgeone.api.engine;

/** How an engine runs a compiled module. */
public enum ExecutionMode {
    /** Translated to host machine code (for Chicory: JVM bytecode). */
    COMPILED,
    /** Interpreted, for example because the compiler rejected the module. */
    INTERPRETED,
    /** Native code produced by an engine outside the JVM. */
    NATIVE
}
