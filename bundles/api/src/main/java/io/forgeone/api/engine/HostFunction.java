package io.forgeone.api.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A function the host offers to a guest as an import. Engine-neutral: it sees guest memory only through
 * {@link GuestMemory} and its values as {@code long}s (see {@link ValueType}).
 *
 * <p>Host functions never reach an engine directly: the kernel wraps each one in the host-call gate
 * ({@code io.forgeone.api.gate}) before instantiation, so every call is decided and recorded first.
 */
@ConsumerType
public interface HostFunction {

    /** Import module name, for example {@code wasi_snapshot_preview1}. */
    String module();

    /** Import field name, for example {@code fd_write}. */
    String name();

    FunctionSignature signature();

    /**
     * Runs the call.
     *
     * @param memory the calling instance's linear memory
     * @param args one value per parameter
     * @return one value per result (an empty array when there are none)
     * @throws GuestExitException to end the guest with an exit code (proc_exit)
     * @throws RuntimeException any other exception becomes a trap of the guest
     */
    long[] call(GuestMemory memory, long[] args);

    /**
     * The call's arguments decoded for people and policy (paths, descriptors, flags, byte counts) rather
     * than raw integers. Only called when a gate or recorder asks for it, never on the plain fast path.
     */
    default Map<String, Object> describe(GuestMemory memory, long[] args) {
        Map<String, Object> described = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            described.put("arg" + i, args[i]);
        }
        return described;
    }

    /**
     * The error number returned to the guest (as the single i32 result) when the gate denies this call.
     * Empty means the function has no error channel, and a denial traps the guest instead.
     */
    default OptionalInt deniedErrno() {
        return OptionalInt.empty();
    }
}
