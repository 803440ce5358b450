package io.forgeone.provider.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.sun.net.httpserver.HttpServer;
import io.forgeone.api.capability.ProviderContext;
import io.forgeone.api.engine.HostFunction;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.util.converter.Converters;

@Timeout(30)
class HttpProviderTest {
    private HttpServer server;
    private HttpProvider provider;
    private HostFunction request;
    private final ByteArrayMemory memory = new ByteArrayMemory(1 << 20);
    private String base;

    @BeforeEach
    void setUp() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/echo", x -> {
            byte[] in = x.getRequestBody().readAllBytes();
            String reply = x.getRequestMethod() + " " + new String(in, StandardCharsets.UTF_8) + " "
                    + x.getRequestHeaders().getFirst("X-Forge-Test");
            byte[] out = reply.getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(201, out.length);
            x.getResponseBody().write(out);
            x.close();
        });
        server.createContext("/big", x -> {
            x.sendResponseHeaders(200, 5000);
            x.getResponseBody().write(new byte[5000]);
            x.close();
        });
        server.createContext("/moved", x -> {
            x.getResponseHeaders().add("Location", "http://example.invalid/");
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        provider = new HttpProvider(Converters.standardConverter()
                .convert(Map.of("max.response.bytes", 1000, "request.timeout.ms", 5000L)).to(HttpConfig.class));
        request = provider.open(new ProviderContext("id", "c", null, "00".repeat(32), Path.of("state"), Map.of()))
                .hostFunctions().get(0);
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
        provider.deactivate();
    }

    /** Lays out the arguments in memory; the response goes to 10000, status to 8, length to 12. */
    private long[] args(String method, String url, String headers, String body, int cap) {
        String[] parts = {method, url, headers, body};
        long[] a = new long[12];
        int at = 100;
        for (int i = 0; i < 4; i++) {
            byte[] b = parts[i].getBytes(StandardCharsets.UTF_8);
            memory.write(at, b);
            a[2 * i] = at;
            a[2 * i + 1] = b.length;
            at += b.length + 8;
        }
        a[8] = 10000;
        a[9] = cap;
        a[10] = 8;
        a[11] = 12;
        return a;
    }

    @Test
    void aRequestGetsStatusAndBody() {
        long[] a = args("POST", base + "/echo", "X-Forge-Test: yes\n", "hello", 1000);
        assertEquals(0, request.call(memory, a)[0]);
        assertEquals(201, memory.readI32(8));
        assertEquals("POST hello yes", memory.readUtf8(10000, memory.readI32(12)));
    }

    @Test
    void describeNamesHostAndPortForTheGate() {
        long[] a = args("GET", base + "/echo", "", "", 10);
        Map<String, Object> d = request.describe(memory, a);
        assertEquals("127.0.0.1", d.get("host"));
        assertEquals(server.getAddress().getPort(), d.get("port"));
        assertEquals(443, request.describe(memory, args("GET", "https://Example.COM/x", "", "", 10)).get("port"));
        assertEquals("example.com", request.describe(memory, args("GET", "https://Example.COM/x", "", "", 10))
                .get("host"));
        assertFalse(request.describe(memory, args("GET", "file:///etc/passwd", "", "", 10)).containsKey("host"));
    }

    @Test
    void responsesOverTheCapAreCutWithE2big() {
        assertEquals(1, request.call(memory, args("GET", base + "/big", "", "", 100000))[0]);
        assertEquals(1000, memory.readI32(12));
        assertEquals(1, request.call(memory, args("GET", base + "/big", "", "", 10))[0]);
        assertEquals(10, memory.readI32(12));
    }

    @Test
    void redirectsAreNotFollowed() {
        assertEquals(0, request.call(memory, args("GET", base + "/moved", "", "", 100))[0]);
        assertEquals(302, memory.readI32(8));
    }

    @Test
    void badInputAndUnreachableHostsGetErrorNumbers() throws IOException {
        assertEquals(28, request.call(memory, args("GET", "file:///etc/passwd", "", "", 10))[0]);
        assertEquals(28, request.call(memory, args("get me", base + "/echo", "", "", 10))[0]);
        assertEquals(28, request.call(memory, args("GET", base + "/echo", "no colon here", "", 10))[0]);
        assertEquals(28, request.call(memory, args("GET", base + "/echo", "Host: evil", "", 10))[0]);
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        assertEquals(14, request.call(memory, args("GET", "http://127.0.0.1:" + closedPort + "/", "", "", 10))[0]);
        long[] outside = args("GET", base + "/echo", "", "", 10);
        outside[8] = (1 << 20) - 4;
        assertEquals(21, request.call(memory, outside)[0]);
        assertEquals(76, request.deniedErrno().getAsInt());
    }
}
