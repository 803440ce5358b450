package io.forgeone.api.observe;

import io.forgeone.api.gate.GateContext;
import java.util.Objects;

/**
 * The container a recording is opened for, and what replaying it needs to know.
 *
 * @param identity who calls, as the gate sees it
 * @param module where the module came from (a file path as given to the runtime)
 * @param engine the engine's name
 * @param maxMemoryPages the guest's linear memory limit, in 64 KiB pages
 */
public record RecordingContext(GateContext identity, String module, String engine, int maxMemoryPages) {
    public RecordingContext {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(engine, "engine");
    }
}
