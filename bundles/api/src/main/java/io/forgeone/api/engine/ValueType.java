package io.forgeone.api.engine;

/** WebAssembly number types. Values travel as {@code long}: i32 sign-extended, f32/f64 as raw bits. */
public enum ValueType {
    I32, I64, F32, F64
}
