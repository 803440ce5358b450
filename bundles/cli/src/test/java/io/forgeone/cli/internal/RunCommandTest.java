package io.forgeone.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.container.ContainerLimits;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerSpecException;
import io.forgeone.api.container.StopReason;
import io.forgeone.api.wasi.Preopen;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code forge run}: the argument grammar as this face uses it, the input checks, and the run's exit codes. */
class RunCommandTest {
    @TempDir
    Path tmp;

    private final Console console = new Console();
    private final FakeRuntime runtime = new FakeRuntime();
    private final Map<String, String> hostEnv = Map.of("HOME", "/home/me");
    private final ForgeCommand forge = new ForgeCommand(runtime, console.terminal, "1.2.3", "java", hostEnv::get);
    private String module;
    private Path data;

    @BeforeEach
    void files() throws IOException {
        module = Files.write(tmp.resolve("hello.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}).toString();
        data = Files.createDirectory(tmp.resolve("data"));
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>();
        all.add("run");
        all.addAll(List.of(args));
        return forge.applyAsInt(all.toArray(new String[0]));
    }

    private ContainerSpec ran(String... args) {
        assertEquals(0, run(args), console.err());
        assertEquals("", console.err());
        return runtime.spec;
    }

    // ---- the grammar -------------------------------------------------------------------------------------------

    @Test
    void plainRunUsesDefaults() {
        ContainerSpec spec = ran(module);
        assertEquals(Path.of(module), spec.module());
        assertEquals(List.of(), spec.args());
        assertEquals(Map.of(), spec.env());
        assertEquals(List.of(), spec.preopens());
        assertNull(spec.engine());
        assertEquals(ContainerLimits.DEFAULT, spec.limits());
    }

    @Test
    void everythingAfterFileGoesToTheGuestVerbatim() {
        ContainerSpec spec = ran(module, "--env", "X=1", "--help", "-v", "--", "", "a b");
        assertEquals(List.of("--env", "X=1", "--help", "-v", "--", "", "a b"), spec.args());
        assertEquals(Map.of(), spec.env());
    }

    @Test
    void everyOptionInBothSpellings() {
        ContainerSpec spec = ran("--dir", data.toString(), "--dir=" + data + "::/data", "--env", "A=1", "--env=B=x=y",
                "--env", "C=", "--engine", "chicory", "--timeout", "2s", "--max-memory", "64MiB", module, "arg");
        assertEquals(List.of(new Preopen(data, data.toString()), new Preopen(data, "/data")), spec.preopens());
        assertEquals(Map.of("A", "1", "B", "x=y", "C", ""), spec.env());
        assertEquals("chicory", spec.engine());
        assertEquals(Duration.ofSeconds(2), spec.limits().wallTimeout());
        assertEquals(1024, spec.limits().maxMemoryPages());
        assertEquals(List.of("arg"), spec.args());
    }

    @Test
    void equalsFormsOfTheOtherOptions() {
        ContainerSpec spec = ran("--engine=chicory", "--timeout=500ms", "--max-memory=1GiB", module);
        assertEquals("chicory", spec.engine());
        assertEquals(Duration.ofMillis(500), spec.limits().wallTimeout());
        assertEquals(16384, spec.limits().maxMemoryPages());
    }

    @Test
    void laterEnvValueWinsAndOrderIsKept() {
        ContainerSpec spec = ran("--env", "B=1", "--env", "A=2", "--env", "B=3", module);
        assertEquals(List.of("B", "A"), new ArrayList<>(spec.env().keySet()));
        assertEquals("3", spec.env().get("B"));
    }

    @Test
    void envNameAlonePassesTheHostsValue() {
        assertEquals(Map.of("HOME", "/home/me"), ran("--env", "HOME", module).env());
    }

    @Test
    void doubleDashEndsTheOptions() {
        Path dashed = tmp.resolve("-odd.wasm");
        module = dashed.toString();
        assertTrue(tmp.resolve("hello.wasm").toFile().renameTo(dashed.toFile()));
        assertEquals(List.of("x"), ran("--", dashed.toString(), "x").args());
    }

    @ParameterizedTest
    @CsvSource({"0,0", "500ms,500", "10s,10000", "2m,120000", "1h,3600000"})
    void timeouts(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), ran("--timeout", text, module).limits().wallTimeout());
    }

    @ParameterizedTest
    @CsvSource({"64KiB,1", "64MiB,1024", "256MiB,4096", "1GiB,16384", "4GiB,65536", "100p,100", "4096p,4096"})
    void memorySizes(String text, int pages) {
        assertEquals(pages, ran("--max-memory", text, module).limits().maxMemoryPages());
    }

