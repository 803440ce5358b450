package io.forgeone.benchmarks.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code DensityMain} measured.
 *
 * @param maxHeap the JVM's maximum heap in bytes
 * @param heapOption the -Xmx option it ran with
 * @param cap how many containers it was to instantiate at most
 * @param instantiated how many it did
 * @param stoppedBy {@code cap} or {@code OutOfMemoryError}
 * @param heapPerContainer heap bytes per idle container (after full GC, over the baseline)
 * @param directPerContainer direct buffer bytes per idle container
 * @param in4GiB how many would fit in a 4 GiB heap at that size
 * @param initialPages the module's initial linear memory in 64 KiB pages
 * @param maxPages the memory limit the instances had, in pages
 * @param samples (containers, heap used) after full GC at each checkpoint
 * @param byClass the classes that make up a container, largest first: class name to {instances, bytes} per
 *     container
 */
public record Density(long maxHeap, String heapOption, int cap, int instantiated, String stoppedBy,
        double heapPerContainer, double directPerContainer, long in4GiB, int initialPages, int maxPages,
        List<long[]> samples, Map<String, double[]> byClass) {

    public static Density read(Path file) throws IOException {
        JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        List<long[]> samples = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray("samples")) {
            JsonObject s = e.getAsJsonObject();
            samples.add(new long[] {s.get("instances").getAsLong(), s.get("heapUsed").getAsLong()});
        }
        Map<String, double[]> byClass = new LinkedHashMap<>();
        if (o.has("perContainerByClass")) {
            for (JsonElement e : o.getAsJsonArray("perContainerByClass")) {
                JsonObject c = e.getAsJsonObject();
                byClass.put(c.get("class").getAsString(), new double[] {c.get("instances").getAsDouble(),
                    c.get("bytes").getAsDouble()});
            }
        }
        return new Density(o.get("maxHeap").getAsLong(), o.get("heapOption").getAsString(), o.get("cap").getAsInt(),
                o.get("instantiated").getAsInt(), o.get("stoppedBy").getAsString(),
                o.get("heapBytesPerContainer").getAsDouble(),
                o.get("directBytesPerContainer").getAsDouble(), o.get("containersIn4GiB").getAsLong(),
                o.get("initialMemoryPages").getAsInt(), o.get("maxMemoryPages").getAsInt(), List.copyOf(samples),
                byClass);
    }
}
