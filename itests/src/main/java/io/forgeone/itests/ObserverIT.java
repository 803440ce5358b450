package io.forgeone.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.gate.Decision;
import io.forgeone.api.observe.HostCallRecorder;
import io.forgeone.api.observe.NoSuchTraceException;
import io.forgeone.api.observe.ReplayReport;
import io.forgeone.api.observe.ReplayService;
import io.forgeone.api.observe.TraceFormatException;
import io.forgeone.api.observe.TraceInfo;
import io.forgeone.api.observe.TracePage;
import io.forgeone.api.observe.TraceQuery;
import io.forgeone.api.observe.TraceRecord;
import io.forgeone.api.observe.TraceService;
import io.forgeone.api.wasi.Preopen;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The observer in a real node: every host call of real programs recorded, read back through the trace service and
 * the Gogo command, written to trace files for containers configured so, and replayed from them.
 */
@Timeout(120)
public class ObserverIT {
    private ContainerRuntime runtime;
    private TraceService traces;
    private Path dir;

    /** Containers named traced-* get trace files; waits until the observer runs with that configuration. */
    @BeforeAll
    static void traceFilesForTracedContainers() throws Exception {
        ConfigurationAdmin admin = Node.service(ConfigurationAdmin.class);
        Configuration config = admin.getConfiguration("io.forgeone.observer", "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("durable", new String[] {"traced-*"});
        props.put("flush.ms", 50L);
        config.update(props);
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            ServiceReference<HostCallRecorder> ref = Node.context().getServiceReference(HostCallRecorder.class);
            if (ref != null && ref.getProperty("durable") instanceof String[] d && d.length == 1
                    && d[0].equals("traced-*")) {
                // and the kernel has it bound: a traced run gets files (checked by the tests themselves)
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the observer did not take its configuration within 10 s");
            }
            Thread.sleep(50);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        runtime = Node.service(ContainerRuntime.class);
        traces = Node.service(TraceService.class);
        dir = Files.createTempDirectory("forge-observer");
    }

    @AfterEach
    void tearDown() {
        for (ContainerInfo c : runtime.list()) {
            if (c.name().startsWith("traced-") || c.name().startsWith("observed-")) {
                if (c.state() != ContainerState.STOPPED) {
                    runtime.kill(c.id());
                }
                runtime.delete(c.id());
            }
        }
    }

    private ContainerInfo run(ContainerSpec spec) throws InterruptedException {
        ContainerInfo created = runtime.create(spec, ContainerIO.DETACHED);
        runtime.start(created.id());
        return runtime.await(created.id(), Duration.ofSeconds(60));
    }

    private ContainerSpec cat(String name, String content) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("input.txt"), content);
        return ContainerSpec.of(Node.wasm(dir, "cat.wasm")).withName(name)
                .withPreopens(List.of(new Preopen(data, "/data"))).withArgs(List.of("/data/input.txt"));
    }

    private static void assumePlainNode() {
        org.junit.jupiter.api.Assumptions.assumeFalse(Node.policyGate(),
                "cat runs ungranted only without the policy gate (felix.bndrun)");
    }

    @Test
    public void everyCallOfARealProgramIsRecordedInOrder() throws Exception {
        assumePlainNode();
        ContainerInfo done = run(cat("observed-cat", "line one\n"));
        assertEquals(0, done.exitCode());
        TracePage page = traces.records("observed-cat", TraceQuery.ALL);
        assertTrue(page.ended());
        assertEquals(0, page.exitCode());
        assertEquals("EXITED", page.outcome());
        assertEquals(0, page.lost());
        List<TraceRecord> records = page.records();
        for (int i = 0; i < records.size(); i++) {
            assertEquals(i, records.get(i).sequence(), "numbered from 0 without gaps");
            assertEquals(Decision.ALLOW, records.get(i).decision());
        }
        TraceRecord open = records.stream().filter(r -> r.call().equals("path_open")).findFirst().orElseThrow();
        // the path as the guest passed it: relative to the preopen's descriptor (3, /data)
        assertEquals("input.txt", open.arguments().get("path"), open.arguments().toString());
        assertEquals(3, open.arguments().get("fd"));
        assertEquals(0, open.errno());
        assertEquals(4, open.bytesReturned(), "the opened descriptor, written to the guest");
        assertTrue(open.summary().startsWith("opened /data/input.txt for reading as fd "), open.summary());
        TraceRecord read = records.stream().filter(r -> r.call().equals("fd_read")).findFirst().orElseThrow();
        assertTrue(read.bytesReturned() >= 9, "the file's bytes and the count: " + read.bytesReturned());
        // wasi-libc's preopen enumeration ends at EBADF: routine, no sentence
        assertTrue(records.stream().filter(r -> r.call().equals("fd_prestat_get")).allMatch(r -> r.summary().isEmpty()));
        assertEquals(1, records.stream().filter(r -> !r.summary().isEmpty()).count(), "only the open is notable");

        TraceInfo info = traces.info(done.id().substring(0, 6));
        assertEquals("observed-cat", info.containerName());
        assertEquals(records.size(), info.calls());
        assertTrue(info.files().isEmpty(), "not configured to be written to disk");

        TracePage filtered = traces.records("observed-cat", new TraceQuery(open.sequence(), "fd_read", 1));
        assertEquals(1, filtered.records().size());
        assertEquals("fd_read", filtered.records().get(0).call());
        assertTrue(filtered.records().get(0).sequence() > open.sequence());
    }

    @Test
    public void tracedRunsGoToFilesAndReplayIdentically() throws Exception {
        ContainerSpec spec = Node.policyGate()
                // no policy grants hello anything: its calls are denied, and the denials replay as recorded
                ? ContainerSpec.of(Node.wasm(dir, "hello.wasm")).withName("traced-denied")
                : ContainerSpec.of(Node.wasm(dir, "clockrand.wasm")).withName("traced-clock");
        ContainerInfo done = run(spec);
        TraceInfo info = traces.info(spec.name());
        assertTrue(info.ended());
        assertFalse(info.files().isEmpty(), "a traced-* run is written to trace files");
        Path folder = info.files().get(0).getParent();
        assertEquals(done.id(), folder.getFileName().toString());

        TracePage fromFile = traces.read(folder, TraceQuery.ALL);
        TracePage fromMemory = traces.records(spec.name(), TraceQuery.ALL);
        assertEquals(fromMemory.records().size(), fromFile.records().size());
        assertEquals(done.exitCode(), fromFile.exitCode());
        for (int i = 0; i < fromFile.records().size(); i++) {
            assertEquals(fromMemory.records().get(i).call(), fromFile.records().get(i).call());
            assertEquals(fromMemory.records().get(i).args(), fromFile.records().get(i).args());
            assertEquals(fromMemory.records().get(i).results(), fromFile.records().get(i).results());
        }
        if (Node.policyGate()) {
            TraceRecord denied = fromFile.records().stream().filter(r -> r.decision() == Decision.DENY).findFirst()
                    .orElseThrow(() -> new AssertionError("hello ran ungranted but nothing was denied"));
            // the policy that denied it is named when the policies in force still deny it
            assertTrue(denied.summary().matches(".*: denied by (the gate|rule \\S+ of policy \\S+)"), denied.summary());
        } else {
            assertEquals(0, done.exitCode());
        }

        ReplayReport report = Node.service(ReplayService.class).replay(folder, null);
        assertTrue(report.identical(), report.text());
        assertEquals(fromFile.records().size(), report.calls());
    }

    @Test
    public void aCorruptedTraceFileIsAClearError() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.trace"), "FORGETRC\u0001garbage");
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> traces.read(bad, TraceQuery.ALL));
        assertTrue(e.getMessage().startsWith(bad + " at byte 9: "), e.getMessage());
        assertThrows(NoSuchTraceException.class, () -> traces.records("no-such-container", TraceQuery.ALL));
    }

    @Test
    public void theGogoCommandShowsFiltersSummarisesAndReplays() throws Exception {
        assumePlainNode();
        CommandProcessor processor = Node.service(CommandProcessor.class);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out)) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (true) {
                try {
                    session.execute("forge:trace");
                    break;
                } catch (Exception e) {
                    if (System.currentTimeMillis() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
            ContainerInfo done = run(cat("traced-cat", "hello\n"));
            assertEquals(0, done.exitCode());

            String opens = (String) session.execute("forge:trace --filter call=path_open traced-cat");
            assertTrue(opens.contains("path_open(fd=3") && opens.contains("path=input.txt"), opens);
            assertFalse(opens.contains("fd_read("), opens);
            assertTrue(opens.endsWith("-- end: EXITED (exit 0)\n"), opens);

            String summary = (String) session.execute("forge:trace --summary traced-cat");
            assertTrue(summary.contains(" opened /data/input.txt for reading as fd "), summary);
            assertTrue(summary.startsWith("#"), summary);
            assertEquals(2, summary.lines().count(), summary);
            assertTrue(summary.endsWith("the run ended: EXITED (exit 0)\n"), summary);

            String one = (String) session.execute("forge:trace --since 2 --limit 1 traced-cat");
            assertTrue(one.startsWith("#2 "), one);
            assertEquals(1, one.lines().count(), one);

            console.reset();
            assertEquals("", session.execute("forge:trace --follow --summary " + done.id()));
            assertTrue(console.toString(StandardCharsets.UTF_8).endsWith("the run ended: EXITED (exit 0)\n"),
                    console.toString(StandardCharsets.UTF_8));

            String listed = (String) session.execute("forge:trace");
            assertTrue(listed.contains(done.id()) && listed.contains("traced-cat"), listed);

            Path folder = traces.info("traced-cat").files().get(0).getParent();
            String replayed = (String) session.execute("forge:replay " + folder);
            assertTrue(replayed.startsWith("identical ("), replayed);

            Exception badSince = assertThrows(Exception.class, () -> session.execute("forge:trace --since x traced-cat"));
            assertTrue(String.valueOf(badSince.getMessage()).contains("--since 'x': expected a number"),
                    String.valueOf(badSince.getMessage()));
            Exception badFilter = assertThrows(Exception.class,
                    () -> session.execute("forge:trace --filter path=x traced-cat"));
            assertTrue(String.valueOf(badFilter.getMessage()).contains("expected call=NAME"),
                    String.valueOf(badFilter.getMessage()));
        }
    }
}
