package io.forgeone.api.container;

import io.forgeone.api.wasi.OutputSink;
import java.io.InputStream;
import java.util.Objects;

/**
 * Live streams attached to a container at creation. Output is always also kept in the container's bounded
 * log; the sinks here get each write as it happens (for example a terminal).
 *
 * @param stdin what the guest reads on descriptor 0, or {@code null} for nothing
 * @param stdout receives the guest's descriptor 1 as it is written
 * @param stderr receives the guest's descriptor 2 as it is written
 */
public record ContainerIO(InputStream stdin, OutputSink stdout, OutputSink stderr) {
    /** Nothing on stdin; output only in the container's log. */
    public static final ContainerIO DETACHED = new ContainerIO(null, OutputSink.DISCARD, OutputSink.DISCARD);

    public ContainerIO {
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }
}
