package io.forgeone.cli.internal;

import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerLimits;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.container.StopReason;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The remote commands' renderings for people, and the node's container JSON read back into {@link ContainerInfo}.
 * {@link #table} and {@link #status} are the shell bundle's {@code ContainerFormat} (forge:ps, forge:stop) line for
 * line: that class is private to the shell bundle, so the text is kept here, and RemoteCliIT checks on a real node
 * that {@code forge ps -a} over REST prints what {@code forge:ps -a} prints in the node's shell.
 */
final class ContainerTable {
    private ContainerTable() {
    }

    static String table(List<ContainerInfo> containers, Instant now) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-16s  %-24s  %-11s  %-8s  %-22s  %s%n", "ID", "NAME", "STATE", "ENGINE", "STATUS",
                "MODULE"));
        for (ContainerInfo c : containers) {
            out.append(String.format("%-16s  %-24s  %-11s  %-8s  %-22s  %s%n", c.id(), c.name(),
                    c.state().name().toLowerCase(Locale.ROOT), c.engine(), status(c, now), c.module()));
        }
        return out.toString();
    }

    /** Docker-style status: "Up 3s", "Exited (0) 5s ago", "Trapped (134) 1m ago", "Created". */
    static String status(ContainerInfo c, Instant now) {
        switch (c.state()) {
            case CREATED:
                return "Created";
            case RUNNING:
                return "Up " + ago(c.startedAt(), now);
            case PAUSED:
                return "Up " + ago(c.startedAt(), now) + " (Paused)";
            case QUARANTINED:
                return "Quarantined " + ago(c.suspendedAt(), now) + " ago";
            case STOPPED:
                String word;
                switch (c.stopReason()) {
                    case EXITED:
                        word = "Exited";
                        break;
                    case TRAPPED:
                        word = "Trapped";
                        break;
                    case TIMED_OUT:
                        word = "Timed out";
                        break;
                    case KILLED:
                        word = "Killed";
                        break;
                    case CPU_LIMIT:
                        word = "CPU limit";
                        break;
                    default:
                        word = "Failed";
                        break;
                }
                return word + " (" + c.exitCode() + ") " + ago(c.finishedAt(), now) + " ago";
            default:
                return "Deleted";
        }
    }

    static String ago(Instant then, Instant now) {
        if (then == null) {
            return "?";
        }
        Duration d = Duration.between(then, now);
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m";
        }
        if (s < 86400) {
            return (s / 3600) + "h";
        }
        return (s / 86400) + "d";
    }

    /** Whether forge:ps without -a shows it: running, paused or quarantined. */
    static boolean active(ContainerState state) {
        return state == ContainerState.RUNNING || state == ContainerState.PAUSED || state == ContainerState.QUARANTINED;
    }

    /**
     * The stats table: one row per container with what {@code GET /v1/containers/{id}/stats} reports. Byte
     * counts include output dropped from the node's kept tail.
     */
    static String stats(List<Map<String, Object>> rows) {
        StringBuilder out = new StringBuilder();
        String format = "%-16s  %-24s  %-11s  %8s  %10s  %8s  %10s  %10s%n";
        out.append(String.format(format, "ID", "NAME", "STATE", "UPTIME", "HOST CALLS", "DENIED", "STDOUT", "STDERR"));
        for (Map<String, Object> r : rows) {
            out.append(String.format(format, r.get("id"), r.getOrDefault("name", "-"), r.get("state"),
                    uptime(number(r, "uptimeMs")), number(r, "hostCalls"), number(r, "deniedHostCalls"),
                    bytes(number(r, "stdoutBytes")), bytes(number(r, "stderrBytes"))));
        }
        return out.toString();
    }

    /** 850ms, 12s, 3m4s, 2h5m, 1d3h. */
    static String uptime(long ms) {
        if (ms < 1000) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + (s % 60) + "s";
        }
        if (s < 86400) {
            return (s / 3600) + "h" + (s % 3600 / 60) + "m";
        }
        return (s / 86400) + "d" + (s % 86400 / 3600) + "h";
    }

    /** 512B, 1.5KiB, 12.0MiB, 2.0GiB. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + "B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f%s", v, units[i]);
    }

    private static long number(Map<String, Object> map, String key) {
        return map.get(key) instanceof Number n ? n.longValue() : 0L;
    }

    /**
     * A container as the node's JSON describes it ({@code GET /v1/containers/{id}}). Members the node does not
     * send (trust score, suspension) are absent, not wrong: the trust score is then "not kept".
     *
     * @throws NodeException ({@code bad_answer}) when a member the API promises is missing or malformed
     */
    static ContainerInfo info(Map<?, ?> json) {
        String id = string(json, "id");
        String name = string(json, "name");
        ContainerState state = state(json.get("state"));
        Map<?, ?> limits = json.get("limits") instanceof Map<?, ?> l ? l : Map.of();
        ContainerLimits containerLimits = new ContainerLimits(
                (int) longOr(limits, "maxMemoryPages", ContainerLimits.DEFAULT.maxMemoryPages()),
                Duration.ofMillis(longOr(limits, "wallTimeoutMs", ContainerLimits.DEFAULT.wallTimeout().toMillis())),
                (int) longOr(limits, "logBufferBytes", ContainerLimits.DEFAULT.logBufferBytes()),
                Duration.ofMillis(longOr(limits, "cpuTimeMs", 0)));
        Integer exitCode = json.get("exitCode") instanceof Number n ? n.intValue() : null;
        StopReason reason = null;
        if (json.get("stopReason") instanceof String r) {
            try {
                reason = StopReason.valueOf(r.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // a reason this client does not know yet: it stopped, for a reason it cannot name
                reason = StopReason.FAILED;
            }
        }
        List<String> args = json.get("args") instanceof List<?> list
                ? list.stream().map(String::valueOf).toList() : List.of();
        return new ContainerInfo(id, name, state, optional(json, "module"), optional(json, "moduleSha256"), args,
                optional(json, "engine"), optional(json, "executionMode"), optional(json, "executionNote"),
                containerLimits, time(json, "createdAt"), time(json, "startedAt"), time(json, "finishedAt"), exitCode,
                reason, optional(json, "message"), longOr(json, "hostCalls", 0), longOr(json, "deniedHostCalls", 0),
                (int) longOr(json, "trustScore", -1), time(json, "suspendedAt"), optional(json, "suspendReason"));
    }

    private static ContainerState state(Object value) {
        if (value instanceof String s) {
            try {
                return ContainerState.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new NodeException(0, NodeException.BAD_ANSWER, "the node sent a container state this forge"
                        + " does not know: '" + s + "' (a newer node?)", "state");
            }
        }
        throw new NodeException(0, NodeException.BAD_ANSWER, "the node sent a container without a state", "state");
    }

    private static String string(Map<?, ?> json, String key) {
        if (json.get(key) instanceof String s) {
            return s;
        }
        throw new NodeException(0, NodeException.BAD_ANSWER, "the node sent a container without '" + key + "'", key);
    }

    private static String optional(Map<?, ?> json, String key) {
        return json.get(key) instanceof String s ? s : null;
    }

    private static long longOr(Map<?, ?> json, String key, long fallback) {
        return json.get(key) instanceof Number n ? n.longValue() : fallback;
    }

    private static Instant time(Map<?, ?> json, String key) {
        if (!(json.get(key) instanceof String s)) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new NodeException(0, NodeException.BAD_ANSWER, "the node sent '" + key + "' as '" + s
                    + "', not an RFC 3339 time", key);
        }
    }
}
