package io.forgeone.shell.internal;

import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Text renderings of containers for people: the table of ps and the page of inspect. */
final class ContainerFormat {
    private ContainerFormat() {
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
                    case REMOVED:
                        word = "Removed";
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

    static String page(ContainerInfo c) {
        StringBuilder out = new StringBuilder();
        line(out, "id", c.id());
        line(out, "name", c.name());
        line(out, "state", c.state().name().toLowerCase(Locale.ROOT));
        line(out, "module", c.module());
        line(out, "sha256", c.moduleSha256());
        line(out, "args", String.join(" ", c.args()));
        line(out, "engine", c.engine());
        line(out, "execution", c.executionMode() + (c.executionNote().isEmpty() ? "" : " (" + c.executionNote() + ")"));
        line(out, "max memory", c.limits().maxMemoryPages() + " pages (" + (c.limits().maxMemoryPages() * 64L) + " KiB)");
        line(out, "timeout", c.limits().wallTimeout().isZero() ? "none" : c.limits().wallTimeout().toString());
        line(out, "cpu time", c.limits().cpuTime().isZero() ? "no limit" : c.limits().cpuTime().toString());
        line(out, "log buffer", c.limits().logBufferBytes() + " bytes per stream");
        line(out, "created", String.valueOf(c.createdAt()));
        line(out, "started", c.startedAt() == null ? "-" : c.startedAt().toString());
        line(out, "finished", c.finishedAt() == null ? "-" : c.finishedAt().toString());
        if (c.state() == ContainerState.STOPPED) {
            line(out, "stop reason", c.stopReason().name().toLowerCase(Locale.ROOT));
            line(out, "exit code", String.valueOf(c.exitCode()));
            if (!c.message().isEmpty()) {
                line(out, "message", c.message());
            }
        }
        if (c.suspendedAt() != null) {
            line(out, c.state() == ContainerState.QUARANTINED ? "quarantined" : "paused", c.suspendedAt().toString());
            line(out, "why", c.suspendReason());
        }
        line(out, "host calls", c.hostCalls() + " allowed, " + c.deniedHostCalls() + " denied");
        line(out, "trust score", c.trustScore() < 0 ? "not kept (no policy gate)" : c.trustScore() + " / 100");
        return out.toString();
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(String.format("%-12s %s%n", key + ":", value));
    }
}
