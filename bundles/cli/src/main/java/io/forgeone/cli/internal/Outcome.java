package io.forgeone.cli.internal;

import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.container.StopReason;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@code forge run} tells the shell about a finished container: the process exit code and, unless the guest
 * exited by itself, one line for standard error. The codes are wasmtime's and the shell's conventions.
 *
 * @param exitCode the process exit code
 * @param message the line for standard error, or {@code null} when there is nothing to say
 */
record Outcome(int exitCode, String message) {
    /** The guest trapped: 128 + SIGABRT, as wasmtime exits on Unix. */
    static final int TRAPPED = 134;
    /** Ran past its --timeout: what timeout(1) returns. */
    static final int TIMED_OUT = 124;
    /** Killed: 128 + SIGKILL. */
    static final int KILLED = 137;
    /** forge could not run the module, or the host failed while running it. */
    static final int FAILED = 1;
    /** The command line was wrong. */
    static final int USAGE = 2;
    /** forge itself was interrupted (Ctrl-C): 128 + SIGINT. */
    static final int INTERRUPTED = 130;

    static final String PREFIX = "forge: error: ";

    /**
     * Maps a stopped container to the process outcome.
     *
     * @param info the container's final state
     * @param file the module's file name, named in a trap message
     * @param timeout the wall-clock limit it ran under, named when it timed out and the runtime said nothing
     */
    static Outcome of(ContainerInfo info, String file, Duration timeout) {
        Objects.requireNonNull(info, "info");
        if (info.state() != ContainerState.STOPPED && info.state() != ContainerState.DELETED
                || info.stopReason() == null) {
            return new Outcome(FAILED, PREFIX + "container " + info.name() + " is still "
                    + info.state().name().toLowerCase(Locale.ROOT));
        }
        StopReason reason = info.stopReason();
        String message = info.message();
        switch (reason) {
            case EXITED:
                return new Outcome(info.exitCode() == null ? 0 : info.exitCode(), null);
            case TRAPPED:
                String trap = message.isEmpty() ? "unknown trap" : message;
                if (!trap.toLowerCase(Locale.ROOT).startsWith("wasm trap")) {
                    trap = "wasm trap: " + trap;
                }
                return new Outcome(TRAPPED, PREFIX + trap + " (" + file + ")");
            case TIMED_OUT:
                return new Outcome(TIMED_OUT, PREFIX + (message.isEmpty()
                        ? "timed out after " + formatDuration(timeout) : message));
            case KILLED:
                return new Outcome(KILLED, PREFIX + (message.isEmpty() || message.equals("killed")
                        ? "killed" : "killed (" + message + ")"));
            case FAILED:
            default:
                return new Outcome(FAILED, PREFIX + (message.isEmpty() ? "the container failed" : message));
        }
    }

    /** 500ms, 30s, 2m, 1m30s, 1h; {@code 0} for no limit. */
    static String formatDuration(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        if (d.toMillis() % 1000 != 0 || d.toMillis() < 1000) {
            return d.toMillis() + "ms";
        }
        long s = d.getSeconds();
        StringBuilder out = new StringBuilder();
        if (s >= 3600) {
            out.append(s / 3600).append('h');
            s %= 3600;
        }
        if (s >= 60) {
            out.append(s / 60).append('m');
            s %= 60;
        }
        if (s > 0) {
            out.append(s).append('s');
        }
        return out.toString();
    }

    /** 64KiB, 256MiB, 1GiB, or a page count when it is not a whole number of those. */
    static String formatPages(int pages) {
        long bytes = pages * 65536L;
        if (bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "GiB";
        }
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "MiB";
        }
        return (bytes >> 10) + "KiB";
    }
}
