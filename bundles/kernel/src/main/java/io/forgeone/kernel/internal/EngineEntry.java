package io.forgeone.kernel.internal;

import io.forgeone.api.engine.WasmEngine;

/**
 * An engine service as the kernel bound it.
 *
 * @param bundleId the bundle that registered it, -1 when unknown (tests)
 */
record EngineEntry(WasmEngine engine, long bundleId) {
}
