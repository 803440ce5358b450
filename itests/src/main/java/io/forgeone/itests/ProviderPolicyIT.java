package io.forgeone.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerSpecException;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.policy.PolicyService;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Capability providers under the policy gate: forge:http reaches only granted hosts; ungranted imports fail at create. */
@Timeout(90)
public class ProviderPolicyIT {
    private ContainerRuntime runtime;
    private PolicyService policies;
    private Path policyDir;
    private Path dir;
    private HttpServer server;
    private int port;

    @BeforeAll
    static void onlyWithPolicyGateAndProviders() {
        Assumptions.assumeTrue(Node.policyGate(), "runs on the node with the policy gate (policy.bndrun)");
        Assumptions.assumeTrue(Node.installed("io.forgeone.provider-http"), "runs where the providers are installed");
    }

    @BeforeEach
    void setUp() throws Exception {
        runtime = Node.service(ContainerRuntime.class);
        policies = Node.service(PolicyService.class);
        policyDir = Files.createDirectories(Path.of(Node.context().getProperty("forge.home")).resolve("etc/policies"));
        dir = Files.createTempDirectory("forge-provider-policy");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hello", x -> {
            byte[] out = ("hello " + x.getRequestHeaders().getFirst("X-Forge-Test")).getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, out.length);
            x.getResponseBody().write(out);
            x.close();
        });
        server.start();
        port = server.getAddress().getPort();
        long deadline = System.currentTimeMillis() + 10_000;
        while (runtime.providers().size() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        server.stop(0);
        for (ContainerInfo c : runtime.list()) {
            if (c.state() == ContainerState.RUNNING) {
                runtime.kill(c.id());
            }
            runtime.delete(c.id());
        }
        try (var files = Files.list(policyDir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        awaitPolicies(0);
    }

    private void install(String file, String yaml) throws Exception {
        Files.writeString(policyDir.resolve(file), yaml);
        awaitPolicies(1);
    }

    private void awaitPolicies(int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (policies.list().size() != count) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("policies in force: " + policies.list() + ", problems: " + policies.problems());
            }
            Thread.sleep(100);
        }
    }

    private ContainerInfo run(String name, String program, String... args) throws InterruptedException {
        ContainerInfo created = runtime.create(ContainerSpec.of(Node.wasm(dir, program)).withName(name)
                .withArgs(List.of(args)), ContainerIO.DETACHED);
        runtime.start(created.id());
        return runtime.await(created.id(), Duration.ofSeconds(30));
    }

    private static final String BASICS = "  args: true\n  stdout: true\n  stderr: true\n";

    @Test
    public void httpReachesTheGrantedHostAndIsDeniedOthers() throws Exception {
        install("web.yaml", "name: web\nmatch: {name: web-*}\ngrants:\n" + BASICS
                + "  net:\n    - host: 127.0.0.1\n      ports: [" + port + "]\n");
        ContainerInfo ok = run("web-ok", "http.wasm", "http://127.0.0.1:" + port + "/hello");
        assertEquals(0, ok.exitCode(), ok.message() + " " + runtime.logs(ok.id()).stderr());
        assertEquals("status=200\nhello yes\n", runtime.logs(ok.id()).stdout());

        ContainerInfo other = run("web-other", "http.wasm", "http://localhost:" + port + "/hello");
        assertEquals(76, other.exitCode(), "ENOTCAPABLE for a host no net grant names");
        assertEquals("request: errno 76\n", runtime.logs(other.id()).stderr());
        assertEquals(1, other.deniedHostCalls());
        List<String> log = Files.readAllLines(Path.of(Node.context().getProperty("forge.var"), "log/decisions.log"));
        assertTrue(log.stream().anyMatch(l -> l.contains(other.id()) && l.contains("forge:http")
                && l.contains("localhost")), "the denial is logged with its destination");
    }

    @Test
    public void importsThePolicyNeverGrantsFailAtCreateNamingTheGrant() throws Exception {
        install("web.yaml", "name: web\nmatch: {name: web-*}\ngrants:\n" + BASICS
                + "  functions: [forge:kv.get]\n");
        ContainerSpecException kv = assertThrows(ContainerSpecException.class, () -> runtime.create(
                ContainerSpec.of(Node.wasm(dir, "kv.wasm")).withName("web-kv"), ContainerIO.DETACHED));
        assertTrue(kv.getMessage().contains("forge:kv.put is not granted by policy web"), kv.getMessage());
        assertTrue(kv.getMessage().contains("add functions: [forge:kv.put] to its grants"), kv.getMessage());
        ContainerSpecException http = assertThrows(ContainerSpecException.class, () -> runtime.create(
                ContainerSpec.of(Node.wasm(dir, "http.wasm")).withName("web-http"), ContainerIO.DETACHED));
        assertTrue(http.getMessage().contains("forge:http.request is not granted by policy web"), http.getMessage());

        Files.writeString(policyDir.resolve("web.yaml"), "name: web\nmatch: {name: web-*}\ngrants:\n" + BASICS
                + "  functions: [forge:kv.get, forge:kv.put]\n");
        long deadline = System.currentTimeMillis() + 10_000;
        while (!policies.get("web").orElseThrow().rules().contains("functions: forge:kv.put")) {
            assertTrue(System.currentTimeMillis() < deadline, "policy not reloaded");
            Thread.sleep(100);
        }
        ContainerInfo granted = run("web-kv", "kv.wasm", "count");
        assertEquals(0, granted.exitCode(), runtime.logs(granted.id()).stderr());
        assertTrue(runtime.logs(granted.id()).stdout().startsWith("count="));
    }
}
