package io.forgeone.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Drives the forge Gogo commands through the real command processor. */
@Timeout(60)
public class GogoCommandsIT {

    @BeforeAll
    static void onlyWithoutPolicyGate() {
        Assumptions.assumeFalse(Node.policyGate(), "runs on the node without the policy gate (felix.bndrun)");
    }
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private CommandSession session;
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        CommandProcessor processor = Node.service(CommandProcessor.class);
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
        dir = Files.createTempDirectory("forge-gogo");
        awaitCommand();
    }

    @AfterEach
    void tearDown() throws Exception {
        String all = (String) execute("forge:ps -a");
        for (String line : all.split("\n")) {
            if (!line.startsWith("ID") && !line.isBlank()) {
                execute("forge:rm -f " + line.split("\\s+")[0]);
            }
        }
        session.close();
    }

    /** SCR registers the commands shortly after the framework starts; wait until they answer. */
    private void awaitCommand() throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try {
                execute("forge:engines");
                return;
            } catch (Exception e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private Object execute(String command) throws Exception {
        return session.execute(command);
    }

    @Test
    public void runStreamsOutputAndReportsTheExit() throws Exception {
        Path hello = Node.wasm(dir, "hello.wasm");
        Object result = execute("forge:run --name greeter --env GREETING=hi " + hello + " x");
        String printed = console.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("hello from wasm\narg[0]=hello.wasm\narg[1]=x\nGREETING=hi\n"), printed);
        assertEquals("greeter exited with code 0", result);

        String ps = (String) execute("forge:ps -a");
        assertTrue(ps.contains("greeter") && ps.contains("Exited (0)"), ps);
        assertTrue(((String) execute("forge:ps")).lines().count() == 1, "no running containers");
        String inspect = (String) execute("forge:inspect greeter");
        assertTrue(inspect.contains("state:       stopped") && inspect.contains("engine:      chicory"), inspect);
        assertTrue(((String) execute("forge:logs greeter")).startsWith("hello from wasm"));
        assertEquals("greeter\n", execute("forge:rm greeter"));
        assertTrue(!((String) execute("forge:ps -a")).contains("greeter"));
    }

    @Test
    public void detachedRunCanBeStoppedAndRemoved() throws Exception {
        Path loop = Node.wasm(dir, "loop.wasm");
        String id = (String) execute("forge:run -d --name spinner " + loop);
        assertEquals(16, id.length());
        assertTrue(((String) execute("forge:ps")).contains("spinner"));
        assertTrue(((String) execute("forge:stop spinner")).contains("Killed (137)"));
        assertEquals("spinner\n", execute("forge:rm " + id.substring(0, 6)));
    }

    @Test
    public void trapAndBadInputAreReported() throws Exception {
        Object trapped = execute("forge:run --name crasher " + Node.wasm(dir, "trap.wasm"));
        assertTrue(((String) trapped).startsWith("crasher trapped (exit 134): wasm trap"), String.valueOf(trapped));
        Exception e = assertThrows(Exception.class, () -> execute("forge:run --env =x " + Node.wasm(dir, "hello.wasm")));
        assertTrue(e.getMessage().contains("name is empty"), e.getMessage());
        e = assertThrows(Exception.class, () -> execute("forge:inspect nosuch"));
        assertTrue(e.getMessage().contains("no container with id or name 'nosuch'"), e.getMessage());
    }

    @Test
    public void enginesListsChicory() throws Exception {
        String engines = (String) execute("forge:engines");
        assertTrue(engines.contains("chicory"), engines);
        assertTrue(engines.contains("io.forgeone.engine-chicory " + Node.bundle("io.forgeone.engine-chicory")
                .getVersion()), engines);
    }

    @Test
    public void providersListTheirFunctionsGrantsAndUsers() throws Exception {
        Assumptions.assumeTrue(Node.installed("io.forgeone.provider-kv"), "runs where the providers are installed");
        String providers = (String) execute("forge:providers");
        assertTrue(providers.contains("forge:kv.put(i32, i32, i32, i32) -> i32   needs functions: [forge:kv.put]"),
                providers);
        assertTrue(providers.contains("forge:http.request("), providers);
        assertTrue(providers.contains("needs net: "), providers);
        assertTrue(providers.contains(String.valueOf(Node.bundle("io.forgeone.provider-kv").getBundleId())), providers);
    }
}
