package io.forgeone.engine.wasmtime.internal;

import io.forgeone.api.engine.EngineException;
import io.forgeone.api.engine.ExecutionInterruptedException;
import io.forgeone.api.engine.GuestExitException;
import io.forgeone.api.engine.TrapException;
import io.github.kawamuray.wasmtime.Trap;
import io.github.kawamuray.wasmtime.WasmFunctionError;

/**
 * Turns what comes out of wasmtime while guest code runs into the API's exceptions, the same ones the Chicory engine
 * raises: wasmtime-java reports a trap of the guest as {@code WasmFunctionError.TrapError} with its kind, and anything
 * else (including a host function's exception, which it does not keep) as a {@code WasmtimeException} with a message.
 */
final class Failures {

    private Failures() {
    }

    /**
     * @param failure what wasmtime-java threw
     * @param hostFailure the exception a host function threw during the call (kept by {@link HostCall}), or null
     * @param hostFunction the host function that threw it
     * @param interrupted whether the interrupt watcher stopped the call
     * @param where what was running, for the message, for example {@code export 'run'}
     * @return the exception to throw: a {@link GuestExitException} unchanged, otherwise an {@link EngineException}
     */
    static RuntimeException translate(RuntimeException failure, RuntimeException hostFailure, String hostFunction,
            boolean interrupted, String where) {
        if (hostFailure instanceof GuestExitException) {
            return hostFailure;
        }
        if (hostFailure != null) {
            if (Thread.currentThread().isInterrupted()) {
                // The usual reason for a host function to fail on an interrupted thread is the interrupt itself
                // (a blocking call it made gave up, or the kernel stopped it there), so report the call as interrupted.
                return new ExecutionInterruptedException("wasm execution interrupted in host function "
                        + hostFunction + " (" + where + ")", hostFailure);
            }
            return new TrapException("wasm trap: host function " + hostFunction + " failed: " + describe(hostFailure)
                    + " (" + where + ")", hostFailure);
        }
        Trap trap = failure instanceof WasmFunctionError.TrapError ? ((WasmFunctionError.TrapError) failure).trap()
                : null;
        if (interrupted || trap == Trap.INTERRUPT) {
            return new ExecutionInterruptedException("wasm execution interrupted (" + where + ")", failure);
        }
        if (trap != null) {
            return new TrapException("wasm trap: " + reason(trap) + " (" + where + ")", failure);
        }
        return new TrapException("wasm trap: " + unnamed(failure) + " (" + where + ")", failure);
    }

    /**
     * wasmtime-java reports some traps (those of a start function, for one) only as "error while executing" with a
     * wasm backtrace, without the kind of trap: keep the first frame, which says where.
     */
    private static String unnamed(RuntimeException failure) {
        String message = failure.getMessage();
        if (message == null) {
            return failure.getClass().getSimpleName();
        }
        String[] lines = message.strip().split("\\R");
        if (lines[0].startsWith("error while executing")) {
            String frame = lines.length > 1 ? lines[1].strip().replaceFirst("^0:\\s*", "") : "unknown place";
            return "guest failed (wasmtime does not name the trap here) at " + frame;
        }
        return String.join(" ", lines);
    }

    /** The same words the Chicory engine uses where there is an equivalent, so messages do not depend on the engine. */
    private static String reason(Trap trap) {
        return switch (trap) {
            case UNREACHABLE_CODE_REACHED -> "unreachable";
            case STACK_OVERFLOW -> "call stack exhausted";
            case MEMORY_OUT_OF_BOUNDS -> "out of bounds memory access";
            case INTEGER_DIVISION_BY_ZERO -> "integer divide by zero";
            case INTEGER_OVERFLOW -> "integer overflow";
            case BAD_CONVERSION_TO_INTEGER -> "invalid conversion to integer";
            case TABLE_OUT_OF_BOUNDS -> "out of bounds table access";
            case INDIRECT_CALL_TO_NULL -> "uninitialized element";
            case BAD_SIGNATURE -> "indirect call type mismatch";
            case HEAP_MISALIGNED -> "misaligned memory access";
            default -> trap.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        };
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null
                ? failure.getClass().getSimpleName()
                : failure.getClass().getSimpleName() + ": " + message.strip();
    }
}
