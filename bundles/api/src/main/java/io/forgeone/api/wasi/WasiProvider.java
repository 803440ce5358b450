package io.forgeone.api.wasi;

import org.osgi.annotation.versioning.ProviderType;

/** Creates WASI environments; published as a service by the WASI bundle. */
@ProviderType
public interface WasiProvider {

    /** The WASI import module this provider implements. */
    String PREVIEW1 = "wasi_snapshot_preview1";

    /**
     * Creates the WASI state for one guest.
     *
     * @throws IllegalArgumentException when a preopen is not an existing directory (the message names it)
     */
    WasiEnvironment create(WasiConfig config);
}
