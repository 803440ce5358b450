package io.forgeone.itests;

/** The same WASI preview1 conformance programs as {@link WasiConformanceIT}, on the wasmtime engine. */
public class WasmtimeWasiConformanceIT extends WasiConformanceIT {

    @Override
    protected String engine() {
        return "wasmtime";
    }
}
