package io.forgeone.api.wasi;

import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one guest sees through WASI. Defaults deny: no arguments beyond argv[0], no environment, no
 * directories, no stdin, and output discarded, unless given here.
 *
 * @param args argv, including argv[0] (the program name)
 * @param env environment variables, in the order the guest sees them; the host's are never added
 * @param preopens directories, given to the guest as descriptors 3, 4, ... in this order
 * @param stdin guest descriptor 0, or {@code null} for an empty stream
 * @param stdout guest descriptor 1
 * @param stderr guest descriptor 2
 */
public record WasiConfig(List<String> args, Map<String, String> env, List<Preopen> preopens, InputStream stdin,
        OutputSink stdout, OutputSink stderr) {
    public WasiConfig {
        args = List.copyOf(Objects.requireNonNull(args, "args"));
        env = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(env, "env")));
        preopens = List.copyOf(Objects.requireNonNull(preopens, "preopens"));
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        for (String key : env.keySet()) {
            if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("environment variable name '" + key + "' is empty or holds '=' or NUL");
            }
        }
    }
}
