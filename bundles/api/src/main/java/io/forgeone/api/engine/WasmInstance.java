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

    /**
     * A copy of the instance's memory and globals. Call it on the instance's thread between calls, or from a host
     * function, or from another thread while the instance's thread is held at a host call (with a happens-before
     * edge, such as a monitor both threads take).
     *
     * @throws EngineException when the engine cannot read its instances' state
     * @since 1.1
     */
    default InstanceImage image() {
        throw new EngineException("this engine cannot take an image of an instance");
    }

    /**
     * Writes an image into this instance: grows memory to the image's size and copies it, and sets every global.
     * The image must come from an instance of the same module.
     *
     * @throws EngineException when the image does not fit this instance (memory larger than its limit, a different
     *     number of globals), or the engine cannot write its instances' state
     * @since 1.1
     */
    default void restore(InstanceImage image) {
        throw new EngineException("this engine cannot write an image into an instance");
    }

    @Override
    void close();
}
