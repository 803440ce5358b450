package io.forgeone.benchmarks.density;

import com.google.gson.GsonBuilder;
import io.forgeone.api.engine.CompiledModule;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.InstanceLimits;
import io.forgeone.api.engine.WasmEngine;
import io.forgeone.api.engine.WasmInstance;
import io.forgeone.api.gate.GateSession;
import io.forgeone.api.wasi.WasiEnvironment;
import io.forgeone.api.wasi.WasiProvider;
import io.forgeone.benchmarks.Fixtures;
import io.forgeone.kernel.internal.KernelAccess;
import io.forgeone.kernel.internal.PermissiveGate;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Density: how many idle containers fit in a heap. An idle container here is what a started container holds
 * while its guest waits: hello.wasm instantiated (compiled mode, the default limits of 4096 pages) with its own
 * WASI environment, a gate session and the kernel's gate wrappers around every WASI function; nothing runs.
 * Run in a JVM of its own with a fixed {@code -Xmx}: instantiates up to {@code --cap} of them (stopping early
 * on OutOfMemoryError), measures the heap used after a full GC at checkpoints, and writes the heap per container
 * and its extrapolation to a 4 GiB heap as JSON.
 *
 * <pre>java -Xmx4g -cp ... io.forgeone.benchmarks.density.DensityMain --cap 10000 --out density.json</pre>
 */
public final class DensityMain {

    static final long FOUR_GIB = 4L << 30;
    private static final int CHECKPOINTS = 10;

    /** What one idle container keeps reachable. */
    private record Idle(WasiEnvironment env, GateSession session, WasmInstance instance) {
    }

