package io.forgeone.benchmarks;

import com.google.gson.GsonBuilder;
import io.forgeone.benchmarks.density.DensityMain;
import io.forgeone.benchmarks.report.Density;
import io.forgeone.benchmarks.report.Profile;
import io.forgeone.benchmarks.report.ReportGenerator;
import io.forgeone.benchmarks.report.Results;
import io.forgeone.benchmarks.report.Targets;
import io.forgeone.benchmarks.report.Targets.Verdict;
import io.forgeone.benchmarks.startup.ProcessStartupBenchmark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks and writes the report: the JMH benchmarks (JSON results), the density measurement in a
 * JVM of its own, in full mode a profile of every benchmark behind a missed target, then {@link ReportGenerator}.
 *
 * <pre>
 * java -cp CLASSPATH io.forgeone.benchmarks.BenchmarkMain [--mode quick|full] [--results DIR] [--report DIR]
 *      [--forge-home DIR] [--include REGEX] [--profiles-only]
 * </pre>
 *
 * Quick mode (CI): every benchmark once in this JVM (no forks), one warm-up and one measurement iteration of
 * 200 ms (single-shot ones: one shot each), a small density run; about a minute and a half. Full mode: the
 * benchmarks' own settings (2 forks, 5 + 5 iterations), the GC profiler, density up to 10,000 containers in a
 * 4 GiB heap, and a Flight Recorder profile of each benchmark behind a missed target.
 */
public final class BenchmarkMain {

    private static final String PACKAGE = "io\\.forgeone\\.benchmarks\\.";
    private static final String FORGE_BENCHMARK = "ProcessStartupBenchmark.forgeRunHello";
    private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    private final boolean full;
    private final Path results;
    private final Path report;
    private final Path forgeHome;
    private final String include;
    private final boolean profilesOnly;

    private BenchmarkMain(boolean full, Path results, Path report, Path forgeHome, String include,
            boolean profilesOnly) {
        this.full = full;
        this.results = results;
        this.report = report;
        this.forgeHome = forgeHome;
        this.include = include;
        this.profilesOnly = profilesOnly;
    }

