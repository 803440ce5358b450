package io.forgeone.kernel.internal;

import io.forgeone.api.capability.CapabilityFunction;
import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;
import java.util.Map;
import java.util.OptionalInt;

/** A provider's host function carrying the capability its provider declared for it, for the gate to decide by. */
final class ProvidedHostFunction implements CapabilityFunction {
    private final HostFunction target;
    private final String capability;

    ProvidedHostFunction(HostFunction target, String capability) {
        this.target = target;
        this.capability = capability;
    }

    @Override
    public String capability() {
        return capability;
    }

    @Override
    public String module() {
        return target.module();
    }

    @Override
    public String name() {
        return target.name();
    }

    @Override
    public FunctionSignature signature() {
        return target.signature();
    }

    @Override
    public long[] call(GuestMemory memory, long[] args) {
        return target.call(memory, args);
    }

    @Override
    public Map<String, Object> describe(GuestMemory memory, long[] args) {
        return target.describe(memory, args);
    }

    @Override
    public OptionalInt deniedErrno() {
        return target.deniedErrno();
    }
}
