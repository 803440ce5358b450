package io.forgeone.api.observe;

import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Forensic replay: runs a traced module again with every host call answered from its trace (results and the
 * memory the call wrote) instead of the host, so no file, clock, random source or network is touched.
 */
@ProviderType
public interface ReplayService {

    /**
     * Replays a run.
     *
     * @param trace a trace file, or the folder of a run's trace files
     * @param module the module to run, or {@code null} for the one named in the trace; its SHA-256 must be the
     *     traced module's
     * @throws TraceFormatException when the trace cannot be read
     * @throws TraceException when the module cannot be found, does not match or cannot run
     */
    ReplayReport replay(Path trace, Path module);
}
