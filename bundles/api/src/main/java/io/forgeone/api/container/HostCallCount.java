package io.forgeone.api.container;

import io.forgeone.api.gate.Decision;
import java.util.Objects;

/**
 * How many calls of one host function the gate decided one way.
 *
 * @param call the function as {@code module.name}, e.g. {@code wasi_snapshot_preview1.fd_write}
 * @param decision what the gate decided
 * @param count how many times
 */
public record HostCallCount(String call, Decision decision, long count) {
    public HostCallCount {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(decision, "decision");
    }
}
