package io.forgeone.api.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.wasi.Preopen;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunArgumentsTest {
    private static final Map<String, String> HOST = Map.of("HOME", "/home/me");

    private static RunArguments parse(String... args) {
        return RunArguments.parse(List.of(args), ContainerLimits.DEFAULT, HOST::get);
    }

    private static String error(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> parse(args)).getMessage();
    }

    @Test
    void optionsBeforeModuleAndEverythingAfterGoesToGuest() {
        RunArguments run = parse("--dir", "/tmp/a::/data", "--env", "A=1", "--env=B=x=y", "--engine", "chicory",
                "app.wasm", "--dir", "x", "-h");
        ContainerSpec spec = run.spec();
        assertEquals(Path.of("app.wasm"), spec.module());
        assertEquals(List.of("--dir", "x", "-h"), spec.args());
        assertEquals(List.of(new Preopen(Path.of("/tmp/a"), "/data")), spec.preopens());
        assertEquals(Map.of("A", "1", "B", "x=y"), spec.env());
        assertEquals("chicory", spec.engine());
        assertFalse(run.detach());
        assertFalse(run.help());
    }

    @Test
    void dirWithoutGuestNameUsesHostName() {
        assertEquals(new Preopen(Path.of("data"), "data"), parse("--dir", "data", "m.wasm").spec().preopens().get(0));
    }

    @Test
    void envWithoutValueIsInheritedOnlyWhenSet() {
        assertEquals("/home/me", parse("--env", "HOME", "m.wasm").spec().env().get("HOME"));
        assertTrue(error("--env", "NOPE", "m.wasm").contains("NOPE is not set"));
        assertTrue(error("--env", "=x", "m.wasm").contains("name is empty"));
    }

    @Test
    void hostEnvironmentNeverLeaksByDefault() {
        assertTrue(parse("m.wasm").spec().env().isEmpty());
    }

    @Test
    void limitsFromOptions() {
        ContainerLimits limits = parse("--timeout", "250ms", "--max-memory", "64MiB", "m.wasm").spec().limits();
        assertEquals(Duration.ofMillis(250), limits.wallTimeout());
        assertEquals(1024, limits.maxMemoryPages());
        assertEquals(Duration.ZERO, parse("--timeout=0", "m.wasm").spec().limits().wallTimeout());
        assertEquals(Duration.ofMinutes(2), RunArguments.parseDuration("2m"));
        assertEquals(65536, RunArguments.parsePages("4GiB"));
        assertEquals(1, RunArguments.parsePages("1"));
        assertEquals(17, RunArguments.parsePages("17p"));
    }

    @Test
    void badInputNamesTheArgument() {
        assertTrue(error("--frobnicate", "m.wasm").contains("unknown option '--frobnicate'"));
        assertTrue(error("--dir").contains("--dir needs a value"));
        assertTrue(error("--dir", "x").contains("no module given"));
        assertTrue(error().contains("no module given"));
        assertTrue(error("--timeout", "soon", "m.wasm").contains("--timeout 'soon'"));
        assertTrue(error("--timeout", "-5s", "m.wasm").contains("negative"));
        assertTrue(error("--max-memory", "5GiB", "m.wasm").contains("between 64KiB and 4GiB"));
        assertTrue(error("--max-memory", "lots", "m.wasm").contains("--max-memory 'lots'"));
        assertTrue(error("--dir", "::/x", "m.wasm").contains("host directory is empty"));
    }

    @Test
    void helpAndDetach() {
        assertTrue(parse("--help").help());
        assertNull(parse("-h").spec());
        assertTrue(parse("-d", "m.wasm").detach());
        assertEquals(List.of("-x"), parse("--", "m.wasm", "-x").spec().args());
    }
}
