package io.forgeone.api.container;

import io.forgeone.api.engine.InstanceImage;
import io.forgeone.api.wasi.WasiState;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a suspended container holds outside its guest's call stack, taken at a host call: what it runs and
 * how (module, argv, the environment the gate admitted, preopens, limits, engine), how many host calls it has made,
 * and its instance and WASI state. The call it is held at has not run yet.
 *
 * @param containerId the container's id
 * @param name the container's name
 * @param spec the effective spec (limits as tightened by policy, environment as admitted)
 * @param argv the guest's argv, argv[0] included
 * @param module the module's bytes
 * @param moduleSha256 lower-case hex SHA-256 of {@code module}
 * @param engine the engine's name
 * @param hostCalls the host calls completed before the one it is held at
 * @param instance its memory and globals
 * @param wasi its descriptor table
 * @param labels its identity for the gate (package, publisher, ...)
 * @since 1.2
 */
public record ContainerImage(String containerId, String name, ContainerSpec spec, List<String> argv, byte[] module,
        String moduleSha256, String engine, long hostCalls, InstanceImage instance, WasiState wasi,
        Map<String, String> labels) {
    public ContainerImage {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spec, "spec");
        argv = List.copyOf(argv);
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(moduleSha256, "moduleSha256");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(wasi, "wasi");
        labels = Map.copyOf(labels);
        if (hostCalls < 0) {
            throw new IllegalArgumentException("hostCalls must not be negative, was " + hostCalls);
        }
    }
}
