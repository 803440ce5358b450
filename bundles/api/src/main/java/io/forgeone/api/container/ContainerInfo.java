package io.forgeone.api.container;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot of a container's state, as {@code inspect} shows it.
 *
 * @param id unique id
 * @param name name for people
 * @param state lifecycle state
 * @param module module file
 * @param moduleSha256 hex SHA-256 of the module
 * @param args argv including argv[0]
 * @param engine engine name
 * @param executionMode how the engine runs it ({@code COMPILED}, {@code INTERPRETED}, ...)
 * @param executionNote why it runs that way, empty if nothing to say
 * @param limits its limits
 * @param createdAt when it was created
 * @param startedAt when it started, or {@code null}
 * @param finishedAt when it stopped, or {@code null}
 * @param exitCode the exit code once stopped, or {@code null} while not stopped
 * @param stopReason why it stopped, or {@code null} while not stopped
 * @param message a one-line explanation of the stop (trap message, timeout), empty if none
 * @param hostCalls host calls the gate allowed
 * @param deniedHostCalls host calls the gate denied
 * @param trustScore the gate's trust score for it (100 is full trust; violations lower it), -1 if the gate keeps none
 * @param suspendedAt when it was paused or quarantined, or {@code null} while not suspended
 * @param suspendReason why it was paused or quarantined (the violation), empty if it is not suspended
 */
public record ContainerInfo(String id, String name, ContainerState state, String module, String moduleSha256,
        List<String> args, String engine, String executionMode, String executionNote, ContainerLimits limits,
        Instant createdAt, Instant startedAt, Instant finishedAt, Integer exitCode, StopReason stopReason,
        String message, long hostCalls, long deniedHostCalls, int trustScore, Instant suspendedAt,
        String suspendReason) {
    public ContainerInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        args = List.copyOf(args);
        message = message == null ? "" : message;
        executionNote = executionNote == null ? "" : executionNote;
        suspendReason = suspendReason == null ? "" : suspendReason;
    }

    /** A container the gate keeps no trust score for, not suspended. */
    public ContainerInfo(String id, String name, ContainerState state, String module, String moduleSha256,
            List<String> args, String engine, String executionMode, String executionNote, ContainerLimits limits,
            Instant createdAt, Instant startedAt, Instant finishedAt, Integer exitCode, StopReason stopReason,
            String message, long hostCalls, long deniedHostCalls) {
        this(id, name, state, module, moduleSha256, args, engine, executionMode, executionNote, limits, createdAt,
                startedAt, finishedAt, exitCode, stopReason, message, hostCalls, deniedHostCalls, -1, null, "");
    }

    public ContainerInfo withState(ContainerState newState) {
        return new ContainerInfo(id, name, newState, module, moduleSha256, args, engine, executionMode, executionNote,
                limits, createdAt, startedAt, finishedAt, exitCode, stopReason, message, hostCalls, deniedHostCalls, trustScore,
                suspendedAt, suspendReason);
    }
}
