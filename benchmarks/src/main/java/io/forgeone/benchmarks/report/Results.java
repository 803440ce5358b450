package io.forgeone.benchmarks.report;

import com.google.gson.JsonArray;
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
import java.util.Optional;

/** JMH's JSON result file ({@code -rf json}), read into {@link Score}s. */
public final class Results {

    private final List<Score> scores;
    private final JsonArray raw;

    private Results(List<Score> scores, JsonArray raw) {
        this.scores = List.copyOf(scores);
        this.raw = raw;
    }

    public static Results read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    public static Results parse(String json) {
        JsonArray array = JsonParser.parseString(json).getAsJsonArray();
        List<Score> scores = new ArrayList<>();
        for (JsonElement element : array) {
            JsonObject run = element.getAsJsonObject();
            String name = run.get("benchmark").getAsString();
            String[] parts = name.split("\\.");
            String benchmark = parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : name;
            Map<String, String> params = new LinkedHashMap<>();
            if (run.has("params")) {
                for (Map.Entry<String, JsonElement> p : run.getAsJsonObject("params").entrySet()) {
                    params.put(p.getKey(), p.getValue().getAsString());
                }
            }
            JsonObject primary = run.getAsJsonObject("primaryMetric");
            Map<String, Double> secondary = new LinkedHashMap<>();
            if (run.has("secondaryMetrics")) {
                for (Map.Entry<String, JsonElement> m : run.getAsJsonObject("secondaryMetrics").entrySet()) {
                    double value = number(m.getValue().getAsJsonObject().get("score"));
                    if (!Double.isNaN(value)) {
                        secondary.put(m.getKey().replaceFirst("^\\W+", ""), value);
                    }
                }
            }
            scores.add(new Score(benchmark, params, number(primary.get("score")), number(primary.get("scoreError")),
                    primary.get("scoreUnit").getAsString(), secondary));
        }
        return new Results(scores, array);
    }

    /** JMH writes NaN as a string ("NaN") and numbers as numbers. */
    private static double number(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return Double.NaN;
        }
        if (element.getAsJsonPrimitive().isString()) {
            try {
                return Double.parseDouble(element.getAsString());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return element.getAsDouble();
    }

    public List<Score> scores() {
        return scores;
    }

    /** The result of {@code benchmark} ({@code Class.method}) run with engine mode {@code mode} (null: none). */
    public Optional<Score> find(String benchmark, String mode) {
        for (Score s : scores) {
            if (s.benchmark().equals(benchmark) && (mode == null ? !s.params().containsKey("mode")
                    : mode.equals(s.params().get("mode")))) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    public Optional<Score> find(String benchmark) {
        return find(benchmark, null);
    }

    /** The JVM options of the forks (from the first result), as JMH recorded them. */
    public List<String> jvmArgs() {
        List<String> args = new ArrayList<>();
        if (!raw.isEmpty() && raw.get(0).getAsJsonObject().has("jvmArgs")) {
            raw.get(0).getAsJsonObject().getAsJsonArray("jvmArgs").forEach(a -> args.add(a.getAsString()));
        }
        return args;
    }

    /** How JMH ran the first result: forks, warmup and measurement iterations and times. */
    public String settings(String benchmark) {
        for (JsonElement element : raw) {
            JsonObject run = element.getAsJsonObject();
            if (run.get("benchmark").getAsString().endsWith("." + benchmark)) {
                return run.get("forks").getAsInt() + " fork(s), " + run.get("warmupIterations").getAsInt()
                        + " x " + run.get("warmupTime").getAsString() + " warmup, "
                        + run.get("measurementIterations").getAsInt() + " x "
                        + run.get("measurementTime").getAsString() + " measurement";
            }
        }
        return "not run";
    }
}