    // ---- usage errors: exit 2, one line, a hint, nothing run ---------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "--frob|unknown option '--frob'",
        "-x|unknown option '-x'",
        "--env=|--env '': expected NAME=VALUE or NAME, the name is empty",
        "--env =x|--env '=x': expected NAME=VALUE or NAME, the name is empty",
        "--env NOPE_NOT_SET|--env NOPE_NOT_SET: no value given and NOPE_NOT_SET is not set",
        "--timeout abc|--timeout 'abc': expected a duration",
        "--timeout -5s|--timeout '-5s': must not be negative",
        "--max-memory 12XB|--max-memory '12XB': expected a size",
        "--max-memory 0|--max-memory '0': must be between 64KiB and 4GiB",
        "--max-memory 5GiB|--max-memory '5GiB': must be between 64KiB and 4GiB",
        "--engine=|--engine needs a name",
        "--dir ::/x|--dir '::/x': host directory is empty",
        "--detach|--detach needs a node that outlives this command",
    })
    void usageErrors(String args, String expected) {
        List<String> all = new ArrayList<>(List.of(args.split(" ")));
        all.add(module);
        assertEquals(2, run(all.toArray(new String[0])));
        String err = console.err();
        assertTrue(err.startsWith("forge: error: " + expected), err);
        assertTrue(err.endsWith(" (see 'forge run --help')\n"), err);
        assertEquals(1, err.split("\n").length, err);
        assertEquals("", console.out());
        assertTrue(runtime.calls.isEmpty(), runtime.calls.toString());
    }

    @Test
    void missingFileIsAUsageError() {
        assertEquals(2, run());
        assertEquals("forge: error: no module given: expected FILE.wasm after the options (see 'forge run --help')\n",
                console.err());
        console.stderr.reset();
        assertEquals(2, run("--env", "A=1"));
        assertTrue(console.err().startsWith("forge: error: no module given"), console.err());
    }

    @Test
    void optionWithoutValueAtTheEndIsAUsageError() {
        assertEquals(2, run("--timeout"));
        assertEquals("forge: error: option --timeout needs a value (see 'forge run --help')\n", console.err());
    }

    // ---- inputs that cannot run: exit 1, the reason, nothing created -------------------------------------------

    @Test
    void moduleThatDoesNotExist() {
        String missing = tmp.resolve("missing.wasm").toString();
        assertEquals(1, run(missing));
        assertEquals("forge: error: " + missing + ": no such file\n", console.err());
        assertTrue(runtime.calls.isEmpty());
    }

    @Test
    void moduleThatIsADirectory() {
        assertEquals(1, run(data.toString()));
        assertEquals("forge: error: " + data + ": is a directory, not a WebAssembly module\n", console.err());
        assertTrue(runtime.calls.isEmpty());
    }

    @Test
    void dirThatDoesNotExist() {
        Path missing = tmp.resolve("nope");
        assertEquals(1, run("--dir", missing + "::/x", module));
        assertEquals("forge: error: --dir " + missing + ": no such directory\n", console.err());
        assertTrue(runtime.calls.isEmpty());
    }

    @Test
    void dirThatIsAFile() {
        assertEquals(1, run("--dir", module, module));
        assertEquals("forge: error: --dir " + module + ": not a directory\n", console.err());
    }

    @Test
    void unknownEngineNamesTheInstalledOnes() {
        forge.bindEngine(ForgeCommandTest.engine("chicory"));
        forge.bindEngine(ForgeCommandTest.engine("wasmtime"));
        assertEquals(1, run("--engine", "v8", module));
        assertEquals("forge: error: engine 'v8' is not installed (installed: chicory, wasmtime)\n", console.err());
        assertTrue(runtime.calls.isEmpty());
    }

    @Test
    void autoIsLeftToTheRuntime() {
        forge.bindEngine(ForgeCommandTest.engine("chicory"));
        forge.bindEngine(ForgeCommandTest.engine("wasmtime"));
        assertEquals("auto", ran("--engine", "auto", module).engine());
    }

    @Test
    void withNoEngineRegisteredTheRuntimeDecides() {
        runtime.createFailure = new ContainerSpecException("engine 'v8' is not installed (installed: none)");
        assertEquals(1, run("--engine", "v8", module));
        assertEquals("forge: error: engine 'v8' is not installed (installed: none)\n", console.err());
    }

    @Test
    void runtimeRejectionIsPassedThrough() {
        runtime.createFailure = new ContainerSpecException(module + ": module does not export _start, so it is not a"
                + " WASI command (exported functions: none)");
        assertEquals(1, run(module));
        assertEquals("forge: error: " + module + ": module does not export _start, so it is not a WASI command"
                + " (exported functions: none)\n", console.err());
        assertEquals(List.of("create"), runtime.calls);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(io.forgeone.api.pkg.PackageException.Reason.class)
    void aRefusedPackageExitsWithItsReasonsCode(io.forgeone.api.pkg.PackageException.Reason reason)
            throws IOException {
        String pkg = Files.writeString(tmp.resolve("app.forgepkg"), "PK").toString();
        io.forgeone.api.pkg.PackageException refused = new io.forgeone.api.pkg.PackageException(reason,
                "app.forgepkg: signed only by key 9f8e… which is not trusted for publisher acme");
        runtime.createFailure = new ContainerSpecException("cannot open package " + pkg + ": " + refused.getMessage(),
                refused);
        assertEquals(10 + reason.ordinal(), run(pkg));
        assertEquals("forge: error: app.forgepkg: signed only by key 9f8e… which is not trusted for publisher acme ["
                + reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "]\n", console.err());
        assertEquals(List.of("create"), runtime.calls);
    }

    @Test
    void aPackageExceptionTheRuntimeLetsThroughIsMappedToo() throws IOException {
        String pkg = Files.writeString(tmp.resolve("app.forgepkg"), "PK").toString();
        runtime.createFailure = new io.forgeone.api.pkg.PackageException(
                io.forgeone.api.pkg.PackageException.Reason.TAMPERED, "app.forgepkg: entry 'hello.wasm': SHA-256 differs");
        assertEquals(12, run(pkg));
        assertEquals("forge: error: app.forgepkg: entry 'hello.wasm': SHA-256 differs [tampered]\n", console.err());
    }

    // ---- running ------------------------------------------------------------------------------------------------

    @Test
    void guestOutputReachesTheTerminalAndStdinIsPassed() {
        runtime.guestStdout = "hello, world\n";
        runtime.guestStderr = "warning\n";
        assertEquals(0, run(module));
        assertEquals("hello, world\n", console.out());
        assertEquals("warning\n", console.err());
        assertSame(console.stdin, runtime.io.stdin());
    }

    @Test
    void lifecycleIsCreateStartAwaitDelete() {
        assertEquals(0, run(module));
        assertEquals(List.of("create", "start c0ffee", "await c0ffee", "delete c0ffee"), runtime.calls);
    }

    @ParameterizedTest
    @CsvSource({"0", "1", "7", "255"})
    void guestExitCodeIsTheProcessExitCode(int code) {
        runtime.stopsWith(StopReason.EXITED, code, "");
        assertEquals(code, run(module));
        assertEquals("", console.err());
    }

    @Test
    void trap() {
        runtime.stopsWith(StopReason.TRAPPED, 134, "unreachable");
        assertEquals(134, run(module));
        assertEquals("forge: error: wasm trap: unreachable (hello.wasm)\n", console.err());
        assertTrue(runtime.calls.contains("delete c0ffee"));
    }

    @Test
    void timeout() {
        runtime.stopsWith(StopReason.TIMED_OUT, 124, "");
        assertEquals(124, run("--timeout", "2s", module));
        assertEquals("forge: error: timed out after 2s\n", console.err());
        assertTrue(runtime.calls.contains("delete c0ffee"));
    }

    @Test
    void killed() {
        runtime.stopsWith(StopReason.KILLED, 137, "killed");
        assertEquals(137, run(module));
        assertEquals("forge: error: killed\n", console.err());
    }

    @Test
    void failed() {
        runtime.stopsWith(StopReason.FAILED, 1, "host failure: boom");
        assertEquals(1, run(module));
        assertEquals("forge: error: host failure: boom\n", console.err());
    }

    @Test
    void removedEngine() {
        runtime.stopsWith(StopReason.REMOVED, 143, "engine removed");
        assertEquals(143, run(module));
        assertEquals("forge: error: engine removed\n", console.err());
    }

    @Test
    void interruptedWaitKillsTheContainer() {
        runtime.runUntilKilled = true;
        runtime.awaitFailure = new InterruptedException();
        try {
            assertEquals(130, run(module));
            assertTrue(Thread.interrupted(), "interrupt status is kept");
        } finally {
            Thread.interrupted();
        }
        assertTrue(runtime.calls.contains("kill c0ffee"), runtime.calls.toString());
        assertTrue(runtime.calls.contains("delete c0ffee"), runtime.calls.toString());
    }

    @Test
    @Timeout(10)
    void nodeStoppingKillsTheRunQuietly() throws Exception {
        runtime.runUntilKilled = true;
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> code = thread.submit(() -> run(module));
            assertTrue(runtime.started.await(5, TimeUnit.SECONDS));
            forge.deactivate();
            assertEquals(130, code.get(5, TimeUnit.SECONDS));
        } finally {
            thread.shutdownNow();
        }
        assertEquals("", console.err());
        assertTrue(runtime.calls.contains("kill c0ffee"), runtime.calls.toString());
        assertFalse(runtime.calls.isEmpty());
    }
}
