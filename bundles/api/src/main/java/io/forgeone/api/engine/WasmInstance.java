package io.forgeone.api.engine;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An instantiated module. Not thread-safe: one thread calls into it at a time. A call is stopped by
 * interrupting the thread running it, which raises {@link ExecutionInterruptedException}.
 */
@ProviderType
public interface WasmInstance extends AutoCloseable {

    /**
     * Calls an exported function.
     *
     * @throws TrapException when the guest traps (including a host function failure)
     * @throws ExecutionInterruptedException when the calling thread was interrupted
     * @throws GuestExitException when a host function ended the guest with an exit code
     * @throws EngineException when there is no such export or the arguments do not fit it
     */
    long[] call(String export, long... args);

    /** The instance's linear memory. */
    GuestMemory memory();

    /** Current linear memory size in pages. */
    default int memoryPages() {
        return (int) (memory().size() / 65536);
    }

    @Override
    void close();
}
