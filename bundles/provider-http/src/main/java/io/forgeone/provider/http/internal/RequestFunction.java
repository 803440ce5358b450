package io.forgeone.provider.http.internal;

import io.forgeone.api.engine.ExecutionInterruptedException;
import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.MemoryAccessException;
import io.forgeone.api.engine.ValueType;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code forge:http.request}: one HTTP exchange through the JDK client. Redirects are never followed (a redirect
 * to a host the policy does not grant would bypass it); the guest sees the 3xx and may ask again.
 *
 * <pre>
 * request(method_ptr, method_len, url_ptr, url_len, headers_ptr, headers_len, body_ptr, body_len,
 *         response_ptr, response_cap, status_out, response_len_out) -&gt; errno
 * </pre>
 * Headers are {@code Name: value} lines separated by {@code \n}. The response body goes to the response buffer;
 * its length to {@code *response_len_out} and the status code to {@code *status_out}.
 */
final class RequestFunction implements HostFunction {
    static final String MODULE = "forge:http";
    static final String NAME = "request";
    static final FunctionSignature SIGNATURE =
            FunctionSignature.of(Collections.nCopies(12, ValueType.I32), List.of(ValueType.I32));
    private static final Logger LOG = LoggerFactory.getLogger(RequestFunction.class);
    private static final Pattern METHOD = Pattern.compile("[A-Z]{1,16}");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
    private static final int MAX_URL = 8192;
    private static final int MAX_HEADERS = 65536;

    private final HttpClient client;
    private final HttpOptions options;
    private final String container;
    private volatile boolean closed;

    RequestFunction(HttpClient client, HttpOptions options, String container) {
        this.client = client;
        this.options = options;
        this.container = container;
    }

    void close() {
        closed = true;
    }

    @Override
    public String module() {
        return MODULE;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FunctionSignature signature() {
        return SIGNATURE;
    }

    @Override
    public OptionalInt deniedErrno() {
        return OptionalInt.of(Errno.NOT_CAPABLE);
    }

    /** The destination, as the gate matches it against net grants: host, port, method, url, bytes. */
    @Override
    public Map<String, Object> describe(GuestMemory memory, long[] args) {
        Map<String, Object> d = new LinkedHashMap<>();
        try {
            d.put("method", text(memory, args[0], args[1], 16));
            String url = text(memory, args[2], args[3], MAX_URL);
            d.put("url", url);
            try {
                URI uri = uri(url);
                d.put("host", uri.getHost().toLowerCase(Locale.ROOT));
                d.put("port", port(uri));
            } catch (IllegalArgumentException e) {
                d.put("urlError", e.getMessage());
            }
            d.put("bytes", unsigned(args[7]));
        } catch (MemoryAccessException e) {
            d.put("urlError", "outside guest memory");
        }
        return d;
    }

    /** An absolute http or https URI with a host, or IllegalArgumentException saying why not. */
    static URI uri(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("scheme '" + scheme + "' is not http or https");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("the URL names no host");
        }
        return uri;
    }

    static int port(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    @Override
    public long[] call(GuestMemory memory, long[] args) {
        if (closed) {
            return result(Errno.IO);
        }
        try {
            return result(exchange(memory, args));
        } catch (MemoryAccessException e) {
            return result(Errno.FAULT);
        }
    }

    private int exchange(GuestMemory memory, long[] args) {
        String method = text(memory, args[0], args[1], 16);
        String url = text(memory, args[2], args[3], MAX_URL);
        String headers = text(memory, args[4], args[5], MAX_HEADERS);
        if (unsigned(args[7]) > options.maxRequestBytes()) {
            return Errno.FILE_TOO_LARGE;
        }
        byte[] body = bytes(memory, args[6], args[7], options.maxRequestBytes());
        long responsePtr = unsigned(args[8]);
        long responseCap = unsigned(args[9]);
        long statusOut = unsigned(args[10]);
        long lengthOut = unsigned(args[11]);
        if (responsePtr + responseCap > memory.size() || statusOut + 4 > memory.size()
                || lengthOut + 4 > memory.size()) {
            return Errno.FAULT;
        }
        if (!METHOD.matcher(method).matches()) {
            return Errno.INVALID;
        }
        HttpRequest request;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri(url)).timeout(options.requestTimeout())
                    .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (String line : headers.split("\n")) {
                String l = line.strip();
                if (l.isEmpty()) {
                    continue;
                }
                int colon = l.indexOf(':');
                if (colon <= 0 || !HEADER_NAME.matcher(l.substring(0, colon)).matches()) {
                    return Errno.INVALID;
                }
                b.header(l.substring(0, colon), l.substring(colon + 1).strip());
            }
            request = b.build();
        } catch (IllegalArgumentException e) {
            // not a URL, or a header the client refuses to let a caller set (Host, Content-Length, ...)
            return Errno.INVALID;
        }
        int most = (int) Math.min(responseCap, options.maxResponseBytes());
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            byte[] data;
            boolean more;
            try (InputStream in = response.body()) {
                data = in.readNBytes(most);
                more = in.read() >= 0;
            }
            memory.writeI32(statusOut, response.statusCode());
            memory.write(responsePtr, data);
            memory.writeI32(lengthOut, data.length);
            return more ? Errno.TOO_BIG : Errno.SUCCESS;
        } catch (HttpTimeoutException e) {
            return Errno.TIMED_OUT;
        } catch (ConnectException e) {
            return Errno.CONNECTION_REFUSED;
        } catch (InterruptedException | InterruptedIOException e) {
            Thread.currentThread().interrupt();
            throw new ExecutionInterruptedException("interrupted in forge:http.request");
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new ExecutionInterruptedException("interrupted in forge:http.request");
            }
            LOG.debug("forge:http.request of container {} to {} failed", container, url, e);
            return Errno.IO;
        }
    }

    private static String text(GuestMemory memory, long ptr, long len, int most) {
        return new String(bytes(memory, ptr, len, most), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(GuestMemory memory, long ptr, long len, int most) {
        long length = unsigned(len);
        long start = unsigned(ptr);
        if (length > most || start + length > memory.size()) {
            throw new MemoryAccessException("range " + start + "+" + length + " is outside guest memory or too long");
        }
        return memory.readBytes(start, (int) length);
    }

    private static long unsigned(long i32) {
        return i32 & 0xFFFF_FFFFL;
    }

    private static long[] result(int errno) {
        return new long[] {errno};
    }

    /** The options, copied once from the configuration. */
    record HttpOptions(Duration connectTimeout, Duration requestTimeout, int maxResponseBytes, int maxRequestBytes) {
        static HttpOptions of(HttpConfig c) {
            return new HttpOptions(Duration.ofMillis(Math.max(1, c.connect_timeout_ms())),
                    Duration.ofMillis(Math.max(1, c.request_timeout_ms())), Math.max(0, c.max_response_bytes()),
                    Math.max(0, c.max_request_bytes()));
        }
    }
}
