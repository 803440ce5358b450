package io.forgeone.api.container;

import io.forgeone.api.wasi.Preopen;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to run.
 *
 * @param name a name for people, or {@code null} to let the runtime choose one
 * @param module the WebAssembly command module (exports {@code _start})
 * @param args the guest's arguments after argv[0] (argv[0] is the module's file name)
 * @param env the guest's environment; the host's is never passed through
 * @param preopens host directories the guest may reach
 * @param engine the engine's name, or {@code null} for the runtime's default
 * @param limits resource limits
 */
public record ContainerSpec(String name, Path module, List<String> args, Map<String, String> env,
        List<Preopen> preopens, String engine, ContainerLimits limits) {
    public ContainerSpec {
        Objects.requireNonNull(module, "module");
        args = List.copyOf(Objects.requireNonNull(args, "args"));
        env = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(env, "env")));
        preopens = List.copyOf(Objects.requireNonNull(preopens, "preopens"));
        Objects.requireNonNull(limits, "limits");
    }

    /** A spec with no arguments, environment or directories, the default engine and default limits. */
    public static ContainerSpec of(Path module) {
        return new ContainerSpec(null, module, List.of(), Map.of(), List.of(), null, ContainerLimits.DEFAULT);
    }

    public ContainerSpec withName(String newName) {
        return new ContainerSpec(newName, module, args, env, preopens, engine, limits);
    }

    public ContainerSpec withArgs(List<String> newArgs) {
        return new ContainerSpec(name, module, newArgs, env, preopens, engine, limits);
    }

    public ContainerSpec withEnv(Map<String, String> newEnv) {
        return new ContainerSpec(name, module, args, newEnv, preopens, engine, limits);
    }

    public ContainerSpec withPreopens(List<Preopen> newPreopens) {
        return new ContainerSpec(name, module, args, env, newPreopens, engine, limits);
    }

    public ContainerSpec withEngine(String newEngine) {
        return new ContainerSpec(name, module, args, env, preopens, newEngine, limits);
    }

    public ContainerSpec withLimits(ContainerLimits newLimits) {
        return new ContainerSpec(name, module, args, env, preopens, engine, newLimits);
    }
}
