package io.forgeone.api.container;

import java.time.Duration;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs containers. Operations follow the OCI runtime (create, start, kill, delete, state); an operation that is
 * not allowed in the container's current state throws {@link ContainerStateException} and changes nothing.
 * Containers are addressed by id or by name.
 */
@ProviderType
public interface ContainerRuntime {

    /**
     * Creates a container: reads and compiles the module, checks that it is a command module whose imports can
     * be satisfied and that every preopen exists. Nothing runs yet.
     *
     * @throws ContainerSpecException when the spec cannot run (the message names the file, field and reason)
     */
    ContainerInfo create(ContainerSpec spec, ContainerIO io);

    /** Starts a created container's entry point on the runtime's thread pool and returns at once. */
    ContainerInfo start(String idOrName);

    /** Stops a running container (state becomes stopped, reason killed). */
    ContainerInfo kill(String idOrName);

    /** Deletes a created or stopped container and its logs. */
    ContainerInfo delete(String idOrName);

    /** The container's current state. */
    ContainerInfo state(String idOrName);

    /** Every container that is not deleted, oldest first. */
    List<ContainerInfo> list();

    /** The kept tail of the container's output. */
    ContainerLogs logs(String idOrName);

    /**
     * Waits until the container is stopped or the timeout passes, and returns its state either way.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    ContainerInfo await(String idOrName, Duration timeout) throws InterruptedException;

    /**
     * Pauses a running container at its next host call (as {@code docker pause}, but at a call boundary, so its
     * memory and WASI state are consistent there). A guest computing without host calls is paused when it next
     * makes one. Its wall-clock limit stops counting while it is paused.
     */
    default ContainerInfo pause(String idOrName) {
        throw new ContainerStateException("this runtime cannot pause containers");
    }

    /**
     * Resumes a paused container where it stopped. A container asked to pause that has not reached a host call yet
     * (still running) has the request withdrawn.
     */
    default ContainerInfo resume(String idOrName) {
        throw new ContainerStateException("this runtime cannot resume containers");
    }

    /**
     * Quarantines a running or paused container by hand: it is suspended at its next host call, kept with its memory,
     * and refused every further call until it is {@linkplain #release released} or killed.
     *
     * @param reason why, for the record
     */
    default ContainerInfo quarantine(String idOrName, String reason) {
        throw new ContainerStateException("this runtime cannot quarantine containers");
    }

    /**
     * Releases a quarantined container: its trust score is restored, the call it was stopped at gets its denial,
     * and it runs on under its policy.
     */
    default ContainerInfo release(String idOrName) {
        throw new ContainerStateException("this runtime cannot release containers");
    }

    /**
     * A container's running figures: host calls by function and decision, memory, CPU, bytes in and out.
     *
     * @throws ContainerNotFoundException when there is no such container
     * @throws UnsupportedOperationException when this runtime keeps no statistics
     */
    default ContainerStats stats(String idOrName) {
        throw new UnsupportedOperationException("this runtime keeps no container statistics");
    }

    /**
     * The figures of every container that is not deleted, oldest first (one pass, for scrapes).
     *
     * @throws UnsupportedOperationException when this runtime keeps no statistics
     */
    default List<ContainerStats> stats() {
        throw new UnsupportedOperationException("this runtime keeps no container statistics");
    }

    /**
     * How long the gate took to decide host calls, over every container since the runtime started. Runtimes may
     * time a sample of the calls rather than all of them (a clock read costs more than a decision).
     *
     * @throws UnsupportedOperationException when this runtime does not time the gate
     */
    default LatencyHistogram gateLatency() {
        throw new UnsupportedOperationException("this runtime does not time the gate");
    }

    /** The engines installed on the node, by name, with the bundle each comes from and what runs on it. */
    default List<EngineInfo> engines() {
        return List.of();
    }

    /** The capability providers installed on the node, by module, with the containers that use each. */
    default List<ProviderInfo> providers() {
        return List.of();
    }

    /**
     * Takes the image of a paused or quarantined container, held at a host call: its module, configuration,
     * memory, globals, descriptor table and the number of host calls it has made. The container stays as it was.
     *
     * @throws ContainerStateException when it is not paused or quarantined
     * @since 1.2
     */
    default ContainerImage capture(String idOrName) {
        throw new ContainerStateException("this runtime cannot capture containers");
    }

    /**
     * Creates a container that continues from an image: it runs the image's module with the image's configuration,
     * answers its first {@link HostCallJournal#calls()} host calls from {@code journal} without touching the host,
     * hands its state at the next call to {@link HostCallJournal#arrived}, then restores the image's descriptor
     * table and runs on live. If the re-execution diverges or arrives at another state, the container stops
     * (failed) with the journal's message before anything of the host was touched. Start it with {@link #start}.
     *
     * @param name the new container's name, or {@code null} for one the runtime chooses
     * @throws ContainerSpecException when the image cannot run here (engine missing, module does not compile, a
     *     preopen is missing)
     * @since 1.2
     */
    default ContainerInfo restore(ContainerImage image, String name, HostCallJournal journal, ContainerIO io) {
        throw new ContainerStateException("this runtime cannot restore containers");
    }

    /**
     * Makes a pre-initialised start image, as Wizer does: instantiates the module, calls its initialiser export with
     * every host call refused, and writes the module with the memory and globals it then has to {@code out} (a
     * {@code .fimg} file). A container created from that file (or from a package whose manifest names it as
     * {@code run.snapshot}) gets the image written into its instance before {@code _start} is called, and so skips
     * the initialisation.
     *
     * @param initExport the initialiser, for example {@code wizer.initialize}
     * @return the image written
     * @throws ContainerSpecException when the module cannot be read or compiled, has no such export, or the
     *     initialiser makes a host call or traps (the message says which)
     * @since 1.2
     */
    default io.forgeone.api.engine.InstanceImage preinitialise(java.nio.file.Path module, String initExport,
            java.nio.file.Path out) {
        throw new ContainerStateException("this runtime cannot make start images");
    }
}
