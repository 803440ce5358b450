package io.forgeone.rest.internal;

import io.forgeone.api.auth.Role;
import io.forgeone.api.auth.TokenInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The path every request takes, independent of the HTTP server: find the route, authenticate, check the role,
 * read the body within its limit, run the handler, and turn every failure into a JSON error. Nothing a client
 * sends gets past here as an exception.
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    /** A request as the HTTP server hands it over. */
    interface Request {
        String method();

        String rawPath();

        /** The raw query string, or {@code null}. */
        String rawQuery();

        /** The first value of a header, or {@code null}. */
        String header(String name);

        /** The client's address, for the failure limit and the log. */
        String remoteAddress();

        /** The declared body length, or -1 when unknown (chunked). */
        long contentLength();

        InputStream body();
    }

    private final List<Route> routes;
    private final NodeServices services;
    private final RestOptions options;
    private final AuthFailures failures;
    private final Semaphore uploads;

    Dispatcher(List<Route> routes, NodeServices services, RestOptions options, AuthFailures failures) {
        this.routes = List.copyOf(routes);
        this.services = services;
        this.options = options;
        this.failures = failures;
        this.uploads = new Semaphore(options.maxUploads());
    }

    List<Route> routes() {
        return routes;
    }

    /** Answers a request; never throws. */
    Reply dispatch(Request request) {
        try {
            return handle(request);
        } catch (ApiError e) {
            if (e.status() == 503) {
                LOG.debug("{} {}: {}", request.method(), Routes.printable(request.rawPath()), e.getMessage());
            } else if (e.status() >= 500) {
                LOG.warn("{} {}: {}", request.method(), Routes.printable(request.rawPath()), e.getMessage(), e.getCause());
            }
            return Reply.status(e.status(), e.body(hiddenFolders()));
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", request.method(), Routes.printable(request.rawPath()), e);
            return Reply.status(500, new ApiError(500, "internal", "the node failed to answer; see its log").body());
        }
    }

    /** The node's folders an error message must not show: uploaded modules, then the whole state folder. */
    private List<java.nio.file.Path> hiddenFolders() {
        List<java.nio.file.Path> hidden = new java.util.ArrayList<>(2);
        if (options.moduleDirectory() != null) {
            hidden.add(options.moduleDirectory());
        }
        if (options.varBase() != null) {
            hidden.add(options.varBase());
        }
        return hidden;
    }

    private Reply handle(Request request) {
        List<String> path = segments(request.rawPath());
        String method = request.method();
        Route route = null;
        boolean pathKnown = false;
        for (Route r : routes) {
            if (matches(r.template(), path)) {
                pathKnown = true;
                if (r.method().equals(method)) {
                    route = r;
                    break;
                }
            }
        }
        if (route == null) {
            if (pathKnown) {
                throw new ApiError(405, "method_not_allowed", method + " is not allowed on "
                        + Routes.printable(request.rawPath()));
            }
            throw new ApiError(404, "not_found", "no route " + Routes.printable(request.rawPath()));
        }
        TokenInfo caller = route.role() == null ? null : authenticate(request, route.role());
        Map<String, String> params = route.match(path);
        boolean upload = route.body() == Route.Body.UPLOAD;
        if (upload && !uploads.tryAcquire()) {
            throw new ApiError(429, "too_many_uploads", "the node is already reading " + options.maxUploads()
                    + " uploads; try again later");
        }
        Reply reply;
        try {
            byte[] body = readBody(request, route.body());
            Call call = new Call(method, request.rawPath(), params, query(request.rawQuery()),
                    request.header("Content-Type"), body, caller);
            reply = route.handler().handle(call);
        } finally {
            if (upload) {
                uploads.release();
            }
        }
        LOG.debug("{} {} {} by {}", method, request.rawPath(), reply.status(), caller == null ? "-" : caller.id());
        return reply;
    }

    private TokenInfo authenticate(Request request, Role required) {
        String address = request.remoteAddress();
        Duration refused = failures.refusedFor(address);
        if (!refused.isZero()) {
            long seconds = Math.max(1, (refused.toMillis() + 999) / 1000);
            throw new ApiError(429, "too_many_failures", "too many failed authentications from this address; retry in "
                    + seconds + " s", null, Map.of("retryAfterSeconds", seconds), null);
        }
        String header = request.header("Authorization");
        if (header == null || header.isBlank()) {
            throw new ApiError(401, "unauthorized", "this route needs a bearer token (Authorization: Bearer TOKEN)");
        }
        Optional<TokenInfo> token = Optional.empty();
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = services.tokens().authenticate(header.substring(7).trim());
        }
        if (token.isEmpty()) {
            int count = failures.fail(address);
            if (count >= failures.max()) {
                LOG.warn("Authentication failed from {} ({} failures in the window): refusing it for a while", address,
                        count);
            } else {
                LOG.warn("Authentication failed from {} for {} {} ({} of {} allowed failures)", address,
                        request.method(), Routes.printable(request.rawPath()), count, failures.max());
            }
            throw new ApiError(401, "unauthorized", "the bearer token is not valid on this node");
        }
        if (!token.get().role().includes(required)) {
            throw new ApiError(403, "forbidden", "this route needs the " + required.id() + " role; the token has "
                    + token.get().role().id());
        }
        return token.get();
    }

    private byte[] readBody(Request request, Route.Body kind) {
        long limit = switch (kind) {
            case NONE -> 0;
            case JSON -> options.maxJsonBytes();
            case UPLOAD -> options.maxUploadBytes();
        };
        long declared = request.contentLength();
        if (declared > limit) {
            throw new ApiError(413, "body_too_large", kind == Route.Body.NONE ? "this route takes no body"
                    : "the body is larger than " + limit + " bytes", "body");
        }
        if (kind == Route.Body.NONE && declared <= 0) {
            return new byte[0];
        }
        long deadline = System.nanoTime() + options.requestTimeout().toNanos();
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(declared, 256), 1 << 20));
        byte[] buf = new byte[16384];
        try (InputStream in = request.body()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + (long) n > limit) {
                    throw new ApiError(413, "body_too_large", kind == Route.Body.NONE ? "this route takes no body"
                            : "the body is larger than " + limit + " bytes", "body");
                }
                out.write(buf, 0, n);
                if (System.nanoTime() > deadline) {
                    throw new ApiError(408, "request_timeout", "the body took longer than "
                            + options.requestTimeout().toSeconds() + " s to arrive", "body");
                }
            }
        } catch (IOException e) {
            throw new ApiError(400, "body_unreadable", "the body could not be read: " + e.getMessage(), "body");
        }
        return out.toByteArray();
    }

    private static boolean matches(String template, List<String> path) {
        String[] parts = template.substring(1).split("/", -1);
        if (parts.length != path.size()) {
            return false;
        }
        for (int i = 0; i < parts.length; i++) {
            if (!(parts[i].startsWith("{") || parts[i].equals(path.get(i)))) {
                return false;
            }
        }
        return true;
    }

    /** The decoded path segments; a segment may not contain what decodes to a slash, NUL, or be empty. */
    static List<String> segments(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/") || rawPath.length() > 2048) {
            throw new ApiError(400, "invalid_path", "bad request path");
        }
        List<String> out = new ArrayList<>();
        for (String raw : rawPath.substring(1).split("/", -1)) {
            String s = decode(raw, false);
            if (s.isEmpty() || s.indexOf('/') >= 0 || s.indexOf('\\') >= 0 || s.indexOf('\0') >= 0) {
                throw new ApiError(404, "not_found", "no route " + Routes.printable(rawPath));
            }
            out.add(s);
        }
        return out;
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        String[] pairs = raw.split("&");
        if (pairs.length > 32) {
            throw new ApiError(400, "invalid_query", "too many query parameters");
        }
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
            out.putIfAbsent(key, value);
        }
        return out;
    }

    /** Percent-decoding as UTF-8; {@code +} is a space only in a query. */
    static String decode(String s, boolean query) {
        if (s.indexOf('%') < 0 && !(query && s.indexOf('+') >= 0)) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new ApiError(400, "invalid_path", "bad percent-encoding in the request");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new ApiError(400, "invalid_path", "bad percent-encoding in the request");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (query && c == '+') {
                out.write(' ');
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
