package io.forgeone.cli.internal;

import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.container.StopReason;
import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.pkg.VerificationReport;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

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
    /** 128 + SIGXCPU, as a process over its CPU rlimit. */
    static final int CPU_LIMIT = 152;
    /** Killed: 128 + SIGKILL. */
    static final int KILLED = 137;
    /** 128 + SIGTERM: its engine or a capability provider it imports was removed while it ran. */
    static final int REMOVED = 143;
    /** forge could not run the module, or the host failed while running it. */
    static final int FAILED = 1;
    /** The command line was wrong. */
    static final int USAGE = 2;
    /** forge itself was interrupted (Ctrl-C): 128 + SIGINT. */
    static final int INTERRUPTED = 130;

    static final String PREFIX = "forge: error: ";

    /**
     * The exit code for a package refused or not handled for this reason: one code per reason, 10..20 in the
     * order the reasons are declared. Spelled out rather than computed from the ordinal so that a new reason in
     * the API cannot shift the codes scripts already test for (the switch stops compiling instead).
     */
    static int exitCode(PackageException.Reason reason) {
        return switch (reason) {
            case MALFORMED -> 10;
            case TOO_LARGE -> 11;
            case TAMPERED -> 12;
            case UNSIGNED -> 13;
            case UNTRUSTED_KEY -> 14;
            case REVOKED_KEY -> 15;
            case EXPIRED -> 16;
            case NOT_YET_VALID -> 17;
            case HYBRID_MISSING -> 18;
            case TRUST_STORE -> 19;
            case IO -> 20;
        };
    }

    /** The reason as people and scripts spell it: {@code untrusted-key}. */
    static String label(PackageException.Reason reason) {
        return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * A package refused or not handled: its reason's exit code and one line that names what was wrong. The
     * exception's message names the package, entry or key; the first failed check's detail is added when the
     * message does not already say it.
     */
    static Outcome of(PackageException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        String detail = e.report().flatMap(VerificationReport::firstFailure)
                .map(c -> c.name() + ": " + c.detail())
                .filter(d -> !message.contains(d.substring(d.indexOf(": ") + 2)))
                .orElse(null);
        String line = message.isEmpty() ? label(e.reason()) : message;
        if (detail != null) {
            line = line + " (" + detail + ")";
        }
        return new Outcome(exitCode(e.reason()), PREFIX + oneLine(line) + " [" + label(e.reason()) + "]");
    }

    /** The package exception in a chain of causes (the runtime wraps it in its own), or {@code null}. */
    static PackageException packageCause(Throwable t) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
            if (c instanceof PackageException) {
                return (PackageException) c;
            }
        }
        return null;
    }

    /** Folds line breaks, so that an error is one line on the terminal whatever a message holds. */
    static String oneLine(String text) {
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

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
            case CPU_LIMIT:
                return new Outcome(CPU_LIMIT, PREFIX + (message.isEmpty() ? "used its CPU time limit" : message));
            case KILLED:
                return new Outcome(KILLED, PREFIX + (message.isEmpty() || message.equals("killed")
                        ? "killed" : "killed (" + message + ")"));
            case REMOVED:
                return new Outcome(REMOVED, PREFIX + (message.isEmpty() ? "removed" : message));
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
