package io.forgeone.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.engine.CompiledModule;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.InstanceLimits;
import io.forgeone.api.engine.WasmEngine;
import io.forgeone.api.engine.WasmInstance;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The top level of {@code forge}: help, version, unknown commands, and that nothing escapes as a stack trace. */
class ForgeCommandTest {
    private final Console console = new Console();
    private final FakeRuntime runtime = new FakeRuntime();
    private final ForgeCommand forge = new ForgeCommand(runtime, console.terminal, "1.2.3", "java 17, felix 7",
            name -> null);

    static WasmEngine engine(String name) {
        return new WasmEngine() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return name + " engine 1.0";
            }

            @Override
            public CompiledModule compile(byte[] wasm) {
                throw new UnsupportedOperationException();
            }

            @Override
            public WasmInstance instantiate(CompiledModule module, List<HostFunction> imports, InstanceLimits limits) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private int forge(String... args) {
        return forge.applyAsInt(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h", "help"})
    void mainHelpGoesToStdout(String flag) {
        assertEquals(0, forge(flag));
        String out = console.out();
        assertTrue(out.startsWith("Usage: forge [COMMAND] [ARGS...]\n"), out);
        assertTrue(out.contains("  run "), out);
        assertTrue(out.contains("  version "), out);
        assertTrue(out.contains("Examples:"), out);
        assertTrue(out.contains("FORGE_OPTS"), out);
        assertEquals("", console.err());
    }

    @Test
    void theLauncherFindsTheMainPageWhereTheBundleSaysItIs() throws java.io.IOException {
        // the launcher prints the resource named by Forge-Help straight from the jar, without the framework
        String bnd = java.nio.file.Files.readString(java.nio.file.Path.of("bnd.bnd"));
        assertTrue(bnd.contains("\nForge-Help: io/forgeone/cli/internal/" + HelpText.MAIN_RESOURCE + "\n"), bnd);
        assertEquals(0, forge("--help"));
        assertEquals(console.out(), new String(HelpText.class.getResourceAsStream(HelpText.MAIN_RESOURCE).readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void helpRunAndRunHelpAreTheSamePage() {
        forge.bindEngine(engine("chicory"));
        assertEquals(0, forge("help", "run"));
        String viaHelp = console.out();
        console.stdout.reset();
        assertEquals(0, forge("run", "--help"));
        assertEquals(viaHelp, console.out());
        console.stdout.reset();
        assertEquals(0, forge("run", "-h"));
        assertEquals(viaHelp, console.out());
        assertTrue(viaHelp.startsWith("Usage: forge run [OPTIONS] FILE.wasm [ARGS...]\n"), viaHelp);
        for (String option : List.of("--dir HOST[::GUEST]", "--env NAME=VALUE", "--engine NAME", "--timeout DURATION",
                "--max-memory SIZE", "Exit status:", "134", "124", "137", "Examples:")) {
            assertTrue(viaHelp.contains(option), option + " in\n" + viaHelp);
        }
        assertTrue(viaHelp.contains("[default: 30s]"), viaHelp);
        assertTrue(viaHelp.contains("[default: 256MiB]"), viaHelp);
        assertTrue(viaHelp.contains("installed: chicory"), viaHelp);
        assertEquals("", console.err());
        assertTrue(runtime.calls.isEmpty());
    }

    @Test
    void helpOnAnUnknownTopicIsAUsageError() {
        assertEquals(2, forge("help", "frobnicate"));
        assertEquals("forge: error: no help for 'frobnicate' (see 'forge --help')\n", console.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"version", "--version", "-V"})
    void versionNamesForgeEnginesAndPlatform(String flag) {
        forge.bindEngine(engine("chicory"));
        assertEquals(0, forge(flag));
        assertEquals("forge 1.2.3\nengine chicory: chicory engine 1.0\njava 17, felix 7\n", console.out());
        assertEquals("", console.err());
    }

    @Test
    void versionTakesNoArguments() {
        assertEquals(2, forge("version", "--all"));
        assertTrue(console.err().startsWith("forge: error: version takes no arguments"), console.err());
    }

    @Test
    void unboundEngineIsNoLongerListed() {
        WasmEngine chicory = engine("chicory");
        forge.bindEngine(chicory);
        forge.unbindEngine(chicory);
        assertEquals(0, forge("version"));
        assertEquals("forge 1.2.3\njava 17, felix 7\n", console.out());
    }

    @Test
    void unknownCommandPrintsUsageToStderr() {
        assertEquals(2, forge("frobnicate", "x"));
        assertEquals("", console.out());
        String[] lines = console.err().split("\n");
        assertEquals("forge: error: unknown command 'frobnicate'", lines[0]);
        assertTrue(lines[1].startsWith("Usage: forge"), console.err());
    }

    @Test
    void unknownTopLevelOptionIsAUsageError() {
        assertEquals(2, forge("--frobnicate"));
        assertTrue(console.err().startsWith("forge: error: unknown option '--frobnicate' (see 'forge --help')\n"));
    }

    @Test
    void noArgumentsIsAUsageError() {
        assertEquals(2, forge());
        assertEquals(2, forge.applyAsInt(null));
        assertTrue(console.err().startsWith("forge: error: no command given"), console.err());
    }

    @Test
    void aRuntimeBugBecomesOneLineAndExit1() throws Exception {
        runtime.createFailure = new NullPointerException("boom");
        java.nio.file.Path module = java.nio.file.Files.createTempFile("forge-cli", ".wasm");
        try {
            assertEquals(1, forge("run", module.toString()));
        } finally {
            java.nio.file.Files.delete(module);
        }
        String err = console.err();
        assertEquals("forge: error: internal error: java.lang.NullPointerException: boom (see the log)\n", err);
        assertFalse(err.contains("\tat "), err);
    }
}
