package io.forgeone.pkg.internal;

import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.pkg.PackageException.Reason;
import io.forgeone.api.pkg.PackageManifest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@link PackageManifest} to and from its JSON form. Every field is checked for type and value; unknown fields are
 * refused (a future format that adds one bumps {@code format}).
 *
 * <pre>
 * {"format":1,"name":"hello","version":"1.0.0","entrypoint":"hello.wasm","capabilities":["wasi:stdout"],
 *  "limits":{"memoryPages":256,"timeoutMs":30000},"publisher":{"name":"acme","keys":["&lt;key id&gt;"]},
 *  "created":"2026-01-01T00:00:00Z","expires":"2027-01-01T00:00:00Z",
 *  "entries":{"hello.wasm":{"sha256":"&lt;hex&gt;","size":1234}},
 *  "run":{"engine":"chicory","onDeploy":true,"rollover":false}}
 * </pre>
 * {@code run} is optional; in it {@code engine} and {@code snapshot} are optional, and {@code onDeploy} and
 * {@code rollover} are false when a source manifest leaves them out and always written in a package.
 */
final class ManifestCodec {
    private static final Set<String> FIELDS = Set.of("format", "name", "version", "entrypoint", "capabilities", "limits",
            "publisher", "created", "expires", "entries", "run");
    private static final Set<String> RUN_FIELDS = Set.of("engine", "onDeploy", "rollover", "snapshot");
    private static final Pattern RFC3339 = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})");

    /** What the builder fills in when a source {@code forge.json} leaves it out. */
    record Defaults(Instant created, Duration validity) {
    }

    private ManifestCodec() {
    }

    /** The manifest of a package: every field present. */
    static PackageManifest fromJson(Object json, String source) {
        return read(json, source, null);
    }

    /**
     * A builder's source manifest: {@code created}, {@code expires}, {@code limits}, {@code capabilities} and
     * {@code format} may be left out; {@code entries} must be (it is computed) and is given here.
     */
    static PackageManifest fromSource(Object json, String source, Defaults defaults, List<PackageManifest.Entry> entries) {
        Map<String, Object> object = object(json, source, "the manifest");
        if (object.containsKey("entries")) {
            throw malformed(source, "\"entries\" is computed by the builder; remove it from the source manifest");
        }
        Map<String, Object> filled = new LinkedHashMap<>(object);
        filled.put("entries", entriesJson(entries));
        return read(filled, source, defaults);
    }

    static Map<String, Object> toJson(PackageManifest m) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", (long) PackageManifest.FORMAT);
        json.put("name", m.name());
        json.put("version", m.version());
        json.put("entrypoint", m.entrypoint());
        json.put("capabilities", new ArrayList<Object>(m.capabilities()));
        json.put("limits", new LinkedHashMap<>(Map.of("memoryPages", (long) m.limits().memoryPages(),
                "timeoutMs", m.limits().timeout().toMillis())));
        json.put("publisher", new LinkedHashMap<>(Map.of("name", m.publisher().name(),
                "keys", new ArrayList<Object>(m.publisher().keys()))));
        json.put("created", DateTimeFormatter.ISO_INSTANT.format(m.created()));
        json.put("expires", DateTimeFormatter.ISO_INSTANT.format(m.expires()));
        json.put("entries", entriesJson(m.entries()));
        m.run().ifPresent(run -> {
            Map<String, Object> r = new LinkedHashMap<>();
            if (run.engine() != null) {
                r.put("engine", run.engine());
            }
            r.put("onDeploy", run.onDeploy());
            r.put("rollover", run.rollover());
            if (run.snapshot() != null) {
                r.put("snapshot", run.snapshot());
            }
            json.put("run", r);
        });
        return json;
    }

    /** The bytes signatures are made over. */
    static byte[] canonical(PackageManifest m) {
        return Json.canonical(toJson(m));
    }

    private static Map<String, Object> entriesJson(List<PackageManifest.Entry> entries) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (PackageManifest.Entry e : entries) {
            json.put(e.path(), new LinkedHashMap<>(Map.of("sha256", e.sha256(), "size", e.size())));
        }
        return json;
    }

    private static PackageManifest read(Object json, String source, Defaults defaults) {
        Map<String, Object> m = object(json, source, "the manifest");
        for (String key : m.keySet()) {
            if (!FIELDS.contains(key)) {
                throw malformed(source, "unknown field \"" + key + "\"");
            }
        }
        Object format = m.get("format");
        if (format == null && defaults == null) {
            throw malformed(source, "\"format\" is missing");
        }
        if (format != null && !Long.valueOf(PackageManifest.FORMAT).equals(format)) {
            throw malformed(source, "\"format\" must be " + PackageManifest.FORMAT + ", was " + format);
        }
        String name = string(m, "name", source);
        String version = string(m, "version", source);
        String entrypoint = string(m, "entrypoint", source);
        List<String> capabilities = m.containsKey("capabilities") || defaults == null
                ? strings(m.get("capabilities"), "capabilities", source) : List.of();
        PackageManifest.Limits limits = m.containsKey("limits") || defaults == null
                ? limits(m.get("limits"), source) : PackageManifest.Limits.DEFAULT;
        PackageManifest.Publisher publisher = publisher(m.get("publisher"), source);
        Instant created = m.containsKey("created") || defaults == null
                ? instant(m.get("created"), "created", source) : defaults.created();
        Instant expires = m.containsKey("expires") || defaults == null
                ? instant(m.get("expires"), "expires", source) : created.plus(defaults.validity());
        List<PackageManifest.Entry> entries = entries(m.get("entries"), source);
        Optional<PackageManifest.Run> run = m.containsKey("run") ? Optional.of(run(m.get("run"), source, defaults != null))
                : Optional.empty();
        try {
            return new PackageManifest(name, version, entrypoint, capabilities, limits, publisher, created, expires,
                    entries, run);
        } catch (IllegalArgumentException e) {
            throw malformed(source, e.getMessage());
        }
    }

    private static PackageManifest.Limits limits(Object json, String source) {
        Map<String, Object> l = object(json, source, "\"limits\"");
        for (String key : l.keySet()) {
            if (!key.equals("memoryPages") && !key.equals("timeoutMs")) {
                throw malformed(source, "unknown field \"limits." + key + "\"");
            }
        }
        long pages = integer(l.get("memoryPages"), "limits.memoryPages", source);
        long timeout = integer(l.get("timeoutMs"), "limits.timeoutMs", source);
        if (pages > Integer.MAX_VALUE || timeout < 0) {
            throw malformed(source, "limits out of range: memoryPages " + pages + ", timeoutMs " + timeout);
        }
        try {
            return new PackageManifest.Limits((int) pages, Duration.ofMillis(timeout));
        } catch (IllegalArgumentException e) {
            throw malformed(source, e.getMessage());
        }
    }

    private static PackageManifest.Run run(Object json, String source, boolean lenient) {
        Map<String, Object> r = object(json, source, "\"run\"");
        for (String key : r.keySet()) {
            if (!RUN_FIELDS.contains(key)) {
                throw malformed(source, "unknown field \"run." + key + "\" (known: engine, onDeploy, rollover, snapshot)");
            }
        }
        String engine = r.containsKey("engine") ? string(r, "engine", source) : null;
        String snapshot = r.containsKey("snapshot") ? string(r, "snapshot", source) : null;
        boolean onDeploy = bool(r, "onDeploy", source, lenient);
        boolean rollover = bool(r, "rollover", source, lenient);
        try {
            return new PackageManifest.Run(engine, onDeploy, rollover, snapshot);
        } catch (IllegalArgumentException e) {
            throw malformed(source, e.getMessage());
        }
    }

    private static boolean bool(Map<String, Object> m, String key, String source, boolean lenient) {
        Object v = m.get(key);
        if (v instanceof Boolean b) {
            return b;
        }
        if (v == null && lenient) {
            return false;
        }
        throw malformed(source, "\"run." + key + "\" must be true or false" + (v == null ? " and is missing" : ""));
    }

    private static PackageManifest.Publisher publisher(Object json, String source) {
        Map<String, Object> p = object(json, source, "\"publisher\"");
        for (String key : p.keySet()) {
            if (!key.equals("name") && !key.equals("keys")) {
                throw malformed(source, "unknown field \"publisher." + key + "\"");
            }
        }
        try {
            return new PackageManifest.Publisher(string(p, "name", source), strings(p.get("keys"), "publisher.keys", source));
        } catch (IllegalArgumentException e) {
            throw malformed(source, e.getMessage());
        }
    }

    private static List<PackageManifest.Entry> entries(Object json, String source) {
        Map<String, Object> e = object(json, source, "\"entries\"");
        List<PackageManifest.Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Object> item : e.entrySet()) {
            String where = "entries[\"" + item.getKey() + "\"]";
            Map<String, Object> pin = object(item.getValue(), source, where);
            for (String key : pin.keySet()) {
                if (!key.equals("sha256") && !key.equals("size")) {
                    throw malformed(source, "unknown field \"" + key + "\" in " + where);
                }
            }
            try {
                entries.add(new PackageManifest.Entry(item.getKey(), string(pin, "sha256", source),
                        integer(pin.get("size"), where + ".size", source)));
            } catch (IllegalArgumentException ex) {
                throw malformed(source, ex.getMessage());
            }
        }
        return entries;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object json, String source, String what) {
        if (json instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw malformed(source, what + " must be an object");
    }

    private static String string(Map<String, Object> m, String key, String source) {
        Object v = m.get(key);
        if (v instanceof String s) {
            return s;
        }
        throw malformed(source, "\"" + key + "\" must be a string" + (v == null ? " and is missing" : ""));
    }

    private static long integer(Object v, String what, String source) {
        if (v instanceof Long l) {
            return l;
        }
        throw malformed(source, "\"" + what + "\" must be an integer" + (v == null ? " and is missing" : ""));
    }

    private static List<String> strings(Object v, String what, String source) {
        if (!(v instanceof List<?> list)) {
            throw malformed(source, "\"" + what + "\" must be an array of strings" + (v == null ? " and is missing" : ""));
        }
        List<String> out = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String s)) {
                throw malformed(source, "\"" + what + "\" must hold only strings");
            }
            out.add(s);
        }
        return out;
    }

    private static Instant instant(Object v, String what, String source) {
        if (!(v instanceof String s) || !RFC3339.matcher(s).matches()) {
            throw malformed(source, "\"" + what + "\" must be an RFC 3339 time such as 2026-01-31T12:00:00Z"
                    + (v == null ? " and is missing" : ", was " + v));
        }
        try {
            return OffsetDateTime.parse(s.toUpperCase(java.util.Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw malformed(source, "\"" + what + "\" is not a valid time: " + s);
        }
    }

    static PackageException malformed(String source, String message) {
        return new PackageException(Reason.MALFORMED, source + ": " + message);
    }
}
