package io.forgeone.benchmarks.startup;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Start-up as a user sees it: {@code bin/forge run hello.wasm} as a whole process, from exec to exit, against
 * the smallest Java program started the same way ({@code java -XX:+UseSerialGC -cp ... HelloMain}, the GC
 * bin/forge picks for commands). The distribution comes from the system property {@value #FORGE_HOME}
 * (BenchmarkMain passes {@code runtime-dist/target/forgeone}); without it the forge benchmark fails its setup
 * with a message saying how to build it, and BenchmarkMain leaves it out.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 15)
@Fork(1)
public class ProcessStartupBenchmark {

    /** System property naming the distribution's directory (the one holding bin/forge). */
    public static final String FORGE_HOME = "forge.bench.home";

    private static final String EXPECTED = "hello from wasm\narg[0]=hello.wasm\nenv count=0\n";

    private List<String> forgeCommand;
    private List<String> javaCommand;

    /** The distribution's bin/forge, or a message saying why it cannot run. */
    public static Path forgeExecutable() {
        String home = System.getProperty(FORGE_HOME);
        if (home == null || home.isBlank()) {
            throw new IllegalStateException("no distribution given (system property " + FORGE_HOME + ")");
        }
        Path forge = Path.of(home, "bin", "forge");
        if (!Files.isExecutable(forge) || !Files.isRegularFile(Path.of(home, "examples", "hello.wasm"))) {
            throw new IllegalStateException("the distribution is not built: no executable " + forge
                    + " with examples/hello.wasm; build it with `mvn -B -o -q package -DskipTests -pl runtime-dist`");
        }
        return forge;
    }

    @Setup
    public void setUp() throws IOException, InterruptedException, URISyntaxException {
        Path forge = forgeExecutable();
        Path hello = forge.getParent().getParent().resolve("examples").resolve("hello.wasm");
        forgeCommand = List.of(forge.toString(), "run", hello.toString());
        Path classes = Path.of(HelloMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        javaCommand = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-cp", classes.toString(), HelloMain.class.getName());
        String out = run(forgeCommand);
        if (!out.equals(EXPECTED)) {
            throw new IllegalStateException(String.join(" ", forgeCommand) + " printed '" + out + "', expected '"
                    + EXPECTED + "'");
        }
    }

    @Benchmark
    public String forgeRunHello() throws IOException, InterruptedException {
        return run(forgeCommand);
    }

    @Benchmark
    public String javaHello() throws IOException, InterruptedException {
        return run(javaCommand);
    }

    /** Runs {@code command} to its end and returns its stdout; fails on a non-zero exit. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = process.waitFor();
        if (status != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + status + ": " + out);
        }
        return out;
    }
}
