package io.forgeone.benchmarks.report;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * A Flight Recorder profile of one benchmark, boiled down for the report: where the CPU samples were (the top
 * frame, and the ForgeOne and engine methods anywhere on the stack), on which threads, and where the allocation
 * samples were taken. JFR samples threads running Java code (here every millisecond) without waiting for a
 * safepoint ({@code -XX:+DebugNonSafepoints} attributes them to the right line), so unlike JMH's stack profiler
 * it does not favour loop back-edges; threads waiting or blocked are not sampled.
 *
 * @param name the benchmark and mode profiled
 * @param samples CPU samples in the recording
 * @param top percentage of samples by top frame, largest first
 * @param inclusive percentage of samples with the method anywhere on the stack (ForgeOne and Chicory methods, less
 *     the entry points that are on nearly every stack and say nothing)
 * @param threads percentage of samples by thread (numbers in names folded)
 * @param allocationSamples allocation samples in the recording
 * @param allocations percentage of sampled allocation weight by the allocating frame
 * @param nativeSamples samples of threads in native code (system calls; sampled every 20 ms, not every 1 ms)
 * @param nativeTop percentage of the native samples by top frame
 */
public record Profile(String name, long samples, Map<String, Double> top, Map<String, Double> inclusive,
        Map<String, Double> threads, long allocationSamples, Map<String, Double> allocations, long nativeSamples,
        Map<String, Double> nativeTop) {

    private static final int ROWS = 12;
    /** A method on at least this share of the stacks is an entry point, not an explanation. */
    private static final double ENTRY_POINT = 97.5;

    /** Reads a recording. */
    public static Profile of(String name, Path jfr) throws IOException {
        Map<String, Long> top = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> allocations = new HashMap<>();
        Map<String, Long> nativeTop = new HashMap<>();
        long nativeSamples = 0;
        long samples = 0;
        long allocationSamples = 0;
        long allocationWeight = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
            String type = event.getEventType().getName();
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            if (type.equals("jdk.ExecutionSample")) {
                samples++;
                top.merge(frame(stack.getFrames().get(0)), 1L, Long::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : stack.getFrames()) {
                    String m = method(f);
                    if (ours(m) && !m.contains("$$Lambda") && seen.add(m)) {
                        inclusive.merge(m, 1L, Long::sum);
                    }
                }
                RecordedThread thread = event.getThread("sampledThread");
                String threadName = thread == null ? "?" : thread.getJavaName();
                threads.merge(threadName == null ? "?" : threadName.replaceAll("\\d+", "N"), 1L, Long::sum);
            } else if (type.equals("jdk.NativeMethodSample")) {
                RecordedThread thread = event.getThread("sampledThread");
                String threadName = thread == null || thread.getJavaName() == null ? "" : thread.getJavaName();
                // JMH's and JFR's own threads sit in native waits all the time; only the measured code counts
                if (threadName.contains("jmh-worker") || threadName.startsWith("forge-container")) {
                    nativeSamples++;
                    nativeTop.merge(frame(stack.getFrames().get(0)), 1L, Long::sum);
                }
            } else if (type.equals("jdk.ObjectAllocationSample")) {
                long weight = event.getLong("weight");
                allocationSamples++;
                allocationWeight += weight;
                String site = allocationSite(stack.getFrames());
                allocations.merge(site + " (" + event.getClass("objectClass").getName() + ")", weight, Long::sum);
            }
        }
        long all = samples;
        Map<String, Long> explaining = new HashMap<>(inclusive);
        explaining.values().removeIf(n -> 100.0 * n / Math.max(1, all) >= ENTRY_POINT);
        return new Profile(name, samples, percent(top, samples),
                percent(explaining.isEmpty() ? inclusive : explaining, samples), percent(threads, samples),
                allocationSamples, percent(allocations, allocationWeight), nativeSamples,
                percent(nativeTop, nativeSamples));
    }

    /** The first frame that is not inside the JDK's allocation helpers: the code that asked for the object. */
    private static String allocationSite(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String m = method(f);
            if (!m.startsWith("java.") && !m.startsWith("jdk.") && !m.startsWith("sun.")) {
                return frame(f);
            }
        }
        return frame(frames.get(0));
    }

    private static boolean ours(String method) {
        return (method.startsWith("io.forgeone.") && !method.startsWith("io.forgeone.benchmarks."))
                || method.startsWith("com.dylibso.chicory.");
    }

    private static String method(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static String frame(RecordedFrame f) {
        int line = f.getLineNumber();
        return method(f) + (line > 0 ? ":" + line : "");
    }

    private static Map<String, Double> percent(Map<String, Long> counts, long total) {
        Map<String, Double> result = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(ROWS)
                .forEach(e -> result.put(e.getKey(), total == 0 ? 0 : 100.0 * e.getValue() / total));
        return result;
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(this), StandardCharsets.UTF_8);
    }

    public static Profile read(Path file) throws IOException {
        JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        return new Profile(o.get("name").getAsString(), o.get("samples").getAsLong(), map(o, "top"),
                map(o, "inclusive"), map(o, "threads"),
                o.has("allocationSamples") ? o.get("allocationSamples").getAsLong() : 0, map(o, "allocations"),
                o.has("nativeSamples") ? o.get("nativeSamples").getAsLong() : 0, map(o, "nativeTop"));
    }

    private static Map<String, Double> map(JsonObject o, String key) {
        Map<String, Double> result = new LinkedHashMap<>();
        if (o.has(key)) {
            for (Map.Entry<String, JsonElement> e : o.getAsJsonObject(key).entrySet()) {
                result.put(e.getKey(), e.getValue().getAsDouble());
            }
        }
        return result;
    }
}
