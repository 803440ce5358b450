package io.forgeone.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.benchmarks.report.Targets.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportGeneratorTest {
    @TempDir
    Path dir;

    /** One JMH result as JMH writes it (-rf json), with a GC-profiler metric and JMH's "NaN" strings. */
    private static String result(String benchmark, String mode, double score, String unit, Double allocated) {
        String params = mode == null ? "" : "\"params\" : { \"mode\" : \"" + mode + "\" },";
        String secondary = allocated == null ? "{}" : "{ \"\u00b7gc.alloc.rate.norm\" : { \"score\" : " + allocated
                + ", \"scoreError\" : \"NaN\", \"scoreUnit\" : \"B/op\" } }";
        return String.format(Locale.ROOT, "{ \"benchmark\" : \"io.forgeone.benchmarks.%s\", \"mode\" : \"avgt\","
                + " \"forks\" : 2, \"jvmArgs\" : [\"-Xmx2g\"], \"warmupIterations\" : 5, \"warmupTime\" : \"1 s\","
                + " \"measurementIterations\" : 5, \"measurementTime\" : \"1 s\", %s"
                + " \"primaryMetric\" : { \"score\" : %s, \"scoreError\" : \"NaN\", \"scoreUnit\" : \"%s\" },"
                + " \"secondaryMetrics\" : %s }", benchmark, params, score, unit, secondary);
    }

    private void write(String... results) throws IOException {
        Files.writeString(dir.resolve(ReportGenerator.JMH_JSON), "[" + String.join(",\n", results) + "]");
    }

    @Test
    void readsJmhJsonIntoNanosecondsPerOperation() throws IOException {
        write(result("hostcall.HostCallBenchmark.raw", "compiled", 3.5, "ns/op", 0.001),
                result("compute.JavaComputeBenchmark.fib", null, 2.5, "ms/op", null));
        Results results = Results.read(dir.resolve(ReportGenerator.JMH_JSON));
        Score raw = results.find("HostCallBenchmark.raw", "compiled").orElseThrow();
        assertEquals(3.5, raw.nanos(), 1e-9);
        assertTrue(Double.isNaN(raw.error()));
        assertEquals(0.001, raw.allocatedBytesPerOp(), 1e-9);
        assertEquals(2.5e6, results.find("JavaComputeBenchmark.fib").orElseThrow().nanos(), 1e-3);
        assertTrue(results.find("HostCallBenchmark.raw", "interpreted").isEmpty());
        assertEquals(List.of("-Xmx2g"), results.jvmArgs());
    }

    @Test
    void judgesTargetsAndSaysByHowMuch() throws IOException {
        write(result("hostcall.HostCallBenchmark.raw", "compiled", 4, "ns/op", null),
                result("hostcall.HostCallBenchmark.permissiveGate", "compiled", 10, "ns/op", null),
                result("hostcall.HostCallBenchmark.policyLog", "compiled", 3054, "ns/op", null),
                result("compute.JavaComputeBenchmark.sieve", null, 10, "ms/op", null),
                result("compute.ComputeBenchmark.sieve", "compiled", 30, "ms/op", null),
                result("compute.ComputeBenchmark.sieve", "interpreted", 900, "ms/op", null),
                result("startup.StartupBenchmark.runInContainer", "compiled", 700, "us/op", null));
        List<Verdict> verdicts = Targets.judge(Results.read(dir.resolve(ReportGenerator.JMH_JSON)), Optional.empty());
        Verdict gate = verdicts.get(0);
        assertTrue(gate.met(), gate.toString());
        assertEquals("+6.0 ns (10.0 ns vs 4.0 ns)", gate.measured());
        Verdict logged = verdicts.get(1);
        assertFalse(logged.met());
        assertEquals("missed by 3.0 µs", logged.margin());
        assertEquals(Optional.of("HostCallBenchmark.policyLog"), logged.profile());
        Verdict sieve = verdicts.get(2);
        assertFalse(sieve.met());
        assertEquals("sieve on chicory compiled", sieve.subject());
        assertEquals("missed by 100% (3.00x vs 1.5x)", sieve.margin());
        Verdict container = verdicts.get(3);
        assertTrue(container.met());
        assertEquals("300.0 µs to spare", container.margin());
    }

    @Test
    void writesTheMarkdownAndAChartPerFigure() throws IOException {
        write(result("hostcall.HostCallBenchmark.raw", "compiled", 4, "ns/op", 0.0),
                result("hostcall.HostCallBenchmark.raw", "interpreted", 300, "ns/op", 0.0),
                result("hostcall.HostCallBenchmark.policyAllow", "compiled", 12, "ns/op", 0.0),
                result("compute.JavaComputeBenchmark.fib", null, 3, "ms/op", null),
                result("compute.ComputeBenchmark.fib", "compiled", 3.3, "ms/op", null),
                result("io.JavaIoBenchmark.read", null, 10, "ms/op", null),
                result("io.WasiIoBenchmark.read", "compiled", 20, "ms/op", null),
                result("startup.StartupBenchmark.compile", "compiled", 40_000, "us/op", null));
        Files.writeString(dir.resolve(ReportGenerator.RUN_INFO_JSON), "{\"mode\": \"full\", \"cores\": 2,"
                + " \"loadAverageMean\": 3.5, \"loadAverageMax\": 5.0, \"jdk\": \"OpenJDK 17\"}");
        Files.writeString(dir.resolve(ReportGenerator.DENSITY_JSON), "{\"maxHeap\": 4294967296, \"heapOption\":"
                + " \"-Xmx4g\", \"cap\": 100, \"instantiated\": 100, \"stoppedBy\": \"cap\", \"heapBytesPerContainer\":"
                + " 160000.0, \"directBytesPerContainer\": 0.0, \"containersIn4GiB\": 26843, \"initialMemoryPages\": 2,"
                + " \"maxMemoryPages\": 4096, \"samples\": [{\"instances\": 0, \"heapUsed\": 1000000,"
                + " \"directUsed\": 0},"
                + " {\"instances\": 100, \"heapUsed\": 17000000, \"directUsed\": 0}], \"perContainerByClass\":"
                + " [{\"class\": \"[B\", \"instances\": 17.5, \"bytes\": 131900.0}]}");
        Path report = dir.resolve("report");

        Path md = ReportGenerator.generate(dir, report);

        String text = Files.readString(md);
        assertTrue(text.contains("**Measured under load.**"), text);
        assertTrue(text.contains("| policy gate, allowed | 12.0 ns | +8.0 ns (3.00x) | 0.0 B |"), text);
        assertTrue(text.contains("| fib(30) | 3.00 ms | 3.30 ms | **1.10x** |"), text);
        assertTrue(text.contains("| idle containers in a 4 GiB heap (extrapolated) | 26,843 (2.68x the target"), text);
        assertTrue(text.contains("| `[B` | 17.5 | 128.8 KiB |"), text);
        assertTrue(text.contains("| at least 10,000 idle containers in a 4 GiB heap |"), text);
        for (String chart : List.of("hostcalls-engine.png", "compute.png", "startup.png", "density.png",
                "wasi-io.png")) {
            assertTrue(text.contains("(charts/" + chart + ")"), chart);
            byte[] png = Files.readAllBytes(report.resolve("charts").resolve(chart));
            assertEquals((byte) 0x89, png[0], chart);
            assertEquals('P', png[1], chart);
        }
        // nothing measured for these: no empty chart, no broken image link
        assertFalse(Files.exists(report.resolve("charts").resolve("hostcalls-container.png")));
        assertFalse(text.contains("charts/hostcalls-container.png"));
    }
}
