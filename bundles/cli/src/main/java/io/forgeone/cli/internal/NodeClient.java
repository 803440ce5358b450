package io.forgeone.cli.internal;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLException;

/**
 * The node's REST API ({@code /v1}, docs/rest.md) over {@code java.net.http}: JSON calls, uploads that report how
 * many bytes have gone, and the server-sent events of a followed log. Every failure becomes a
 * {@link NodeException}: the node's own JSON error as it sent it, or one line that says why no answer came.
 */
final class NodeClient {
    /** A JSON call's time limit; the longest the node itself takes is a stop's 10 s wait. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    /**
     * The time limit of calls the node may work on for long: a snapshot (it waits up to 10 s for the guest's next
     * host call, then writes the whole state) and a restore (it re-executes the recorded calls, bounded by the
     * observer's {@code restore_timeout_s}; this waits longer than its default, so the node's own refusal arrives).
     */
    static final Duration LONG_CALL_TIMEOUT = Duration.ofMinutes(15);

    private final NodeConnection connection;
    private final HttpClient http;

    NodeClient(NodeConnection connection) {
        this(connection, connection.client());
    }

    NodeClient(NodeConnection connection, HttpClient http) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.http = Objects.requireNonNull(http, "http");
    }

    URI base() {
        return connection.base();
    }

    /** One path segment (a container id or name as the person typed it), percent-encoded. */
    static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    Map<String, Object> get(String path) {
        return call("GET", path, null);
    }

    Map<String, Object> post(String path, String json) {
        return call("POST", path, json);
    }

    Map<String, Object> delete(String path) {
        return call("DELETE", path, null);
    }

    /** A JSON call; {@code json} is the request body or {@code null} for none. */
    Map<String, Object> call(String method, String path, String json) {
        return call(method, path, json, CALL_TIMEOUT);
    }

    /** A JSON call that may take up to {@code timeout} before the node answers. */
    Map<String, Object> call(String method, String path, String json, Duration timeout) {
        HttpRequest.Builder b = request(path).timeout(timeout).method(method, json == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return answer(send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    }

    /**
     * Uploads a file as the request body ({@code Content-Length} set), telling {@code sent} the running total of
     * bytes handed to the connection; the answer comes once the node has read and checked all of it.
     */
    Map<String, Object> upload(String path, Path file, LongConsumer sent) {
        return upload("POST", path, file, sent);
    }

    /** {@link #upload(String, Path, LongConsumer)} with another method (PUT for a named resource). */
    Map<String, Object> upload(String method, String path, Path file, LongConsumer sent) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        AtomicLong total = new AtomicLong();
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> {
                    total.set(0);
                    try {
                        return new Counting(Files.newInputStream(file), total, sent);
                    } catch (IOException e) {
                        throw new UncheckedIOException(file + ": " + e.getMessage(), e);
                    }
                }), size);
        HttpRequest request = request(path).header("Content-Type", "application/octet-stream").method(method, body)
                .timeout(LONG_CALL_TIMEOUT).build();
        return answer(send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    }

    /**
     * Downloads a file the node serves as bytes into {@code target}, through a temporary file next to it, so that
     * {@code target} appears whole or not at all (an error answer leaves nothing); returns its size.
     */
    long download(String path, Path target) {
        Path dir = target.toAbsolutePath().getParent();
        Path partial;
        try {
            Files.createDirectories(dir);
            partial = Files.createTempFile(dir, "." + target.getFileName(), ".part");
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": cannot be written: " + e.getMessage(), e);
        }
        try {
            HttpResponse<Path> response = send(request(path).timeout(LONG_CALL_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(partial));
            if (response.statusCode() >= 300) {
                throw error(response.statusCode(), Files.readString(partial, StandardCharsets.UTF_8));
            }
            long size = Files.size(partial);
            Files.move(partial, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return size;
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": cannot be written: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                // a leftover .part file next to the target is harmless and named as such
            }
        }
    }

    /** What a followed log stream delivers: one call per event, in order. */
    interface Events {
        /** @return false to stop reading */
        boolean event(String name, String data);
    }

    /**
     * Reads a {@code text/event-stream} answer until it ends or {@code events} says stop. Comment lines (the node's
     * keep-alives) are skipped; {@code data} lines of one event are joined with newlines.
     */
    void events(String path, Events events) {
        HttpRequest request = request(path).header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() >= 300) {
            String text;
            try (InputStream in = response.body()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw transport(e);
            }
            throw error(response.statusCode(), text);
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = null;
            StringBuilder data = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null && !events.event(name == null ? "message" : name, data.toString())) {
                        return;
                    }
                    name = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    continue;
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    String value = line.substring(5);
                    value = value.startsWith(" ") ? value.substring(1) : value;
                    data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                }
            }
        } catch (IOException e) {
            throw transport(e);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(connection.base().resolve(path));
        if (connection.token() != null) {
            b.header("Authorization", "Bearer " + connection.token());
        }
        return b;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw transport(e, request.timeout().orElse(CALL_TIMEOUT));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeException(0, NodeException.UNREACHABLE, "interrupted while waiting for the node", null, e);
        }
    }

    private NodeException transport(IOException e) {
        return transport(e, CALL_TIMEOUT);
    }

    private NodeException transport(IOException e, Duration timeout) {
        String where = connection.base().toString();
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        if (e instanceof HttpConnectTimeoutException) {
            return new NodeException(0, NodeException.UNREACHABLE, "cannot reach the node at " + where
                    + ": no connection within " + NodeConnection.CONNECT_TIMEOUT.toSeconds() + " s", null, e);
        }
        if (e instanceof HttpTimeoutException) {
            return new NodeException(0, NodeException.UNREACHABLE, "the node at " + where + " did not answer within "
                    + timeout.toSeconds() + " s", null, e);
        }
        if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
            return new NodeException(0, NodeException.UNREACHABLE, "cannot reach the node at " + where
                    + ": connection refused (is the node running, with its REST bundle, on that port?)", null, e);
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SSLException) {
                return new NodeException(0, NodeException.TLS, "TLS with the node at " + where + " failed: "
                        + c.getMessage() + " (check --cacert, --cert and --key)", null, e);
            }
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new NodeException(0, NodeException.UNREACHABLE, "lost the connection to the node at " + where + ": "
                + message, null, e);
    }

    private Map<String, Object> answer(HttpResponse<String> response) {
        if (response.statusCode() >= 300) {
            throw error(response.statusCode(), response.body());
        }
        Object body;
        try {
            body = JsonReader.parse(response.body());
        } catch (IllegalArgumentException e) {
            throw new NodeException(response.statusCode(), NodeException.BAD_ANSWER, "the answer from "
                    + connection.base() + " is not JSON (" + e.getMessage() + "); is that a ForgeOne node?", null, e);
        }
        if (!(body instanceof Map)) {
            throw new NodeException(response.statusCode(), NodeException.BAD_ANSWER, "the answer from "
                    + connection.base() + " is not a JSON object", null);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) body;
        return map;
    }

    /** The node's JSON error, or a bad-answer error that quotes what came instead. */
    private NodeException error(int status, String text) {
        try {
            Object body = JsonReader.parse(text);
            if (body instanceof Map<?, ?> map && map.get("error") instanceof Map<?, ?> error
                    && error.get("code") instanceof String code) {
                String message = error.get("message") instanceof String m ? m : code;
                String field = error.get("field") instanceof String f ? f : null;
                if (status == 401 && connection.token() == null) {
                    message = message + "; no token was sent: give one with --token-file FILE or "
                            + NodeConnection.TOKEN_ENV;
                }
                if (error.get("reason") instanceof String reason && !message.contains(reason)) {
                    message = message + " (" + reason + ")";
                }
                return new NodeException(status, code, message, field);
            }
        } catch (IllegalArgumentException e) {
            // not JSON: answered below with what came
        }
        String snippet = Outcome.oneLine(text.length() > 120 ? text.substring(0, 120) + "..." : text);
        return new NodeException(status, NodeException.BAD_ANSWER, "HTTP " + status + " from " + connection.base()
                + " without a ForgeOne error" + (snippet.isEmpty() ? "" : ": " + snippet), null);
    }

    /** Counts the bytes the HTTP client reads from the file. */
    private static final class Counting extends FilterInputStream {
        private final AtomicLong total;
        private final LongConsumer sent;

        Counting(InputStream in, AtomicLong total, LongConsumer sent) {
            super(in);
            this.total = total;
            this.sent = sent;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                sent.accept(total.incrementAndGet());
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                sent.accept(total.addAndGet(n));
            }
            return n;
        }
    }
}
