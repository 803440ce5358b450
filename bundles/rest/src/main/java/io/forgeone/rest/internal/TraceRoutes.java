package io.forgeone.rest.internal;

import io.forgeone.api.auth.Role;
import io.forgeone.api.observe.NoSuchTraceException;
import io.forgeone.api.observe.TraceException;
import io.forgeone.api.observe.TraceInfo;
import io.forgeone.api.observe.TracePage;
import io.forgeone.api.observe.TraceQuery;
import io.forgeone.api.observe.TraceRecord;
import io.forgeone.api.observe.TraceService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Host-call traces from the observer: which runs are recorded, and one run's calls, paged by sequence number,
 * filtered by call name, as records or as the observer's one-sentence summaries of the notable calls (files
 * opened, created, deleted, denials, failures, exits; routine reads, writes and clocks have none and are left out
 * of a summary page, whose {@code next} still counts them).
 */
final class TraceRoutes {
    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;
    private static final Pattern CALL = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    /** Integers JSON readers take exactly; larger ones (raw i64 arguments) are given as strings. */
    private static final long MAX_SAFE = (1L << 53) - 1;

    private final NodeServices services;

    TraceRoutes(NodeServices services) {
        this.services = services;
    }

    void register(Routes routes) {
        routes.add("GET", "/v1/traces", Role.VIEWER, Route.Body.NONE, this::list)
                .add("GET", "/v1/containers/{id}/trace", Role.VIEWER, Route.Body.NONE, this::trace);
    }

    Reply list(Call call) {
        List<Object> out = new ArrayList<>();
        for (TraceInfo info : guard(() -> services.traces().list())) {
            out.add(json(info));
        }
        return Reply.ok(Map.of("traces", out));
    }

    Reply trace(Call call) {
        String id = call.param("id");
        long since = number(call, "since", 0, Long.MAX_VALUE, 0);
        int limit = (int) number(call, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        String filter = call.queryParam("filter").orElse(null);
        String callName = null;
        if (filter != null) {
            if (!filter.startsWith("call=") || !CALL.matcher(filter.substring(5)).matches()) {
                throw ApiError.badField("filter", "filter must be call=NAME (a host function such as fd_write), was '"
                        + Routes.printable(filter) + "'");
            }
            callName = filter.substring(5);
        }
        boolean summary = call.flag("summary");
        TraceService traces = services.traces();
        TraceQuery query = new TraceQuery(since, callName, limit);
        TraceInfo info = guard(() -> traces.info(id));
        TracePage page = guard(() -> traces.records(id, query));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("containerId", info.containerId());
        out.put("containerName", info.containerName());
        if (summary) {
            List<Object> sentences = new ArrayList<>();
            for (TraceRecord r : page.records()) {
                if (r.summary().isEmpty()) {
                    continue; // a routine call (reads, writes, clocks): the observer has no sentence for it
                }
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("sequence", r.sequence());
                s.put("summary", r.summary());
                sentences.add(s);
            }
            out.put("summary", sentences);
        } else {
            List<Object> records = new ArrayList<>();
            for (TraceRecord r : page.records()) {
                records.add(json(r));
            }
            out.put("records", records);
        }
        out.put("next", page.next());
        out.put("lost", page.lost());
        out.put("ended", page.ended());
        out.put("exitCode", page.ended() ? (Object) (long) page.exitCode() : null);
        out.put("outcome", page.outcome());
        return Reply.ok(out);
    }

    private static long number(Call call, String name, long min, long max, long otherwise) {
        String v = call.queryParam(name).orElse(null);
        if (v == null) {
            return otherwise;
        }
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badField(name, name + " must be a whole number " + min + ".." + max + ", was '"
                + Routes.printable(v) + "'");
    }

    static Map<String, Object> json(TraceInfo info) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("containerId", info.containerId());
        out.put("containerName", info.containerName());
        out.put("moduleSha256", info.moduleSha256());
        out.put("calls", info.calls());
        out.put("kept", info.kept());
        List<Object> files = new ArrayList<>();
        for (Path f : info.files()) {
            // the file's name only: where the node keeps its state is not the client's business
            files.add(f.getFileName() == null ? f.toString() : f.getFileName().toString());
        }
        out.put("files", files);
        out.put("ended", info.ended());
        out.put("exitCode", info.ended() ? (Object) (long) info.exitCode() : null);
        out.put("outcome", info.outcome());
        return out;
    }

    static Map<String, Object> json(TraceRecord r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sequence", r.sequence());
        out.put("timeNanos", r.timeNanos());
        out.put("module", r.module());
        out.put("call", r.call());
        out.put("args", value(r.args()));
        out.put("arguments", value(r.arguments()));
        // the node writes object members sorted; the host function's own order is what people read (forge:trace)
        out.put("argumentOrder", List.copyOf(r.arguments().keySet()));
        out.put("decision", r.decision().name().toLowerCase(Locale.ROOT));
        out.put("results", value(r.results()));
        out.put("errno", (long) r.errno());
        out.put("failure", r.failure());
        out.put("bytesReturned", r.bytesReturned());
        out.put("summary", r.summary());
        return out;
    }

    /** A recorded value as JSON: integers beyond ±(2^53-1) and anything not JSON-like become strings. */
    static Object value(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            long l = ((Number) v).longValue();
            return Math.abs(l) <= MAX_SAFE ? (Object) l : Long.toString(l);
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(e -> out.add(value(e)));
            return out;
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, e) -> out.put(String.valueOf(k), value(e)));
            return out;
        }
        return String.valueOf(v);
    }

    private static <T> T guard(java.util.function.Supplier<T> op) {
        try {
            return op.get();
        } catch (NoSuchTraceException e) {
            throw new ApiError(404, "trace_not_found", e.getMessage(), "id");
        } catch (TraceException e) {
            throw new ApiError(500, "trace_error", e.getMessage(), null, null, e);
        }
    }
}