    private DensityMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int cap = 10_000;
        Path out = Path.of("density.json");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cap" -> cap = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "' (use --cap N --out FILE)");
            }
        }
        Map<String, Object> result = measure(cap);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, new GsonBuilder().setPrettyPrinting().create().toJson(result), StandardCharsets.UTF_8);
        System.out.printf("density: %d idle containers instantiated (%s), %.1f KiB heap each, %d would fit in 4 GiB%n",
                (Integer) result.get("instantiated"), result.get("stoppedBy"),
                (Double) result.get("heapBytesPerContainer") / 1024, (Long) result.get("containersIn4GiB"));
    }

    static Map<String, Object> measure(int cap) throws InterruptedException {
        WasmEngine engine = Fixtures.engine(Fixtures.COMPILED);
        WasiProvider wasi = Fixtures.wasi();
        PermissiveGate gate = new PermissiveGate();
        CompiledModule module = engine.compile(Fixtures.wasm("hello.wasm"));
        InstanceLimits limits = new InstanceLimits(4096);

        // settle class loading and the JIT first, so that the baseline holds what the containers do not
        for (int i = 0; i < 200; i++) {
            Idle idle = idle(engine, wasi, gate, module, limits, i);
            idle.instance().close();
            idle.env().close();
        }
        long baseHeap = usedHeapAfterGc();
        long baseDirect = directBytes();
        Map<String, long[]> baseClasses = classHistogram();

        List<Idle> containers = new ArrayList<>(cap);
        List<Map<String, Object>> samples = new ArrayList<>();
        samples.add(sample(0, baseHeap, baseDirect));
        int every = Math.max(1, cap / CHECKPOINTS);
        String stoppedBy = "cap";
        long started = System.nanoTime();
        try {
            while (containers.size() < cap) {
                containers.add(idle(engine, wasi, gate, module, limits, containers.size()));
                if (containers.size() % every == 0 || containers.size() == cap) {
                    samples.add(sample(containers.size(), usedHeapAfterGc(), directBytes()));
                }
            }
        } catch (OutOfMemoryError e) {
            // the heap is full: free a little so that the measurement itself can run, and say so
            stoppedBy = "OutOfMemoryError";
            int keep = Math.max(0, containers.size() - 16);
            containers.subList(keep, containers.size()).clear();
            samples.add(sample(containers.size(), usedHeapAfterGc(), directBytes()));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int n = containers.size();
        Map<String, Object> last = samples.get(samples.size() - 1);
        double perHeap = n == 0 ? 0 : ((Long) last.get("heapUsed") - baseHeap) / (double) n;
        double perDirect = n == 0 ? 0 : ((Long) last.get("directUsed") - baseDirect) / (double) n;

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("module", "hello.wasm");
        result.put("initialMemoryPages", module.initialMemoryPages());
        result.put("maxMemoryPages", limits.maxMemoryPages());
        result.put("hostFunctionsPerContainer",
                containers.isEmpty() ? 0 : containers.get(0).env().hostFunctions().size());
        result.put("maxHeap", Runtime.getRuntime().maxMemory());
        result.put("heapOption", ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-Xmx")).reduce((a, b) -> b).orElse("(default heap)"));
        result.put("cap", cap);
        result.put("instantiated", n);
        result.put("stoppedBy", stoppedBy);
        result.put("seconds", seconds);
        result.put("baselineHeap", baseHeap);
        result.put("heapBytesPerContainer", perHeap);
        result.put("directBytesPerContainer", perDirect);
        result.put("containersIn4GiB", perHeap <= 0 ? 0L : (long) (FOUR_GIB / (perHeap + Math.max(0, perDirect))));
        result.put("samples", samples);
        result.put("perContainerByClass", perContainer(baseClasses, classHistogram(), n));
        // keep them reachable until measured
        if (containers.size() != n) {
            throw new IllegalStateException("containers changed while measuring");
        }
        return result;
    }

    private static Idle idle(WasmEngine engine, WasiProvider wasi, PermissiveGate gate, CompiledModule module,
            InstanceLimits limits, int number) {
        WasiEnvironment env = wasi.create(Fixtures.wasiConfig(List.of("hello.wasm")));
        List<HostFunction> functions = env.hostFunctions();
        GateSession session = gate.open(Fixtures.gateContext("idle-" + number), functions);
        WasmInstance instance = engine.instantiate(module, KernelAccess.gated(functions, session), limits);
        return new Idle(env, session, instance);
    }

    private static Map<String, Object> sample(int instances, long heapUsed, long directUsed) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("instances", instances);
        s.put("heapUsed", heapUsed);
        s.put("directUsed", directUsed);
        return s;
    }

    /**
     * The live objects by class (a full GC first), from the JVM's own diagnostic command, as class name to
     * {instances, bytes}.
     */
    static Map<String, long[]> classHistogram() {
        String text;
        try {
            text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IllegalStateException("the JVM's class histogram is not available", e);
        }
        Map<String, long[]> classes = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 4 && parts[0].endsWith(":")) {
                classes.put(parts[3], new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])});
            }
        }
        return classes;
    }

    /** The classes that grew most from {@code before} to {@code after}, per container, largest first. */
    static List<Map<String, Object>> perContainer(Map<String, long[]> before, Map<String, long[]> after, int n) {
        List<Map<String, Object>> rows = new ArrayList<>();
        if (n == 0) {
            return rows;
        }
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), new long[] {
                    e.getValue()[0] - before.getOrDefault(e.getKey(), new long[2])[0],
                    e.getValue()[1] - before.getOrDefault(e.getKey(), new long[2])[1]}))
                .filter(e -> e.getValue()[1] > 0)
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .limit(12)
                .forEach(e -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("class", e.getKey());
                    row.put("instances", e.getValue()[0] / (double) n);
                    row.put("bytes", e.getValue()[1] / (double) n);
                    rows.add(row);
                });
        return rows;
    }

    /** Heap in use after full collections, once it stops shrinking. */
    static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return now;
            }
            used = now;
        }
        return used;
    }

    /** Direct and mapped buffers, which the heap figure does not show (Chicory's memory is on the heap). */
    static long directBytes() {
        long total = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            total += pool.getMemoryUsed();
        }
        return total;
    }
}
