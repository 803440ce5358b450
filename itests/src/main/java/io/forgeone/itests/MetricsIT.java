package io.forgeone.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.forgeone.api.auth.Role;
import io.forgeone.api.auth.TokenService;
import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.pkg.PackageStore;
import io.forgeone.api.policy.PolicyService;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * GET /metrics on a real node (metrics.bndrun): containers run real wasm through the policy gate, the exposition is
 * scraped over real HTTP with a viewer token (and refused without one), its figures are checked against what the
 * programs did, and {@code promtool check metrics} must accept it.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class MetricsIT {
    private static URI base;
    private static HttpClient http;
    private static String viewer;
    private static Configuration restConfig;
    private static Hashtable<String, Object> restProps;
    private static Path dir;

    @BeforeAll
    static void startNode() throws Exception {
        Assumptions.assumeTrue(List.of("io.forgeone.metrics", "io.forgeone.rest").stream().allMatch(MetricsIT::installed),
                "runs on the node with the rest and metrics bundles (metrics.bndrun)");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ConfigurationAdmin cm = Node.service(ConfigurationAdmin.class);
        restConfig = cm.getConfiguration("io.forgeone.rest", "?");
        restProps = new Hashtable<>();
        restProps.put("port", port);
        restConfig.update(restProps);
        base = URI.create("http://127.0.0.1:" + port);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        awaitStatus("/v1/health", null, 200);
        // stdout and args, but not random: the test program's random_get calls are denied
        Path policies = Files.createDirectories(Path.of(Node.context().getProperty("forge.home"), "etc", "policies"));
        Files.writeString(policies.resolve("metrics-it.yaml"), "name: metrics-it\nmode: enforce\ngrants:\n"
                + "  args: true\n  stdout: true\n  stderr: true\ntrust:\n  penalty: 5\n  threshold: 0\n");
        PolicyService policy = Node.service(PolicyService.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (policy.get("metrics-it").isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the policy file was not picked up: " + policy.problems());
            Thread.sleep(100);
        }
        viewer = Node.service(TokenService.class).create(Role.VIEWER, "metrics-it").token();
        dir = Files.createTempDirectory("forge-metrics-it");
    }

    private static boolean installed(String symbolicName) {
        return java.util.Arrays.stream(Node.context().getBundles()).anyMatch(b -> b.getSymbolicName().equals(symbolicName));
    }

    private static HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static void awaitStatus(String path, String token, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                if (get(path, token).statusCode() == status) {
                    return;
                }
            } catch (IOException e) {
                // the server is (re)starting
            }
            if (System.nanoTime() > deadline) {
                fail(path + " did not answer " + status + " within 20 s");
            }
            Thread.sleep(100);
        }
    }

    private static String scrape() throws Exception {
        HttpResponse<String> r = get("/metrics", viewer);
        assertEquals(200, r.statusCode(), r::body);
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        return r.body();
    }

    /** The value of the one series of {@code name} whose labels include every {@code label="value"} pair given. */
    private static double value(String text, String name, String... labels) {
        Double found = null;
        for (String line : text.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= line.contains(l);
            }
            if (all) {
                if (found != null) {
                    fail("more than one series " + name + " with " + String.join(",", labels) + " in\n" + text);
                }
                found = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        if (found == null) {
            fail("no series " + name + " with " + String.join(",", labels) + " in\n" + text);
        }
        return found;
    }

    private static ContainerInfo runToEnd(String program, String name) throws Exception {
        ContainerRuntime runtime = Node.service(ContainerRuntime.class);
        ContainerInfo c = runtime.create(ContainerSpec.of(Node.wasm(dir, program)).withName(name), ContainerIO.DETACHED);
        runtime.start(c.id());
        ContainerInfo done = runtime.await(c.id(), Duration.ofSeconds(30));
        assertEquals(ContainerState.STOPPED, done.state(), done::toString);
        return done;
    }

    @Test
    @Order(1)
    public void aScrapeNeedsAViewerToken() throws Exception {
        HttpResponse<String> anonymous = get("/metrics", null);
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.body().contains("\"unauthorized\""), anonymous.body());
        HttpResponse<String> badToken = get("/metrics", "fo1_0000000000000000_nope");
        assertEquals(401, badToken.statusCode());
        String text = scrape();
        assertEquals(1.0, value(text, "forge_metrics_source_up", "source=\"containers\""));
        assertEquals(1.0, value(text, "forge_metrics_source_up", "source=\"packages\""));
        assertEquals(1.0, value(text, "forge_metrics_source_up", "source=\"verifier\""));
        Promtool.check(text);
    }

    @Test
    @Order(2)
    public void aContainerRunThroughTheGateShowsItsCallsBytesAndDenials() throws Exception {
        ContainerInfo done = runToEnd("metriccalls.wasm", "metric-calls");
        assertEquals(0, done.exitCode(), done::toString);
        String text = scrape();
        String id = "id=\"" + done.id() + "\"";
        String engine = "engine=\"chicory\"";
        assertEquals(70.0, value(text, "forge_container_host_calls_total", id, engine, "package=\"\"",
                "call=\"wasi_snapshot_preview1.fd_write\"", "decision=\"allow\""));
        assertEquals(2.0, value(text, "forge_container_host_calls_total", id,
                "call=\"wasi_snapshot_preview1.random_get\"", "decision=\"deny\""));
        assertEquals(2.0, value(text, "forge_container_denied_host_calls_total", id));
        assertEquals(350.0, value(text, "forge_container_written_bytes_total", id));
        assertEquals(0.0, value(text, "forge_container_read_bytes_total", id));
        assertEquals(65536.0, value(text, "forge_container_memory_bytes", id), "one page, its last size");
        assertEquals(90.0, value(text, "forge_container_trust_score", id), "two denials at 5 points each");
        assertEquals(1.0, value(text, "forge_container_state", id, "state=\"stopped\""));
        assertEquals(0.0, value(text, "forge_container_state", id, "state=\"running\""));
        assertEquals(1.0, value(text, "forge_container_info", id, "name=\"metric-calls\""));
        assertTrue(value(text, "forge_container_uptime_seconds", id) > 0);
        assertTrue(value(text, "forge_containers", "state=\"stopped\"") >= 1);
        // 72 calls, one in 64 timed
        assertTrue(value(text, "forge_gate_decision_duration_seconds_count") >= 1, text);
        assertEquals(value(text, "forge_gate_decision_duration_seconds_count"),
                value(text, "forge_gate_decision_duration_seconds_bucket", "le=\"+Inf\""));
        Promtool.check(text);
    }

    @Test
    @Order(3)
    public void aRunningContainerHasCpuAndUptimeAndDisappearsOnceDeleted() throws Exception {
        ContainerRuntime runtime = Node.service(ContainerRuntime.class);
        ContainerInfo c = runtime.create(ContainerSpec.of(Node.wasm(dir, "loop.wasm")).withName("metric-loop"),
                ContainerIO.DETACHED);
        runtime.start(c.id());
        String id = "id=\"" + c.id() + "\"";
        String text = scrape();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        // loop.wasm prints once, then spins: wait until it has burnt measurable CPU
        while (!text.contains("forge_container_cpu_seconds_total{" + "engine=\"chicory\"," + id)
                || value(text, "forge_container_cpu_seconds_total", id) < 0.05) {
            assertTrue(System.nanoTime() < deadline, "no CPU time for the looping container:\n" + text);
            Thread.sleep(100);
            text = scrape();
        }
        assertEquals(1.0, value(text, "forge_container_state", id, "state=\"running\""));
        assertTrue(value(text, "forge_containers", "state=\"running\"") >= 1);
        assertTrue(value(text, "forge_container_memory_bytes", id) >= 65536, "a running guest's memory");
        assertTrue(value(text, "forge_container_host_calls_total", id, "call=\"wasi_snapshot_preview1.fd_write\"") >= 1);
        Promtool.check(text);
        runtime.kill(c.id());
        runtime.await(c.id(), Duration.ofSeconds(10));
        runtime.delete(c.id());
        String after = scrape();
        assertFalse(after.contains(id), "a deleted container is gone from the metrics:\n" + after);
        Promtool.check(after);
    }

    @Test
    @Order(4)
    public void aRefusedPackageCountsAsAVerificationFailure() throws Exception {
        double before = value(scrape(), "forge_package_verification_failures_total");
        PackageStore store = Node.service(PackageStore.class);
        assertThrows(PackageException.class, () -> store.open("not a package".getBytes(StandardCharsets.UTF_8)));
        String text = scrape();
        assertEquals(before + 1, value(text, "forge_package_verification_failures_total"));
        assertEquals(store.list().size(), value(text, "forge_packages"));
    }

    @Test
    @Order(5)
    public void metricsOpenServesThemWithoutAToken() throws Exception {
        restProps.put("metrics.open", true);
        restConfig.update(restProps);
        try {
            awaitStatus("/metrics", null, 200);
            assertEquals(401, get("/v1/version", null).statusCode(), "only /metrics opens");
            Promtool.check(get("/metrics", null).body());
        } finally {
            restProps.put("metrics.open", false);
            restConfig.update(restProps);
            awaitStatus("/metrics", null, 401);
        }
    }

    /** promtool check metrics (Debian package prometheus); fails without it unless FORGE_ALLOW_NO_PROMTOOL=1. */
    static final class Promtool {
        private Promtool() {
        }

        static void check(String exposition) throws IOException, InterruptedException {
            String path = null;
            for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                if (!d.isEmpty() && Files.isExecutable(Path.of(d, "promtool"))) {
                    path = Path.of(d, "promtool").toString();
                    break;
                }
            }
            if (path == null) {
                if ("1".equals(System.getenv("FORGE_ALLOW_NO_PROMTOOL"))) {
                    Assumptions.abort("promtool is not installed and FORGE_ALLOW_NO_PROMTOOL=1");
                }
                fail("promtool is not on the PATH: apt-get install -y prometheus (or FORGE_ALLOW_NO_PROMTOOL=1 to skip)");
            }
            Process p = new ProcessBuilder(path, "check", "metrics").redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(exposition.getBytes(StandardCharsets.UTF_8));
            }
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("promtool check metrics did not finish in 60 s");
            }
            assertEquals(0, p.exitValue(), () -> "promtool check metrics refused the exposition:\n" + said + "\n---\n"
                    + exposition);
            assertEquals("", said.strip(), () -> "promtool check metrics found problems:\n" + said);
        }
    }
}
