package io.forgeone.engine.chicory.internal;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.WasmException;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.InvalidException;
import com.dylibso.chicory.wasm.UnlinkableException;
import io.forgeone.api.engine.EngineException;
import io.forgeone.api.engine.ExecutionInterruptedException;
import io.forgeone.api.engine.GuestExitException;
import io.forgeone.api.engine.LinkException;
import io.forgeone.api.engine.TrapException;
import io.forgeone.engine.chicory.internal.HostCall.HostCallFailure;

/**
 * Turns what comes out of Chicory while guest code runs into the API's exceptions. Chicory reports traps as
 * {@code TrapException} (unreachable), {@code WasmRuntimeException} (arithmetic, out of bounds) or a plain {@link
 * ChicoryException} wrapping the {@link StackOverflowError} ("call stack exhausted"), and interruption as {@link
 * ChicoryInterruptedException}; exceptions of host functions come through as thrown, in both the compiled and the
 * interpreted machine.
 */
final class Failures {

    private static final int MAX_CAUSE_DEPTH = 16;

    private Failures() {
    }

    /**
     * @param failure what Chicory threw
     * @param where what was running, for the message, for example {@code export 'run'}
     * @param instantiating whether the instance was being built (start function, segments) rather than called
     * @return the exception to throw: a {@link GuestExitException} unchanged, otherwise an {@link EngineException}
     */
    static RuntimeException translate(Throwable failure, String where, boolean instantiating) {
        GuestExitException exit = find(failure, GuestExitException.class);
        if (exit != null) {
            return exit;
        }
        HostCallFailure hostFailure = find(failure, HostCallFailure.class);
        if (hostFailure != null) {
            RuntimeException cause = hostFailure.failure();
            if (Thread.currentThread().isInterrupted()) {
                // The usual reason for a host function to fail on an interrupted thread is the interrupt itself
                // (a blocking call it made gave up), so report the call as interrupted, not as a guest fault.
                return new ExecutionInterruptedException("wasm execution interrupted in host function "
                        + hostFailure.qualifiedName() + " (" + where + ")", cause);
            }
            return new TrapException("wasm trap: host function " + hostFailure.qualifiedName() + " failed: "
                    + describe(cause) + " (" + where + ")", cause);
        }
        if (find(failure, ChicoryInterruptedException.class) != null) {
            return new ExecutionInterruptedException("wasm execution interrupted (" + where + ")", failure);
        }
        if (find(failure, StackOverflowError.class) != null) {
            return new TrapException("wasm trap: call stack exhausted (" + where + ")", failure);
        }
        if (failure instanceof WasmException) {
            return new TrapException("wasm trap: uncaught wasm exception with tag "
                    + ((WasmException) failure).tagIdx() + " (" + where + ")", failure);
        }
        if (instantiating && failure instanceof UnlinkableException) {
            return new LinkException("cannot link " + where + ": " + failure.getMessage(), failure);
        }
        if (instantiating && failure instanceof InvalidException) {
            return new EngineException("cannot instantiate " + where + ": " + failure.getMessage(), failure);
        }
        if (failure instanceof ChicoryException) {
            return new TrapException("wasm trap: " + reason((ChicoryException) failure) + " (" + where + ")", failure);
        }
        // Not Chicory's own: a fault of the engine while running the guest; the guest cannot go on either way.
        return new TrapException("wasm trap: " + describe(failure) + " (" + where + ")", failure);
    }

    private static String reason(ChicoryException failure) {
        // UninstantiableException wraps the start function's TrapException and repeats its message
        String message = failure.getMessage();
        if (message == null) {
            return failure.getClass().getSimpleName();
        }
        if (message.startsWith("Trapped on unreachable instruction")) {
            return "unreachable";
        }
        return message;
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null
                ? failure.getClass().getSimpleName()
                : failure.getClass().getSimpleName() + ": " + message;
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_CAUSE_DEPTH; depth++, current = current.getCause()) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
        }
        return null;
    }
}
