package io.forgeone.rest.internal;

import io.forgeone.api.auth.Role;
import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.pkg.PackageManifest;
import io.forgeone.api.pkg.VerificationReport;
import io.forgeone.api.pkg.VerifiedPackage;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packages: upload (verified and kept by the package store), list, inspect and verify stored ones, remove; and bare
 * module uploads when the node allows them.
 */
final class PackageRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(PackageRoutes.class);
    private static final byte[] WASM_MAGIC = {0, 'a', 's', 'm'};

    private final NodeServices services;
    private final RestOptions options;

    PackageRoutes(NodeServices services, RestOptions options) {
        this.services = services;
        this.options = options;
    }

    void register(Routes routes) {
        routes.add("GET", "/v1/packages", Role.VIEWER, Route.Body.NONE, this::list)
                .add("POST", "/v1/packages", Role.OPERATOR, Route.Body.UPLOAD, this::upload)
                .add("GET", "/v1/packages/{id}", Role.VIEWER, Route.Body.NONE, this::inspect)
                .add("DELETE", "/v1/packages/{id}", Role.OPERATOR, Route.Body.NONE, this::remove)
                .add("POST", "/v1/packages/{id}/verify", Role.VIEWER, Route.Body.NONE, this::verify)
                .add("POST", "/v1/modules", Role.OPERATOR, Route.Body.UPLOAD, this::uploadModule);
    }

    Reply list(Call call) {
        List<Object> out = new ArrayList<>();
        for (String id : services.packages().list()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("id", id);
            try {
                p.put("size", Files.size(file(id)));
            } catch (IOException e) {
                // listed by the store but not in the folder this node reads: say so rather than guess
                p.put("size", null);
            }
            out.add(p);
        }
        return Reply.ok(Map.of("packages", out));
    }

    Reply upload(Call call) {
        if (call.body().length == 0) {
            throw new ApiError(400, "missing_body", "send the .forgepkg bytes as the request body", "body");
        }
        VerifiedPackage pkg;
        try {
            pkg = services.packages().open(call.body());
        } catch (PackageException e) {
            throw refused(e);
        }
        LOG.info("{} uploaded package {} {} ({})", call.caller() == null ? "?" : call.caller().id(),
                pkg.manifest().name(), pkg.manifest().version(), pkg.id());
        return Reply.created(describe(pkg, call.body().length));
    }

    Reply inspect(Call call) {
        String id = Routes.requireSha256(call.param("id"), "id");
        byte[] bytes = read(id);
        try {
            return Reply.ok(describe(services.packages().open(bytes), bytes.length));
        } catch (PackageException e) {
            throw refused(e);
        }
    }

    Reply verify(Call call) {
        String id = Routes.requireSha256(call.param("id"), "id");
        byte[] bytes = read(id);
        try {
            return Reply.ok(report(services.verifier().verify(bytes)));
        } catch (PackageException e) {
            throw refused(e);
        }
    }

    Reply remove(Call call) {
        String id = Routes.requireSha256(call.param("id"), "id");
        if (!services.packages().remove(id)) {
            throw new ApiError(404, "package_not_found", "no stored package " + id, "id");
        }
        LOG.info("{} removed package {}", call.caller() == null ? "?" : call.caller().id(), id);
        return Reply.ok(Map.of("id", id, "removed", true));
    }

    Reply uploadModule(Call call) {
        Path dir = options.moduleDirectory();
        if (dir == null) {
            throw new ApiError(403, "modules_disabled", "this node runs only packages (allow.modules is off)");
        }
        byte[] body = call.body();
        if (body.length < 8 || !java.util.Arrays.equals(body, 0, 4, WASM_MAGIC, 0, 4)) {
            throw new ApiError(400, "not_wasm", "the body is not a WebAssembly module (no \\0asm header)", "body");
        }
        String id = sha256(body);
        Path file = dir.resolve(id + ".wasm");
        try {
            Files.createDirectories(dir);
            if (!Files.isRegularFile(file)) {
                Path tmp = Files.createTempFile(dir, "." + id, ".tmp");
                try {
                    Files.write(tmp, body);
                    try {
                        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                    }
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        } catch (IOException e) {
            throw new ApiError(500, "io_error", "cannot keep the module: " + e.getMessage(), null, null, e);
        }
        LOG.info("{} uploaded module {} ({} bytes)", call.caller() == null ? "?" : call.caller().id(), id, body.length);
        return Reply.created(Map.of("id", id, "size", (long) body.length));
    }

    private Path file(String id) {
        return services.packageDirectory().resolve(id + ".forgepkg");
    }

    private byte[] read(String id) {
        services.packages();
        Path f = file(id);
        try {
            if (Files.size(f) > options.maxUploadBytes()) {
                throw new ApiError(413, "body_too_large", "stored package " + id + " is larger than this node reads");
            }
            return Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            throw new ApiError(404, "package_not_found", "no stored package " + id, "id");
        } catch (IOException e) {
            throw new ApiError(500, "io_error", "cannot read stored package " + id + ": " + e.getMessage(), null, null, e);
        }
    }

    static ApiError refused(PackageException e) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", e.reason().name().toLowerCase(Locale.ROOT));
        e.report().ifPresent(r -> details.put("report", report(r)));
        int status = switch (e.reason()) {
            case IO, TRUST_STORE -> 500;
            case TOO_LARGE -> 413;
            default -> 422;
        };
        return new ApiError(status, status == 500 ? "package_error" : "package_refused", e.getMessage(), null, details, e);
    }

    static Map<String, Object> describe(VerifiedPackage pkg, long size) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", pkg.id());
        out.put("size", size);
        out.put("manifest", manifest(pkg.manifest()));
        out.put("verification", report(pkg.report()));
        return out;
    }

    static Map<String, Object> manifest(PackageManifest m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", m.name());
        out.put("version", m.version());
        out.put("entrypoint", m.entrypoint());
        out.put("capabilities", m.capabilities());
        out.put("limits", Map.of("memoryPages", (long) m.limits().memoryPages(), "timeoutMs", m.limits().timeout().toMillis()));
        out.put("publisher", Map.of("name", m.publisher().name(), "keys", m.publisher().keys()));
        out.put("created", m.created().toString());
        out.put("expires", m.expires().toString());
        List<Object> entries = new ArrayList<>();
        for (PackageManifest.Entry e : m.entries()) {
            entries.add(Map.of("path", e.path(), "sha256", e.sha256(), "size", e.size()));
        }
        out.put("entries", entries);
        return out;
    }

    static Map<String, Object> report(VerificationReport r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("packageId", r.packageId());
        out.put("mode", r.mode().name().toLowerCase(Locale.ROOT));
        out.put("verdict", r.verdict().name().toLowerCase(Locale.ROOT));
        out.put("fromStore", r.fromStore());
        List<Object> checks = new ArrayList<>();
        for (VerificationReport.Check c : r.checks()) {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("name", c.name());
            check.put("outcome", c.outcome().name().toLowerCase(Locale.ROOT));
            check.put("detail", c.detail());
            check.put("reason", c.reason() == null ? null : c.reason().name().toLowerCase(Locale.ROOT));
            checks.add(check);
        }
        out.put("checks", checks);
        return out;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
