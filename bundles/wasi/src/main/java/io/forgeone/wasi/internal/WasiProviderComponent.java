package io.forgeone.wasi.internal;

import io.forgeone.api.wasi.WasiConfig;
import io.forgeone.api.wasi.WasiEnvironment;
import io.forgeone.api.wasi.WasiProvider;
import org.osgi.service.component.annotations.Component;

/** Publishes the Java wasi_snapshot_preview1 implementation. Stateless: all state lives in each environment. */
@Component(service = WasiProvider.class)
public final class WasiProviderComponent implements WasiProvider {

    @Override
    public WasiEnvironment create(WasiConfig config) {
        return new Preview1Environment(config);
    }
}
