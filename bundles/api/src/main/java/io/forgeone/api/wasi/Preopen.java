package io.forgeone.api.wasi;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A host directory made visible to the guest. It is the only way a guest reaches host files, and no path
 * resolved inside it may leave it.
 *
 * @param hostPath an existing host directory
 * @param guestPath the name the guest sees, for example {@code /data} or {@code .}
 */
public record Preopen(Path hostPath, String guestPath) {
    public Preopen {
        Objects.requireNonNull(hostPath, "hostPath");
        Objects.requireNonNull(guestPath, "guestPath");
        if (guestPath.isEmpty()) {
            throw new IllegalArgumentException("guest path of preopen " + hostPath + " is empty");
        }
    }

    /** Parses the wasmtime CLI spelling {@code HOST[::GUEST]}; without {@code ::GUEST} the guest sees HOST. */
    public static Preopen parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        int sep = spec.indexOf("::");
        String host = sep < 0 ? spec : spec.substring(0, sep);
        String guest = sep < 0 ? spec : spec.substring(sep + 2);
        if (host.isEmpty()) {
            throw new IllegalArgumentException("--dir '" + spec + "': host directory is empty");
        }
        if (guest.isEmpty()) {
            throw new IllegalArgumentException("--dir '" + spec + "': guest directory after '::' is empty");
        }
        return new Preopen(Path.of(host), guest);
    }
}
