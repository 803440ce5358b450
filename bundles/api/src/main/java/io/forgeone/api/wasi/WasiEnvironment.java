package io.forgeone.api.wasi;

import io.forgeone.api.engine.HostFunction;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** One guest's WASI state (descriptors, preopens, args, env) and the host functions that act on it. */
@ProviderType
public interface WasiEnvironment extends AutoCloseable {

    /** Every {@code wasi_snapshot_preview1} function this provider implements. */
    List<HostFunction> hostFunctions();

    /** Closes every descriptor the guest left open. */
    @Override
    void close();
}
