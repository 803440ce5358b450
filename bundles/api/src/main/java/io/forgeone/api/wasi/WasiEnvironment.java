package io.forgeone.api.wasi;

import io.forgeone.api.engine.HostFunction;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** One guest's WASI state (descriptors, preopens, args, env) and the host functions that act on it. */
@ProviderType
public interface WasiEnvironment extends AutoCloseable {

    /** Every {@code wasi_snapshot_preview1} function this provider implements. */
    List<HostFunction> hostFunctions();

    /**
     * The descriptor table as it stands, for a snapshot. Call it while the guest is held at a host call.
     *
     * @throws UnsupportedOperationException when this provider cannot export its state
     * @since 1.1
     */
    default WasiState exportState() {
        throw new UnsupportedOperationException("this WASI provider cannot export its descriptor table");
    }

    /**
     * Brings the descriptor table to {@code state}: closes what is open beyond it and reopens every file and
     * directory below its preopen at the same number, with the same offset, flags and rights. The environment must
     * have been created with the configuration the state was exported from.
     *
     * @throws IllegalArgumentException when the state does not fit this environment, naming the descriptor and why
     *     (a preopen it does not have, a file that no longer exists, a path that leaves its preopen)
     * @since 1.1
     */
    default void restoreState(WasiState state) {
        throw new UnsupportedOperationException("this WASI provider cannot restore a descriptor table");
    }

    /** Closes every descriptor the guest left open. */
    @Override
    void close();
}
