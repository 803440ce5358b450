package io.forgeone.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.policy.AuditListener;
import io.forgeone.api.policy.AuditLog;
import io.forgeone.api.policy.AuditQuery;
import io.forgeone.api.policy.AuditRecord;
import io.forgeone.api.policy.PolicyService;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The decision log read back through the AuditLog service and forge:audit, on a node with the policy gate. */
@Timeout(60)
public class AuditIT {
    private ContainerRuntime runtime;
    private PolicyService policies;
    private AuditLog audit;
    private Path policyDir;
    private Path dir;

    @BeforeAll
    static void onlyWithPolicyGate() {
        Assumptions.assumeTrue(Node.policyGate(), "runs on the node with the policy gate (policy.bndrun)");
    }

    @BeforeEach
    void setUp() throws Exception {
        runtime = Node.service(ContainerRuntime.class);
        policies = Node.service(PolicyService.class);
        audit = Node.service(AuditLog.class);
        policyDir = Files.createDirectories(Path.of(Node.context().getProperty("forge.home")).resolve("etc/policies"));
        dir = Files.createTempDirectory("forge-audit");
    }

    @AfterEach
    void tearDown() throws Exception {
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
        long deadline = System.currentTimeMillis() + 10_000;
        while (!policies.list().isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
    }

    private void install(String name, String yaml) throws Exception {
        Files.writeString(policyDir.resolve(name + ".yaml"), yaml);
        long deadline = System.currentTimeMillis() + 10_000;
        while (policies.get(name).isEmpty()) {
            assertTrue(System.currentTimeMillis() < deadline, "policy " + name + " not loaded: " + policies.problems());
            Thread.sleep(100);
        }
    }

    /** Grants what clockrand.wasm needs except random: its random_get is denied. */
    private void installNoRandom() throws Exception {
        install("norandom", String.join("\n", "name: norandom", "match: {name: audited-*}", "grants:", "  args: true",
                "  env: true", "  clocks: true", "  stdout: true", "  stderr: true", ""));
    }

    private ContainerInfo run(String module, String name) throws InterruptedException {
        ContainerInfo created = runtime.create(ContainerSpec.of(Node.wasm(dir, module)).withName(name),
                ContainerIO.DETACHED);
        runtime.start(created.id());
        return runtime.await(created.id(), Duration.ofSeconds(30));
    }

    @Test
    public void everyDenialOfAContainerIsReadBackAsARecord() throws Exception {
        installNoRandom();
        Instant before = Instant.now();
        ContainerInfo c = run("clockrand.wasm", "audited-1");
        assertNotEquals(0, c.exitCode(), "random is not granted");
        assertTrue(c.deniedHostCalls() > 0);

        List<AuditRecord> records = audit.query(AuditQuery.ALL.withContainer(c.id())).records();
        assertEquals(c.deniedHostCalls(), records.size(), "one record per denial: " + records);
        for (AuditRecord r : records) {
            assertEquals("deny", r.decision());
            assertEquals("audited-1", r.name());
            assertEquals("norandom", r.policy());
            assertEquals("random_get", r.function());
            assertEquals("random", r.rule());
            assertEquals("sha256:" + c.moduleSha256(), r.identity());
            assertTrue(!r.time().isBefore(before.minusSeconds(1)), r.time().toString());
        }
        assertEquals(records, audit.query(AuditQuery.ALL.withContainer("audited-1").withCall("random_get")
                .withRule("random").withPolicy("norandom").withDecisions(Set.of("deny")).withSince(before)).records());
        assertEquals(List.of(), audit.query(AuditQuery.ALL.withContainer(c.id()).withCall("path_open")).records());
    }

    @Test
    public void aFollowerSeesDenialsAsTheyAreWritten() throws Exception {
        installNoRandom();
        List<AuditRecord> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch got = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AuditListener listener = r -> {
            seen.add(r);
            got.countDown();
            return !r.name().equals("audited-flast");
        };
        Instant start = Instant.now(); // records of earlier runs of this test stay in the node's log
        Thread follower = new Thread(() -> {
            try {
                audit.follow(AuditQuery.ALL.withContainer("audited-f").withDecisions(Set.of("deny")).withSince(start),
                        listener);
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "audit-follower");
        follower.start();
        Thread.sleep(300); // let the follower get past the existing records
        ContainerInfo c = run("clockrand.wasm", "audited-f1");
        assertTrue(got.await(10, TimeUnit.SECONDS), "the follower saw nothing");
        run("clockrand.wasm", "audited-flast");
        follower.join(10_000);
        assertTrue(!follower.isAlive(), "the follower did not stop after its last record");
        assertEquals(null, failure.get());
        assertEquals(c.deniedHostCalls(), seen.stream().filter(r -> r.container().equals(c.id())).count());
        assertTrue(seen.stream().allMatch(r -> r.name().startsWith("audited-f")), seen.toString());
    }

    @Test
    public void loggedAllowsAreAllWrittenByTheGroupCommit() throws Exception {
        install("chatty", String.join("\n", "name: chatty", "match: {name: chatty-*}", "grants:", "  args: true",
                "  env: true", "  clocks: true", "  random: true", "  stdout: true", "  stderr: true",
                "log: {allows: true}", ""));
        ContainerInfo c = run("clockrand.wasm", "chatty-1");
        assertEquals(0, c.exitCode(), c.message());
        assertEquals(0, c.deniedHostCalls());
        // allowed calls are queued and written by the log's writer thread: wait for them, then count exactly
        long deadline = System.currentTimeMillis() + 10_000;
        List<AuditRecord> allowed = List.of();
        while (System.currentTimeMillis() < deadline) {
            allowed = audit.query(AuditQuery.ALL.withContainer(c.id())).records();
            if (allowed.size() >= c.hostCalls()) {
                break;
            }
            Thread.sleep(50);
        }
        assertEquals(c.hostCalls(), allowed.size(), "one record per allowed call, no more, no fewer");
        assertTrue(allowed.stream().allMatch(r -> r.decision().equals("allow") && r.policy().equals("chatty")));
        assertTrue(allowed.stream().anyMatch(r -> r.function().equals("random_get")));
    }

    @Test
    public void gogoAuditCommand() throws Exception {
        installNoRandom();
        ContainerInfo c = run("clockrand.wasm", "audited-g");
        CommandProcessor processor = Node.service(CommandProcessor.class);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out)) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (true) {
                try {
                    session.execute("forge:audit --container " + c.id() + " --json");
                    break;
                } catch (Exception e) {
                    if (System.currentTimeMillis() > deadline) {
                        throw e; // SCR registers the commands shortly after the framework starts
                    }
                    Thread.sleep(100);
                }
            }
            String[] lines = console.toString(StandardCharsets.UTF_8).split("\n");
            assertEquals(c.deniedHostCalls(), lines.length, String.join("\n", lines));
            assertTrue(lines[0].startsWith("{\"time\":\"") && lines[0].contains("\"name\":\"audited-g\""), lines[0]);

            console.reset();
            session.execute("forge:audit --container audited-g --call random_get -n 1");
            String table = console.toString(StandardCharsets.UTF_8);
            assertTrue(table.startsWith("TIME (UTC)"), table);
            assertEquals(2, table.split("\n").length, table);
            assertTrue(table.contains("audited-g") && table.contains("random_get") && table.contains("norandom"),
                    table);

            Exception bad = assertThrows(Exception.class,
                    () -> session.execute("forge:audit --decision nope"));
            assertTrue(bad.getMessage().contains("--decision 'nope' is not one of"), bad.getMessage());
        }
    }
}
