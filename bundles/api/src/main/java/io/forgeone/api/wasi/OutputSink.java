package io.forgeone.api.wasi;

import org.osgi.annotation.versioning.ConsumerType;

/** Where a guest's stdout or stderr bytes go, as they are written. Must not keep {@code bytes}. */
@ConsumerType
@FunctionalInterface
public interface OutputSink {
    OutputSink DISCARD = (bytes, offset, length) -> { };

    void write(byte[] bytes, int offset, int length);
}
