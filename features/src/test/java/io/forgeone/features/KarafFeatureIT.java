package io.forgeone.features;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Starts a real Apache Karaf (the distribution from Maven Central, unpacked by the build), adds the features with
 * feature:repo-add, installs forgeone with feature:install, and runs WebAssembly programs with forge:run through
 * Karaf's shell (bin/client over SSH, as a person would). The Karaf instance (etc, data) is made fresh under
 * target/karaf-instance for every run; it listens on loopback ports picked free, finds artifacts only in the build's
 * target/repository (no remote Maven repository, so the test runs offline), and is stopped at the end, killed if
 * it does not stop. A failure prints Karaf's log.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KarafFeatureIT {
    private static final String USER = "forge";
    private static final String PASSWORD = "forge-it";

    private static Path home;
    private static Path instance;
    private static int sshPort;
    private static Process karaf;

    private static Path property(String name) {
        String value = System.getProperty(name);
        assertTrue(value != null && !value.isBlank(), "system property " + name + " is set by features/pom.xml");
        return Path.of(value).toAbsolutePath().normalize();
    }

    @BeforeAll
    static void startKaraf() throws Exception {
        home = property("forge.karaf.home");
        instance = property("forge.karaf.instance");
        assertTrue(Files.isRegularFile(home.resolve("bin/karaf")), "Karaf is unpacked in " + home);
        deleteTree(instance);
        copyTree(home.resolve("etc"), instance.resolve("etc"));
        Files.createDirectories(instance.resolve("data/log"));
        sshPort = freePort();
        configure(instance.resolve("etc"), property("forge.features.repository"));

        ProcessBuilder pb = new ProcessBuilder("sh", home.resolve("bin/karaf").toString(), "server")
                .redirectErrorStream(true).redirectOutput(instance.resolve("console.log").toFile());
        environment(pb);
        karaf = pb.start();
        // should this JVM end before @AfterAll (a killed or timed-out surefire fork), Karaf ends with it
        Process started = karaf;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            started.descendants().forEach(ProcessHandle::destroyForcibly);
            started.destroyForcibly();
        }, "stop-karaf"));
        try {
            // the first command also waits for SSH and the user (the client retries the connection)
            String version = client(120, "shell:info | grep 'Karaf version'");
            assertTrue(version.contains("4.4"), "Karaf answers on its shell: " + version);
        } catch (Throwable t) {
            dumpLogs();
            stopKaraf();
            throw t;
        }
    }

    @AfterAll
    static void stopKaraf() throws Exception {
        if (karaf == null) {
            return;
        }
        try {
            if (karaf.isAlive()) {
                client(5, "shutdown -f");
                karaf.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (Throwable t) {
            System.err.println("Karaf did not take shutdown: " + t);
        } finally {
            // bin/karaf runs java as its child: end the whole tree, whatever happened above
            List<ProcessHandle> tree = new ArrayList<>();
            karaf.descendants().forEach(tree::add);
            tree.add(karaf.toHandle());
            tree.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle p : tree) {
                p.onExit().get(30, TimeUnit.SECONDS);
            }
            karaf = null;
        }
    }

    @Test
    void featureInstallsAndForgeRunRunsWasmInKaraf() throws Exception {
        try {
            // one bin/client session per step: each one is a JVM start, the slow part of this test
            String version = System.getProperty("forge.features.version");
            String install = client(5, "feature:repo-add mvn:io.forgeone/forgeone-features/" + version + "/xml/features\n"
                    + "feature:install forgeone\n"
                    + "feature:list -i | grep forgeone");
            assertFalse(install.contains("Error"), install);
            assertTrue(Pattern.compile("(?m)^forgeone\\s+\\|.*\\|\\s*Started\\s*\\|").matcher(install).find(),
                    "feature:list -i shows forgeone started: " + install);

            // SCR registers the commands once the components are satisfied: wait for forge:engines to answer
            String engines = "";
            for (int i = 0; i < 60 && !engines.contains("chicory"); i++) {
                engines = client(5, forge("forge:engines"));
                if (!engines.contains("chicory")) {
                    Thread.sleep(1000);
                }
            }
            assertTrue(engines.contains("chicory"), "forge:engines lists the Chicory engine: " + engines);

            Path hello = property("forge.hello.wasm");
            Path exitcode = hello.resolveSibling("exitcode.wasm");
            String runs = client(5, forge("forge:run --env GREETING=hi " + hello + " one two") + "\n"
                    + forge("forge:run " + exitcode + " 7") + "\n"
                    + forge("forge:ps -a") + "\n"
                    + forge("forge:policy list"));
            assertTrue(runs.contains("hello from wasm\narg[0]=hello.wasm\narg[1]=one\narg[2]=two\nGREETING=hi\nenv count=1\n"),
                    "the guest's output reaches the Karaf shell: " + runs);
            assertTrue(Pattern.compile("hello-\\w+ exited with code 0").matcher(runs).find(), "forge:run reports the exit: " + runs);
            assertTrue(Pattern.compile("exitcode-\\w+ exited with code 7").matcher(runs).find(),
                    "a non-zero exit is reported: " + runs);
            assertTrue(Pattern.compile("(?m)^\\w+\\s+hello-\\w+\\s+stopped\\s+chicory\\s+Exited \\(0\\)").matcher(runs).find()
                    && Pattern.compile("(?m)^\\w+\\s+exitcode-\\w+\\s+stopped\\s+chicory\\s+Exited \\(7\\)").matcher(runs).find(),
                    "forge:ps -a lists both runs: " + runs);

            // the feature's configuration put the node's files under Karaf's etc and data, not the working folder
            assertTrue(Files.isRegularFile(instance.resolve("etc/forgeone/policies/default.yaml")),
                    "the default policy is installed in etc/forgeone/policies");
            assertTrue(runs.contains(instance.resolve("etc/forgeone/policies/default.yaml").toString()),
                    "the policy gate reads etc/forgeone/policies: " + runs);
            assertTrue(Files.isDirectory(instance.resolve("data/forgeone/cache/chicory")),
                    "the engine caches compiled modules in data/forgeone/cache/chicory");
        } catch (Throwable t) {
            dumpLogs();
            throw t;
        }
    }

    /**
     * A forge command line that prints what the command returns: Karaf prints a command's result in an interactive session
     * but not in batch mode (bin/client -b, ssh with a command), where only what a command writes is shown.
     */
    private static String forge(String command) {
        return "echo (" + command + ")";
    }

    /** Runs Karaf shell commands through bin/client (batch mode, commands on stdin) and returns what it printed. */
    private static String client(int retries, String commands) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("sh", home.resolve("bin/client").toString(), "-h", "127.0.0.1",
                "-a", Integer.toString(sshPort), "-u", USER, "-p", PASSWORD, "-r", Integer.toString(retries), "-d", "1", "-b")
                .redirectErrorStream(true);
        environment(pb);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write((commands + "\n").getBytes(UTF_8));
        }
        // the SSH terminal ends lines with CR LF and may color its tables
        String out = new String(p.getInputStream().readAllBytes(), UTF_8).replace("\r", "")
                .replaceAll("\u001B\\[[0-9;]*[A-Za-z]", "").replace('\u00a0', ' ');
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/client did not end within 60 s for: " + commands + "\n" + out);
        }
        System.out.println("karaf> " + commands + "\n" + out);
        if (p.exitValue() != 0) {
            throw new AssertionError("bin/client exited " + p.exitValue() + " for: " + commands + "\n" + out);
        }
        return out;
    }

    private static void environment(ProcessBuilder pb) {
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("KARAF_HOME"); // bin/karaf takes its own folder
        pb.environment().put("KARAF_BASE", instance.toString());
        pb.environment().put("KARAF_ETC", instance.resolve("etc").toString());
        pb.environment().put("KARAF_DATA", instance.resolve("data").toString());
        pb.environment().put("KARAF_LOG", instance.resolve("data/log").toString());
        pb.environment().put("JAVA_MAX_MEM", "512m");
        pb.environment().remove("JAVA_OPTS");
        pb.environment().remove("EXTRA_JAVA_OPTS");
    }

    /** A user for bin/client, loopback on free ports, and Maven resolution from the build's repository only. */
    private static void configure(Path etc, Path repository) throws IOException {
        append(etc.resolve("users.properties"), USER + " = " + PASSWORD + ",_g_:admingroup\n"
                + "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n");
        append(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort = " + sshPort + "\nsshHost = 127.0.0.1\n");
        append(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryPort = " + freePort() + "\nrmiServerPort = "
                + freePort() + "\nrmiRegistryHost = 127.0.0.1\nrmiServerHost = 127.0.0.1\n");
        // Karaf takes Maven artifacts from its system/ folders, then from remote repositories: here there are none,
        // and the build's repository is copied into the instance's system/ folder as docs/embedding.md says to
        // do offline (the repository names in the default configuration: KARAF_BASE/system is one of them)
        append(etc.resolve("org.ops4j.pax.url.mvn.cfg"), "org.ops4j.pax.url.mvn.repositories =\n"
                + "org.ops4j.pax.url.mvn.localRepository = " + instance.resolve("m2") + "\n");
        copyTree(repository, instance.resolve("system"));
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, "\n# KarafFeatureIT\n" + text, UTF_8, StandardOpenOption.APPEND);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void dumpLogs() {
        for (Path log : List.of(instance.resolve("data/log/karaf.log"), instance.resolve("console.log"))) {
            try {
                List<String> lines = Files.exists(log) ? Files.readAllLines(log, UTF_8) : List.of("(none)");
                System.err.println("==== " + log + " (last 200 lines)");
                lines.subList(Math.max(0, lines.size() - 200), lines.size()).forEach(System.err::println);
            } catch (IOException e) {
                System.err.println("cannot read " + log + ": " + e);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        assertEquals(false, Files.exists(dir));
    }
}
