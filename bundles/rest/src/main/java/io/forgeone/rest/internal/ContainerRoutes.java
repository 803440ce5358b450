package io.forgeone.rest.internal;

import io.forgeone.api.auth.Role;
import io.forgeone.api.container.ContainerException;
import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerLimits;
import io.forgeone.api.container.ContainerLogs;
import io.forgeone.api.container.ContainerNotFoundException;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerSpecException;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.container.ContainerStateException;
import io.forgeone.api.pkg.PackageException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Containers: run, list, inspect, stop, kill, delete, logs (also streamed) and stats. */
final class ContainerRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerRoutes.class);
    private static final Set<String> RUN_FIELDS = Set.of("package", "module", "name", "args", "env", "engine",
            "timeoutMs", "maxMemoryPages", "start");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final long MAX_TIMEOUT_MS = Duration.ofDays(1).toMillis();

    private final NodeServices services;
    private final RestOptions options;
    private final Semaphore streams;

    ContainerRoutes(NodeServices services, RestOptions options) {
        this.services = services;
        this.options = options;
        this.streams = new Semaphore(options.maxStreams());
    }

    void register(Routes routes) {
        routes.add("GET", "/v1/containers", Role.VIEWER, Route.Body.NONE, this::list)
                .add("POST", "/v1/containers", Role.OPERATOR, Route.Body.JSON, this::run)
                .add("GET", "/v1/containers/{id}", Role.VIEWER, Route.Body.NONE, this::inspect)
                .add("DELETE", "/v1/containers/{id}", Role.OPERATOR, Route.Body.NONE, this::delete)
                .add("POST", "/v1/containers/{id}/stop", Role.OPERATOR, Route.Body.NONE, this::stop)
                .add("POST", "/v1/containers/{id}/kill", Role.OPERATOR, Route.Body.NONE, this::kill)
                .add("POST", "/v1/containers/{id}/pause", Role.OPERATOR, Route.Body.NONE, this::pause)
                .add("POST", "/v1/containers/{id}/resume", Role.OPERATOR, Route.Body.NONE, this::resume)
                .add("GET", "/v1/containers/{id}/logs", Role.VIEWER, Route.Body.NONE, this::logs)
                .add("GET", "/v1/containers/{id}/stats", Role.VIEWER, Route.Body.NONE, this::stats);
    }

    Reply list(Call call) {
        boolean all = call.flag("all");
        List<Object> out = new ArrayList<>();
        for (ContainerInfo info : services.containers().list()) {
            if (all || info.state() != ContainerState.STOPPED) {
                out.add(json(info));
            }
        }
        return Reply.ok(Map.of("containers", out));
    }

    Reply run(Call call) {
        JsonObject body = call.json().only(RUN_FIELDS);
        boolean hasPackage = body.has("package");
        boolean hasModule = body.has("module");
        if (hasPackage == hasModule) {
            throw new ApiError(400, hasPackage ? "invalid_field" : "missing_field",
                    "give exactly one of 'package' (a stored package id) or 'module' (an uploaded module id)",
                    hasPackage ? "module" : "package");
        }
        Path file;
        if (hasPackage) {
            String id = body.require("package", Routes.SHA256, "a package id (64 lowercase hex digits)");
            file = services.packageDirectory().resolve(id + ".forgepkg");
            if (!Files.isRegularFile(file)) {
                throw new ApiError(404, "package_not_found", "no stored package " + id, "package");
            }
        } else {
            String id = body.require("module", Routes.SHA256, "a module id (64 lowercase hex digits)");
            if (options.moduleDirectory() == null) {
                throw new ApiError(403, "modules_disabled", "this node runs only packages (allow.modules is off)",
                        "module");
            }
            file = options.moduleDirectory().resolve(id + ".wasm");
            if (!Files.isRegularFile(file)) {
                throw new ApiError(404, "module_not_found", "no uploaded module " + id, "module");
            }
        }
        ContainerLimits limits = ContainerLimits.DEFAULT;
        long timeout = body.integer("timeoutMs", 0, MAX_TIMEOUT_MS).orElse(-1L);
        if (timeout >= 0) {
            limits = limits.withWallTimeout(Duration.ofMillis(timeout));
        }
        long pages = body.integer("maxMemoryPages", 1, 65536).orElse(-1L);
        if (pages > 0) {
            limits = limits.withMaxMemoryPages((int) pages);
        }
        ContainerSpec spec = new ContainerSpec(
                body.string("name", Routes.ID, "1..128 of [A-Za-z0-9._-] starting with a letter or digit").orElse(null),
                file, body.strings("args", 256, 4096), body.stringMap("env", 256, ENV_NAME, 32768), List.of(),
                body.string("engine", Routes.ID, "an engine name").orElse(null), limits);
        boolean start = body.bool("start").orElse(true);
        ContainerRuntime runtime = services.containers();
        ContainerInfo created = guard(() -> runtime.create(spec, ContainerIO.DETACHED));
        String id = created.id();
        ContainerInfo info = created;
        if (start) {
            try {
                info = guard(() -> runtime.start(id));
            } catch (ApiError e) {
                // a run that cannot start leaves nothing behind
                try {
                    runtime.delete(id);
                } catch (ContainerException cleanup) {
                    LOG.warn("Could not delete container {} after its start failed: {}", id, cleanup.getMessage());
                }
                throw e;
            }
        }
        LOG.info("{} ran container {} ({}) from {}", call.caller() == null ? "?" : call.caller().id(), info.id(),
                info.name(), file.getFileName());
        return Reply.created(json(info));
    }

    Reply inspect(Call call) {
        return Reply.ok(json(guard(() -> services.containers().state(call.param("id")))));
    }

    Reply delete(Call call) {
        ContainerRuntime runtime = services.containers();
        String id = call.param("id");
        if (call.flag("force")) {
            ContainerInfo info = guard(() -> runtime.state(id));
            if (info.state() == ContainerState.RUNNING) {
                guard(() -> runtime.kill(id));
            }
        }
        return Reply.ok(json(guard(() -> runtime.delete(id))));
    }

    /** Kills and waits (up to {@code timeoutMs}, default 10 s) until the container has stopped. */
    Reply stop(Call call) {
        ContainerRuntime runtime = services.containers();
        String id = call.param("id");
        long wait = parseWait(call);
        ContainerInfo info = guard(() -> runtime.state(id));
        if (info.state() == ContainerState.RUNNING) {
            guard(() -> runtime.kill(id));
        } else if (info.state() != ContainerState.STOPPED) {
            throw new ApiError(409, "container_state", "container " + id + " is " + state(info.state())
                    + ", not running");
        }
        try {
            info = runtime.await(id, Duration.ofMillis(wait));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "interrupted", "the node is shutting down");
        } catch (ContainerException e) {
            throw map(e);
        }
        return Reply.ok(json(info));
    }

    private static long parseWait(Call call) {
        String v = call.queryParam("timeoutMs").orElse("10000");
        try {
            long ms = Long.parseLong(v);
            if (ms >= 0 && ms <= 60_000) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badField("timeoutMs", "timeoutMs must be 0..60000, was '" + Routes.printable(v) + "'");
    }

    Reply kill(Call call) {
        return Reply.ok(json(guard(() -> services.containers().kill(call.param("id")))));
    }

    /** Pauses at the guest's next host call (the runtime's rule); 409 unless running. */
    Reply pause(Call call) {
        ContainerInfo info = guard(() -> services.containers().pause(call.param("id")));
        LOG.info("{} paused container {} ({})", call.caller().id(), info.id(), info.name());
        return Reply.ok(json(info));
    }

    /** Resumes a paused container; 409 unless paused (a quarantined one needs POST /v1/quarantine/{id}/release). */
    Reply resume(Call call) {
        ContainerInfo info = guard(() -> services.containers().resume(call.param("id")));
        LOG.info("{} resumed container {} ({})", call.caller().id(), info.id(), info.name());
        return Reply.ok(json(info));
    }

    Reply stats(Call call) {
        ContainerRuntime runtime = services.containers();
        String id = call.param("id");
        ContainerInfo info = guard(() -> runtime.state(id));
        ContainerLogs logs = guard(() -> runtime.logs(id));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", info.id());
        out.put("state", state(info.state()));
        Instant end = info.finishedAt() != null ? info.finishedAt() : Instant.now();
        out.put("uptimeMs", info.startedAt() == null ? 0L : Math.max(0, Duration.between(info.startedAt(), end).toMillis()));
        out.put("hostCalls", info.hostCalls());
        out.put("deniedHostCalls", info.deniedHostCalls());
        out.put("limits", limits(info.limits()));
        out.put("stdoutBytes", utf8Length(logs.stdout()) + logs.droppedStdoutBytes());
        out.put("stderrBytes", utf8Length(logs.stderr()) + logs.droppedStderrBytes());
        out.put("droppedStdoutBytes", logs.droppedStdoutBytes());
        out.put("droppedStderrBytes", logs.droppedStderrBytes());
        io.forgeone.api.container.ContainerStats figures;
        try {
            figures = guard(() -> runtime.stats(info.id()));
        } catch (UnsupportedOperationException e) {
            figures = null; // a runtime that keeps no statistics: the counters above are all there is
        }
        if (figures != null) {
            out.put("engine", figures.engine());
            out.put("memoryBytes", figures.memoryBytes());
            out.put("cpuTimeMs", figures.cpuNanos() / 1_000_000);
            out.put("bytesIn", figures.bytesIn());
            out.put("bytesOut", figures.bytesOut());
            out.put("trustScore", figures.trustScore());
            List<Map<String, Object>> calls = new java.util.ArrayList<>();
            for (io.forgeone.api.container.HostCallCount c : figures.hostCalls()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("call", c.call());
                row.put("decision", c.decision().name().toLowerCase(java.util.Locale.ROOT));
                row.put("count", c.count());
                calls.add(row);
            }
            out.put("calls", calls);
        }
        return Reply.ok(out);
    }

    Reply logs(Call call) {
        ContainerRuntime runtime = services.containers();
        String id = call.param("id");
        ContainerLogs logs = guard(() -> runtime.logs(id));
        if (!call.flag("follow")) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("stdout", logs.stdout());
            out.put("stderr", logs.stderr());
            out.put("droppedStdoutBytes", logs.droppedStdoutBytes());
            out.put("droppedStderrBytes", logs.droppedStderrBytes());
            return Reply.ok(out);
        }
        if (!streams.tryAcquire()) {
            throw new ApiError(429, "too_many_streams", "the node already serves " + options.maxStreams()
                    + " log streams; try again later");
        }
        return Reply.stream("text/event-stream; charset=utf-8", out -> {
            try {
                follow(runtime, id, out);
            } finally {
                streams.release();
            }
        });
    }

    /**
     * Server-sent events: {@code stdout} and {@code stderr} events carry new output as JSON strings, as the node's
     * kept log grows (polled); an {@code exit} event carries the final state and ends the stream. Output dropped
     * from the kept tail between two polls is reported as a {@code gap} event with its byte count.
     */
    private void follow(ContainerRuntime runtime, String id, OutputStream out) throws IOException {
        long[] seen = {0, 0};
        long lastWrite = System.nanoTime();
        out.write(": following container logs\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        while (true) {
            ContainerInfo info;
            ContainerLogs logs;
            try {
                info = runtime.state(id);
                logs = runtime.logs(id);
            } catch (ContainerNotFoundException e) {
                event(out, "exit", Json.canonical(Map.of("state", "deleted")));
                return;
            }
            boolean wrote = emit(out, "stdout", logs.stdout(), logs.droppedStdoutBytes(), seen, 0)
                    | emit(out, "stderr", logs.stderr(), logs.droppedStderrBytes(), seen, 1);
            if (info.state() == ContainerState.STOPPED || info.state() == ContainerState.DELETED) {
                event(out, "exit", Json.canonical(json(info)));
                return;
            }
            if (wrote) {
                lastWrite = System.nanoTime();
            } else if (System.nanoTime() - lastWrite > Duration.ofSeconds(15).toNanos()) {
                // a comment line finds out whether the client is still there
                out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                lastWrite = System.nanoTime();
            }
            try {
                Thread.sleep(options.streamPoll().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean emit(OutputStream out, String stream, String tail, long dropped, long[] seen, int index)
            throws IOException {
        byte[] bytes = tail.getBytes(StandardCharsets.UTF_8);
        long total = dropped + bytes.length;
        long fresh = total - seen[index];
        if (fresh <= 0) {
            return false;
        }
        if (fresh > bytes.length) {
            event(out, "gap", Json.canonical(Map.of("stream", stream, "bytes", fresh - bytes.length)));
            fresh = bytes.length;
        }
        String text = new String(bytes, (int) (bytes.length - fresh), (int) fresh, StandardCharsets.UTF_8);
        seen[index] = total;
        event(out, stream, Json.canonical(text));
        return true;
    }

    private static void event(OutputStream out, String name, byte[] data) throws IOException {
        out.write(("event: " + name + "\ndata: ").getBytes(StandardCharsets.UTF_8));
        out.write(data);
        out.write("\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static long utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    static Map<String, Object> json(ContainerInfo info) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", info.id());
        out.put("name", info.name());
        out.put("state", state(info.state()));
        out.put("module", info.module() == null ? null : Path.of(info.module()).getFileName().toString());
        out.put("moduleSha256", info.moduleSha256());
        out.put("args", info.args());
        out.put("engine", info.engine());
        out.put("executionMode", info.executionMode());
        out.put("executionNote", info.executionNote());
        out.put("limits", info.limits() == null ? null : limits(info.limits()));
        out.put("createdAt", time(info.createdAt()));
        out.put("startedAt", time(info.startedAt()));
        out.put("finishedAt", time(info.finishedAt()));
        out.put("exitCode", info.exitCode() == null ? null : (long) info.exitCode());
        out.put("stopReason", info.stopReason() == null ? null : info.stopReason().name().toLowerCase(Locale.ROOT));
        out.put("message", info.message());
        out.put("hostCalls", info.hostCalls());
        out.put("deniedHostCalls", info.deniedHostCalls());
        // -1 when no gate keeps a score for it (the null policy gate, or a runtime without one)
        out.put("trustScore", info.trustScore() < 0 ? null : (long) info.trustScore());
        out.put("suspendedAt", time(info.suspendedAt()));
        out.put("suspendReason", info.suspendReason());
        return out;
    }

    private static Map<String, Object> limits(ContainerLimits limits) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("maxMemoryPages", (long) limits.maxMemoryPages());
        out.put("wallTimeoutMs", limits.wallTimeout().toMillis());
        out.put("logBufferBytes", (long) limits.logBufferBytes());
        out.put("cpuTimeMs", limits.cpuTime().toMillis());
        return out;
    }

    private static String state(ContainerState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    /** Runs a runtime call, turning its exceptions into API errors. */
    static <T> T guard(java.util.function.Supplier<T> op) {
        try {
            return op.get();
        } catch (ContainerException e) {
            throw map(e);
        } catch (PackageException e) {
            throw PackageRoutes.refused(e);
        }
    }

    static ApiError map(ContainerException e) {
        if (e instanceof ContainerNotFoundException) {
            return new ApiError(404, "container_not_found", e.getMessage(), "id");
        }
        if (e instanceof ContainerStateException) {
            return new ApiError(409, "container_state", e.getMessage());
        }
        if (e instanceof ContainerSpecException) {
            if (e.getCause() instanceof PackageException p) {
                return PackageRoutes.refused(p);
            }
            return new ApiError(422, "container_spec", e.getMessage());
        }
        return new ApiError(500, "container_error", e.getMessage(), null, null, e);
    }
}
