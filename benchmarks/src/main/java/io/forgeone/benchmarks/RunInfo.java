package io.forgeone.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the machine was and how busy it was while the benchmarks ran: written next to JMH's results so that
 * the report states the machine (cores, CPU, OS, memory), the JDK and the load it was measured under.
 */
public final class RunInfo {

    private final Map<String, Object> facts = new LinkedHashMap<>();
    private final List<Double> loads = new CopyOnWriteArrayList<>();
    private Thread sampler;

    /** The machine's facts, read now. */
    public static RunInfo ofThisMachine(String mode) {
        RunInfo info = new RunInfo();
        Map<String, Object> f = info.facts;
        f.put("mode", mode);
        f.put("started", Instant.now().toString());
        f.put("cores", Runtime.getRuntime().availableProcessors());
        f.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch")));
        f.put("memoryBytes", totalMemory());
        f.put("os", firstValue(Path.of("/etc/os-release"), "PRETTY_NAME").map(v -> v.replace("\"", ""))
                .orElse(System.getProperty("os.name")) + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        f.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vendor") + ")");
        f.put("loadAverageAtStart", loadAverage());
        return info;
    }

    public Map<String, Object> facts() {
        return facts;
    }

    public void put(String key, Object value) {
        facts.put(key, value);
    }

    /** Samples the 1-minute load average every 10 s until {@link #finish}. */
    public void startSampling() {
        sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                double load = loadAverage();
                if (load >= 0) {
                    loads.add(load);
                }
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "load-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    public void finish() {
        if (sampler != null) {
            sampler.interrupt();
        }
        facts.put("finished", Instant.now().toString());
        facts.put("loadAverageAtEnd", loadAverage());
        facts.put("loadAverageMean", loads.stream().mapToDouble(Double::doubleValue).average().orElse(-1));
        facts.put("loadAverageMax", loads.stream().mapToDouble(Double::doubleValue).max().orElse(-1));
    }

    /** The 1-minute load average (all processes on the machine, ours included), or -1 where unknown. */
    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static long totalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }

    private static java.util.Optional<String> firstValue(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                int sep = line.indexOf(line.contains(":") && !line.contains("=") ? ':' : '=');
                if (sep > 0 && line.substring(0, sep).trim().equals(key)) {
                    return java.util.Optional.of(line.substring(sep + 1).trim());
                }
            }
        } catch (IOException e) {
            // not Linux (no /proc or /etc/os-release): the caller falls back to what the JVM knows
            return java.util.Optional.empty();
        }
        return java.util.Optional.empty();
    }
}
