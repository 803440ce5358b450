package io.forgeone.engine.chicory.internal;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import io.forgeone.api.engine.GuestExitException;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;

/**
 * Chicory's side of one host function import. A failure of the host function is wrapped in {@link HostCallFailure}
 * so that it can be told apart from Chicory's own exceptions when it comes out of the guest; {@link
 * GuestExitException} passes through untouched.
 */
final class HostCall implements WasmFunctionHandle {

    private static final long[] NO_RESULTS = new long[0];

    private final String qualifiedName;
    private final HostFunction function;
    private final GuestMemory memory;
    private final int resultCount;

    HostCall(String qualifiedName, HostFunction function, GuestMemory memory) {
        this.qualifiedName = qualifiedName;
        this.function = function;
        this.memory = memory;
        this.resultCount = function.signature().results().size();
    }

    @Override
    public long[] apply(Instance instance, long... args) {
        long[] results;
        try {
            results = function.call(memory, args);
        } catch (GuestExitException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new HostCallFailure(qualifiedName, e);
        }
        int returned = results == null ? 0 : results.length;
        if (returned != resultCount) {
            throw new HostCallFailure(qualifiedName, new IllegalStateException("host function " + qualifiedName
                    + " returned " + returned + " values, its signature " + function.signature() + " has "
                    + resultCount));
        }
        return results == null ? NO_RESULTS : results;
    }

    /** Carries a host function's exception through the guest's frames to {@link Failures}. */
    static final class HostCallFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String qualifiedName;

        HostCallFailure(String qualifiedName, RuntimeException cause) {
            // no stack trace of its own: the cause has the one that matters
            super("host function " + qualifiedName + " failed", cause, false, false);
            this.qualifiedName = qualifiedName;
        }

        String qualifiedName() {
            return qualifiedName;
        }

        /** The host function's own exception. */
        RuntimeException failure() {
            return (RuntimeException) getCause();
        }
    }
}