    public static void main(String[] args) throws Exception {
        // the forks get it as an option; quick mode runs the benchmarks in this JVM
        if (System.getProperty(LOG_LEVEL) == null) {
            System.setProperty(LOG_LEVEL, "warn");
        }
        String mode = "quick";
        Path results = Path.of("target", "benchmarks");
        Path report = null;
        Path forgeHome = Path.of("..", "runtime-dist", "target", "forgeone");
        String include = ".*";
        boolean profilesOnly = false;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (args[i].equals("--profiles-only")) {
                profilesOnly = true;
                continue;
            }
            switch (args[i]) {
                case "--mode" -> mode = require(args[i], value);
                case "--results" -> results = Path.of(require(args[i], value));
                case "--report" -> report = Path.of(require(args[i], value));
                case "--forge-home" -> forgeHome = Path.of(require(args[i], value));
                case "--include" -> include = require(args[i], value);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; use --mode"
                        + " quick|full, --results DIR, --report DIR, --forge-home DIR, --include REGEX,"
                        + " --profiles-only");
            }
            i++;
        }
        if (!mode.equals("quick") && !mode.equals("full")) {
            throw new IllegalArgumentException("--mode is quick or full, not '" + mode + "'");
        }
        new BenchmarkMain(mode.equals("full"), results.toAbsolutePath(),
                (report == null ? results.resolve("report") : report).toAbsolutePath(), forgeHome.toAbsolutePath(),
                include, profilesOnly).run();
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private void run() throws IOException, RunnerException, InterruptedException {
        if (profilesOnly) {
            reprofile();
            return;
        }
        long started = System.nanoTime();
        Files.createDirectories(results);
        // only what an earlier run left, so that a report never mixes two runs
        try (var old = Files.list(results)) {
            for (Path p : old.filter(Files::isRegularFile).filter(BenchmarkMain::ours).toList()) {
                Files.delete(p);
            }
        }
        RunInfo info = RunInfo.ofThisMachine(full ? "full" : "quick");
        info.startSampling();

        boolean forgeBuilt = forgeBuilt();
        OptionsBuilder options = new OptionsBuilder();
        options.include(PACKAGE + "(" + include + ")");
        if (!forgeBuilt) {
            options.exclude(Pattern.quote(FORGE_BENCHMARK));
        }
        common(options).result(results.resolve(ReportGenerator.JMH_JSON).toString())
                .resultFormat(ResultFormatType.JSON);
        if (full) {
            options.addProfiler(GCProfiler.class);
        } else {
            // in this JVM (no fork per benchmark: 39 JVM starts and cold setups would take CI's whole budget); it
            // proves every benchmark still builds, sets up and runs, and its figures mean nothing
            options.forks(0).warmupIterations(1).warmupTime(TimeValue.milliseconds(200)).measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(200));
        }
        new Runner(options.build()).run();

        Optional<Density> density = Optional.empty();
        if (Pattern.compile(include).matcher("density.DensityMain").find()) {
            density = Optional.of(density());
        }
        if (full) {
            profileMissedTargets(Results.read(results.resolve(ReportGenerator.JMH_JSON)), density, forgeBuilt);
        }
        info.finish();
        info.put("seconds", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        info.put("distribution", forgeBuilt ? forgeHome.toString() : "not built");
        Files.writeString(results.resolve(ReportGenerator.RUN_INFO_JSON),
                new GsonBuilder().setPrettyPrinting().create().toJson(info.facts()), StandardCharsets.UTF_8);
        Path written = ReportGenerator.generate(results, report);
        System.out.printf("benchmarks: %s mode done in %d s; results in %s, report %s%n", full ? "full" : "quick",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), results, written);
    }

    /**
     * Profiles the missed targets of the run already in the results folder again (its earlier profiles are
     * replaced) and rewrites the report: for looking again without measuring everything again.
     */
    private void reprofile() throws IOException, RunnerException {
        try (var old = Files.list(results)) {
            for (Path p : old.filter(p -> p.getFileName().toString().startsWith(ReportGenerator.PROFILE_PREFIX)
                    || p.getFileName().toString().equals(ReportGenerator.FORGE_TIMING)).toList()) {
                Files.delete(p);
            }
        }
        Path density = results.resolve(ReportGenerator.DENSITY_JSON);
        profileMissedTargets(Results.read(results.resolve(ReportGenerator.JMH_JSON)),
                Files.exists(density) ? Optional.of(Density.read(density)) : Optional.empty(), forgeBuilt());
        System.out.println("benchmarks: profiles redone; report " + ReportGenerator.generate(results, report));
    }

    private static boolean ours(Path file) {
        String name = file.getFileName().toString();
        return name.equals(ReportGenerator.JMH_JSON) || name.equals(ReportGenerator.DENSITY_JSON)
                || name.equals(ReportGenerator.RUN_INFO_JSON) || name.equals(ReportGenerator.FORGE_TIMING)
                || name.startsWith(ReportGenerator.PROFILE_PREFIX) || name.matches("jmh-.*\\.txt");
    }

    private boolean forgeBuilt() {
        System.setProperty(ProcessStartupBenchmark.FORGE_HOME, forgeHome.toString());
        try {
            ProcessStartupBenchmark.forgeExecutable();
            return true;
        } catch (IllegalStateException e) {
            System.out.println("benchmarks: skipping " + FORGE_BENCHMARK + ": " + e.getMessage());
            return false;
        }
    }

    /** What every JMH run here shares: fork JVM options (and {@code more}), fail on error. */
    private ChainedOptionsBuilder common(ChainedOptionsBuilder options, String... more) {
        List<String> jvmArgs = new ArrayList<>(List.of("-Xms2g", "-Xmx2g", "-D" + LOG_LEVEL + "=warn",
                "-Djava.awt.headless=true", "-D" + ProcessStartupBenchmark.FORGE_HOME + "=" + forgeHome));
        jvmArgs.addAll(List.of(more));
        return options.shouldFailOnError(true).jvmArgsAppend(jvmArgs.toArray(String[]::new));
    }

    private static int waitFor(Process process) {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + process.info().commandLine().orElse(
                    "a process"), e);
        }
    }

    /** DensityMain in a JVM of its own with a fixed heap. */
    private Density density() throws IOException, InterruptedException {
        Path out = results.resolve(ReportGenerator.DENSITY_JSON);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), full ? "-Xmx4g" : "-Xmx512m", full ? "-Xms4g" : "-Xms512m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                DensityMain.class.getName(), "--cap", full ? "10000" : "200", "--out", out.toString()));
        System.out.println("benchmarks: " + String.join(" ", command).replace(System.getProperty("java.class.path"),
                "CLASSPATH"));
        Process process = new ProcessBuilder(command).inheritIO().start();
        int status = process.waitFor();
        if (status != 0) {
            throw new IllegalStateException("DensityMain exited with " + status);
        }
        return Density.read(out);
    }

    /**
     * One more fork of each benchmark behind a missed target, recorded with Flight Recorder and summarized into
     * {@code profile-NAME.json}; for {@code bin/forge run}, the launcher's own step
     * timings instead.
     */
    private void profileMissedTargets(Results jmh, Optional<Density> density, boolean forgeBuilt)
            throws IOException, RunnerException {
        Set<String> profiled = new LinkedHashSet<>();
        for (Verdict v : Targets.judge(jmh, density)) {
            if (v.met()) {
                continue;
            }
            if (v.target().contains("bin/forge") && forgeBuilt) {
                forgeTimings();
            }
            if (v.profile().isEmpty() || !profiled.add(v.profile().get() + ":" + v.profileMode())) {
                continue;
            }
            String name = v.profile().get() + (v.profileMode() == null ? "" : " " + v.profileMode());
            String fileName = name.replace(' ', '-');
            System.out.println("benchmarks: profiling " + name + " (target missed: " + v.target() + ")");
            OptionsBuilder options = new OptionsBuilder();
            options.include(PACKAGE + "\\w+\\." + Pattern.quote(v.profile().get()) + "$");
            if (v.profileMode() != null) {
                options.param("mode", v.profileMode());
            }
            // JFR's "profile" settings with a thread sample every millisecond, after the warm-up (5 s), and with
            // frames attributed to where the samples really were rather than to the next safepoint
            Path recording = results.resolve("profile-" + fileName + ".jfr");
            common(options, "-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints",
                    "-XX:FlightRecorderOptions:stackdepth=128", "-XX:StartFlightRecording:delay=5s,filename="
                            + recording + ",settings=profile,method-profiling=max")
                    .forks(1).warmupIterations(3).measurementIterations(10)
                    .output(results.resolve("jmh-" + fileName + ".txt").toString());
            new Runner(options.build()).run();
            if (!Files.exists(recording)) {
                System.out.println("benchmarks: no recording of " + name + " at " + recording);
                continue;
            }
            Profile.of(name, recording).write(results.resolve(ReportGenerator.PROFILE_PREFIX + fileName + ".json"));
        }
    }

    /** Three more {@code bin/forge run hello.wasm} with the launcher's step timings on; keeps the last one's. */
    private void forgeTimings() throws IOException {
        Path log = forgeHome.resolve("var").resolve("log").resolve("forge.log");
        Path hello = forgeHome.resolve("examples").resolve("hello.wasm");
        String timings = "";
        for (int i = 0; i < 3; i++) {
            long before = Files.exists(log) ? Files.size(log) : 0;
            ProcessBuilder builder = new ProcessBuilder(forgeHome.resolve("bin").resolve("forge").toString(), "run",
                    hello.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            Map<String, String> env = builder.environment();
            env.put("FORGE_OPTS", (env.getOrDefault("FORGE_OPTS", "") + " -Dforge.timing=true").trim());
            int status = waitFor(builder.start());
            if (status != 0) {
                throw new IllegalStateException("bin/forge run " + hello + " exited with " + status);
            }
            byte[] all = Files.readAllBytes(log);
            timings = new String(all, (int) Math.min(before, all.length), all.length - (int) Math.min(before,
                    all.length), StandardCharsets.UTF_8);
        }
        StringBuilder kept = new StringBuilder();
        for (String line : timings.split("\n")) {
            if (line.contains("timing:")) {
                kept.append(line).append('\n');
            }
        }
        Files.writeString(results.resolve(ReportGenerator.FORGE_TIMING), kept.toString(), StandardCharsets.UTF_8);
    }
}
