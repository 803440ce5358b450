package io.forgeone.wasi.internal;

import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.wasi.WasiConfig;
import io.forgeone.api.wasi.WasiEnvironment;
import io.forgeone.api.wasi.WasiState;
import java.util.List;
import java.util.Objects;

/** One guest's wasi_snapshot_preview1: its state and the host functions over it. */
final class Preview1Environment implements WasiEnvironment {
    private final WasiContext context;
    private final List<HostFunction> functions;

    Preview1Environment(WasiConfig config) {
        this(config, WasiContext.DEFAULT_DESCRIPTOR_LIMIT);
    }

    Preview1Environment(WasiConfig config, int descriptorLimit) {
        this.context = new WasiContext(Objects.requireNonNull(config, "config"), descriptorLimit);
        FunctionTable table = new FunctionTable();
        new ProcFunctions(context).register(table);
        new FdFunctions(context).register(table);
        new PathFunctions(context).register(table);
        new SocketFunctions(context).register(table);
        this.functions = table.functions();
    }

    @Override
    public List<HostFunction> hostFunctions() {
        return functions;
    }

    @Override
    public WasiState exportState() {
        return DescriptorStates.export(context);
    }

    @Override
    public void restoreState(WasiState state) {
        DescriptorStates.restore(context, state);
    }

    @Override
    public void close() {
        context.descriptors.closeAll();
    }

    /** For tests: how many descriptors are open. */
    int openDescriptors() {
        return context.descriptors.size();
    }
}
