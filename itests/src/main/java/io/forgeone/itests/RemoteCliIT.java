package io.forgeone.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.auth.IssuedCertificate;
import io.forgeone.api.auth.NodeCertificates;
import io.forgeone.api.auth.Role;
import io.forgeone.api.auth.TokenService;
import io.forgeone.api.crypto.KeyCodec;
import io.forgeone.api.crypto.SignatureScheme;
import io.forgeone.api.pkg.PackageBuilder;
import io.forgeone.api.pkg.TrustStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Dictionary;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The forge CLI's remote mode against a real node (remote.bndrun) over real HTTP, then HTTPS with a client
 * certificate. The client is the cli bundle's class named by its {@code Forge-Remote} header, loaded from the cli and
 * api bundles' own entries in a plain class loader (no OSGi wiring), as the launcher loads it from their jars: the
 * same constructor and {@code ToIntFunction<String[]>} the launcher calls, with the environment and streams given.
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class RemoteCliIT {
    private static final Map<Role, String> TOKENS = new EnumMap<>(Role.class);
    private static String node;
    private static int port;
    private static ClassLoader client;
    private static String mainClass;
    private static Path work;

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeAll
    static void startNode() throws Exception {
        Assumptions.assumeTrue(List.of(Node.context().getBundles()).stream()
                .anyMatch(b -> b.getSymbolicName().equals("io.forgeone.cli")), "runs on remote.bndrun");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Configuration config = Node.service(ConfigurationAdmin.class).getConfiguration("io.forgeone.rest", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("port", port);
        props.put("allow.modules", true);
        config.update(props);
        node = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(node + "/v1/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the REST server did not come up on port " + port, e);
                }
            }
            Thread.sleep(100);
        }
        Path policies = Files.createDirectories(Path.of(Node.context().getProperty("forge.home"), "etc", "policies"));
        Files.writeString(policies.resolve("remote-it.yaml"), "name: remote-it\nmode: enforce\ngrants:\n  args: true\n"
                + "  env: true\n  clocks: true\n  random: true\n  stdout: true\n  stderr: true\n");
        TokenService tokens = Node.service(TokenService.class);
        for (Role r : Role.values()) {
            TOKENS.put(r, tokens.create(r, "remote-it-" + r.id()).token());
        }
        Bundle cli = Node.bundle("io.forgeone.cli");
        mainClass = cli.getHeaders().get("Forge-Remote");
        assertNotNull(mainClass, "the cli bundle names its remote client in Forge-Remote");
        client = new BundleEntries(List.of(cli, Node.bundle("io.forgeone.api")));
        work = Files.createTempDirectory("forge-remote-it");
        // the policy file is picked up by a watcher: wait until a program may print
        long policyDeadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Path hello = Node.wasm(work, "hello.wasm");
        while (!forge(Role.OPERATOR, "run", "--rm", hello.toString()).out().contains("hello from wasm")) {
            assertTrue(System.nanoTime() < policyDeadline, "the policy file was not picked up");
            Thread.sleep(200);
        }
    }

    /** Classes and resources straight from bundles' entries, over the platform class loader: no OSGi wiring. */
    static final class BundleEntries extends ClassLoader {
        private final List<Bundle> bundles;

        BundleEntries(List<Bundle> bundles) {
            super("forge-remote-it", ClassLoader.getPlatformClassLoader());
            this.bundles = bundles;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            URL url = findResource(name.replace('.', '/') + ".class");
            if (url == null) {
                throw new ClassNotFoundException(name + " is in neither the cli nor the api bundle");
            }
            try (InputStream in = url.openStream()) {
                byte[] bytes = in.readAllBytes();
                return defineClass(name, bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }

        @Override
        protected URL findResource(String name) {
            for (Bundle b : bundles) {
                URL url = b.getEntry(name);
                if (url != null) {
                    return url;
                }
            }
            return null;
        }
    }

    /** forge with FORGE_NODE set to the node and FORGE_TOKEN to a token of {@code role} (none for null). */
    static Result forge(Role role, String... args) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("FORGE_NODE", node);
        if (role != null) {
            env.put("FORGE_TOKEN", TOKENS.get(role));
        }
        return forgeWith(env, args);
    }

    @SuppressWarnings("unchecked")
    static Result forgeWith(Map<String, String> env, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Object main = client.loadClass(mainClass)
                .getConstructor(Map.class, InputStream.class, OutputStream.class, OutputStream.class)
                .newInstance(env, new ByteArrayInputStream(new byte[0]), out, err);
        int code = ((ToIntFunction<String[]>) main).applyAsInt(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Path wasm(String name) {
        Path file = work.resolve(name);
        return Files.exists(file) ? file : Node.wasm(work, name);
    }

    @Test
    @Order(1)
    public void attachedRunStreamsOutputAndExitsWithTheGuestsCode() throws Exception {
        Result hello = forge(Role.OPERATOR, "run", "--name", "greeter", "--env", "GREETING=hi",
                wasm("hello.wasm").toString(), "one", "--two");
        assertEquals(0, hello.code(), hello::toString);
        assertTrue(hello.out().startsWith("hello from wasm\n"), hello::toString);
        assertTrue(hello.out().contains("arg[1]=one\narg[2]=--two\nGREETING=hi\n"), hello::toString);
        assertEquals("", hello.err(), "a quick upload shows no progress line when stderr is not a terminal");

        Result seven = forge(Role.OPERATOR, "run", "--rm", wasm("exitcode.wasm").toString(), "42");
        assertEquals(42, seven.code(), seven::toString);

        Result trap = forge(Role.OPERATOR, "run", "--rm", wasm("trap.wasm").toString());
        assertEquals(134, trap.code(), trap::toString);
        assertTrue(trap.err().startsWith("forge: error: wasm trap"), trap::toString);

        Result timeout = forge(Role.OPERATOR, "run", "--rm", "--timeout", "1s", wasm("loop.wasm").toString());
        assertEquals(124, timeout.code(), timeout::toString);

        // --rm removed them; greeter stays, as docker run leaves a container
        Result ps = forge(Role.VIEWER, "ps", "-a", "--json");
        assertEquals(0, ps.code(), ps::toString);
        List<?> all = (List<?>) Json.parse(ps.out().getBytes(StandardCharsets.UTF_8));
        assertEquals(1, all.size(), ps::toString);
        Map<?, ?> greeter = (Map<?, ?>) all.get(0);
        assertEquals("greeter", greeter.get("name"));
        assertEquals("stopped", greeter.get("state"));
        assertEquals(0L, ((Number) greeter.get("exitCode")).longValue());
    }

    @Test
    @Order(2)
    public void detachedRunThenFollowedLogs() throws Exception {
        Result started = forge(Role.OPERATOR, "run", "-d", "--name", "ticker", wasm("ticker.wasm").toString(), "60");
        assertEquals(0, started.code(), started::toString);
        String id = started.out().strip();
        assertTrue(id.matches("[A-Za-z0-9._-]+"), started::toString);

        Result followed = forge(Role.VIEWER, "logs", "-f", id);
        assertEquals(0, followed.code(), followed::toString);
        assertTrue(followed.out().startsWith("tick 1\ntick 2\n"), followed::toString);
        assertTrue(followed.out().endsWith("tick 60\nticked 60\n"), followed::toString);

        Result logs = forge(Role.VIEWER, "logs", "ticker");
        assertEquals(followed.out(), logs.out(), "the kept log is what was followed");

        Result inspect = forge(Role.VIEWER, "inspect", "ticker");
        assertEquals(0, inspect.code(), inspect::toString);
        Map<?, ?> info = (Map<?, ?>) Json.parse(inspect.out().getBytes(StandardCharsets.UTF_8));
        assertEquals(id, info.get("id"));
        assertEquals("stopped", info.get("state"));
        assertEquals("exited", info.get("stopReason"));
        assertTrue(inspect.out().contains("\n  \"name\": \"ticker\",\n"), "indented for people: " + inspect.out());
    }

    @Test
    @Order(3)
    public void psStatsStopKillAndRmOfARunningContainer() throws Exception {
        Result started = forge(Role.OPERATOR, "run", "-d", "--name", "looper", "--timeout", "0",
                wasm("loop.wasm").toString());
        assertEquals(0, started.code(), started::toString);

        Result ps = forge(Role.VIEWER, "ps");
        assertEquals(0, ps.code(), ps::toString);
        assertTrue(ps.out().startsWith("ID "), ps::toString);
        assertEquals(2, ps.out().lines().count(), "only the running one without -a: " + ps.out());
        assertTrue(ps.out().lines().skip(1).findFirst().orElseThrow().matches(".*looper +running +\\S+ +Up \\d+s .*"),
                ps::toString);

        Result stats = forge(Role.VIEWER, "stats");
        assertEquals(0, stats.code(), stats::toString);
        assertTrue(stats.out().startsWith("ID "), stats::toString);
        assertTrue(stats.out().contains(" looper ") && stats.out().contains(" running "), stats::toString);
        Result statsJson = forge(Role.VIEWER, "stats", "looper", "--json");
        List<?> rows = (List<?>) Json.parse(statsJson.out().getBytes(StandardCharsets.UTF_8));
        Map<?, ?> row = (Map<?, ?>) rows.get(0);
        assertEquals("looper", row.get("name"));
        assertEquals("running", row.get("state"));
        assertTrue(row.get("uptimeMs") instanceof Number, statsJson::toString);

        Result rmRunning = forge(Role.OPERATOR, "rm", "looper");
        assertEquals(1, rmRunning.code(), rmRunning::toString);
        assertTrue(rmRunning.err().matches("forge: error: .*\\[container_state, HTTP 409\\]\n"), rmRunning::toString);

        Result stop = forge(Role.OPERATOR, "stop", "looper");
        assertEquals(0, stop.code(), stop::toString);
        assertTrue(stop.out().matches("looper: Killed \\(137\\) \\d+s ago\n"), stop::toString);

        Result kill = forge(Role.OPERATOR, "kill", "looper");
        assertEquals(1, kill.code(), "a stopped container cannot be killed: " + kill);
        assertTrue(kill.err().contains("[container_state, HTTP 409]"), kill::toString);

        Result rm = forge(Role.OPERATOR, "rm", "looper");
        assertEquals(0, rm.code(), rm::toString);
        assertEquals("looper\n", rm.out());

        assertEquals(0, forge(Role.OPERATOR, "run", "-d", "--name", "looper2", "--timeout", "0",
                wasm("loop.wasm").toString()).code());
        Result killed = forge(Role.OPERATOR, "kill", "looper2");
        assertEquals(0, killed.code(), killed::toString);
        assertTrue(killed.out().startsWith("looper2: "), killed::toString);
        Result forced = forge(Role.OPERATOR, "rm", "-f", "looper2");
        assertEquals(0, forced.code(), forced::toString);
    }

    /** The table forge ps prints over REST is forge:ps's in the node's own shell (MODULE shows the file name). */
    @Test
    @Order(4)
    public void psPrintsTheShellsTable() throws Exception {
        assertEquals(0, forge(Role.OPERATOR, "run", "-d", "--name", "spinner", "--timeout", "0",
                wasm("loop.wasm").toString()).code());
        CommandProcessor processor = Node.service(CommandProcessor.class);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), console, console);
        try {
            String shell = null;
            String remote = null;
            // the two are a few milliseconds apart: retry when a status ("Up 3s") crossed a second between them
            for (int attempt = 0; attempt < 5; attempt++) {
                shell = fileNamesOnly((String) session.execute("forge:ps -a"));
                Result ps = forge(Role.VIEWER, "ps", "-a");
                assertEquals(0, ps.code(), ps::toString);
                remote = ps.out();
                if (shell.equals(remote)) {
                    break;
                }
            }
            assertEquals(shell, remote);
            assertTrue(remote.contains(" spinner ") && remote.contains(" greeter "), remote);
        } finally {
            session.close();
            forge(Role.OPERATOR, "rm", "-f", "spinner");
        }
    }

    /** The shell shows the module's path on the node; the API only its file name. */
    private static String fileNamesOnly(String table) {
        int column = table.indexOf("MODULE");
        StringBuilder out = new StringBuilder();
        for (String line : table.split("\n")) {
            if (line.length() > column) {
                String module = line.substring(column);
                out.append(line, 0, column).append(module.substring(module.lastIndexOf('/') + 1));
            } else {
                out.append(line);
            }
            out.append(System.lineSeparator());
        }
        return out.toString();
    }

    @Test
    @Order(5)
    public void aSignedPackageIsUploadedVerifiedAndRun() throws Exception {
        Path pkg = signedPackage("hello.wasm", "hello-remote", true);
        Result run = forge(Role.OPERATOR, "run", "--rm", "--env", "GREETING=pkg", pkg.toString(), "x");
        assertEquals(0, run.code(), run::toString);
        assertTrue(run.out().contains("hello from wasm\n") && run.out().contains("GREETING=pkg\n"), run::toString);

        Path unsigned = signedPackage("hello.wasm", "hello-unsigned", false);
        Result refused = forge(Role.OPERATOR, "run", unsigned.toString());
        assertEquals(1, refused.code(), refused::toString);
        assertTrue(refused.err().matches("forge: error: .*\\[package_refused, HTTP 422\\]\n"), refused::toString);
        assertTrue(refused.err().contains("unsigned"), refused::toString);
    }

    private static Path signedPackage(String wasm, String name, boolean sign) throws Exception {
        PackageBuilder builder = Node.service(PackageBuilder.class);
        KeyCodec codec = Node.service(KeyCodec.class);
        SignatureScheme ed25519 = null;
        Node.service(SignatureScheme.class);
        for (ServiceReference<SignatureScheme> ref : Node.context().getServiceReferences(SignatureScheme.class, null)) {
            SignatureScheme s = Node.context().getService(ref);
            if (s.name().equals("ed25519")) {
                ed25519 = s;
            }
        }
        KeyPair key = ed25519.generate();
        Node.service(TrustStore.class).add("remote-it", codec.writePublicKey(key.getPublic()));
        Path dir = Files.createTempDirectory("forge-remote-pkg");
        Path src = Files.createDirectories(dir.resolve("src"));
        Node.wasm(src, wasm);
        Files.writeString(src.resolve("forge.json"), "{\"name\": \"" + name + "\", \"version\": \"1.0.0\","
                + " \"entrypoint\": \"" + wasm + "\", \"capabilities\": [\"wasi:stdout\"],"
                + " \"limits\": {\"memoryPages\": 64, \"timeoutMs\": 60000},"
                + " \"publisher\": {\"name\": \"remote-it\", \"keys\": [\"" + codec.keyId(key.getPublic()) + "\"]}}");
        Path out = dir.resolve(name + ".forgepkg");
        builder.build(src, out);
        if (sign) {
            builder.sign(out, key.getPrivate());
        }
        return out;
    }

    @Test
    @Order(6)
    public void errorsAreOneLineWithTheNodesCode() throws Exception {
        Map<String, String> badToken = Map.of("FORGE_NODE", node, "FORGE_TOKEN", "fo1_0000000000000000_nope");
        Result bad = forgeWith(badToken, "ps");
        assertEquals(1, bad.code(), bad::toString);
        assertEquals("forge: error: the bearer token is not valid on this node [unauthorized, HTTP 401]\n", bad.err());
        assertEquals("", bad.out());

        Result none = forge(null, "ps");
        assertEquals(1, none.code(), none::toString);
        assertTrue(none.err().contains("no token was sent: give one with --token-file FILE or FORGE_TOKEN"),
                none::toString);

        Path tokenFile = work.resolve("viewer.token");
        Files.writeString(tokenFile, TOKENS.get(Role.VIEWER) + "\n");
        Result viewerRun = forgeWith(Map.of(), "--node", node, "--token-file", tokenFile.toString(), "run",
                wasm("hello.wasm").toString());
        assertEquals(1, viewerRun.code(), viewerRun::toString);
        assertTrue(viewerRun.err().contains("[forbidden, HTTP 403]"), viewerRun::toString);
        Result viewerPs = forgeWith(Map.of(), "ps", "--node=" + node, "--token-file", tokenFile.toString());
        assertEquals(0, viewerPs.code(), "connection options after the command: " + viewerPs);

        Result unknown = forge(Role.VIEWER, "inspect", "no-such-container");
        assertEquals(1, unknown.code(), unknown::toString);
        assertTrue(unknown.err().matches("forge: error: .*no-such-container.*\\[container_not_found, field id,"
                + " HTTP 404\\]\n"), unknown::toString);
        // ids travel percent-encoded as one path segment: a slash or a space never becomes another route
        Result traversal = forge(Role.VIEWER, "logs", "../etc");
        assertEquals(1, traversal.code(), traversal::toString);
        assertTrue(traversal.err().endsWith("[not_found, HTTP 404]\n"), traversal::toString);
        Result spaced = forge(Role.VIEWER, "stats", "a b");
        assertEquals(1, spaced.code(), spaced::toString);
        assertTrue(spaced.err().contains("[invalid_id"), spaced::toString);

        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Result unreachable = forgeWith(Map.of("FORGE_NODE", "http://127.0.0.1:" + closed), "ps");
        assertEquals(1, unreachable.code(), unreachable::toString);
        assertEquals("forge: error: cannot reach the node at http://127.0.0.1:" + closed + ": connection refused (is"
                + " the node running, with its REST bundle, on that port?)\n", unreachable.err());

        Result usage = forge(Role.VIEWER, "ps", "--bogus");
        assertEquals(2, usage.code(), usage::toString);
        Result dir = forge(Role.OPERATOR, "run", "--dir", ".", wasm("hello.wasm").toString());
        assertEquals(2, dir.code(), dir::toString);
        assertTrue(dir.err().startsWith("forge: error: --dir: "), dir::toString);
        Result noNode = forgeWith(Map.of(), "ps");
        assertEquals(2, noNode.code(), noNode::toString);
        assertTrue(noNode.err().contains("use --node URL or set FORGE_NODE"), noNode::toString);
        Result missing = forge(Role.OPERATOR, "run", work.resolve("missing.wasm").toString());
        assertEquals(1, missing.code(), missing::toString);
        assertEquals("forge: error: " + work.resolve("missing.wasm") + ": no such file\n", missing.err());
    }

    private static String counterOutput(int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            out.append("count ").append(i).append('\n');
        }
        return out.append("total ").append((long) n * (n + 1) / 2).append('\n').toString();
    }

    private static String gogo(String command) throws Exception {
        CommandProcessor processor = Node.service(CommandProcessor.class);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), console, console);
        try {
            return String.valueOf(session.execute(command));
        } finally {
            session.close();
        }
    }

    /**
     * Snapshots and traces over the remote CLI: a counter is snapshotted while it runs (taken at its next host call),
     * killed, and restored attached from the node's snapshot folder: the restored container prints the rest of the
     * count and the right total, and forge exits with its code. Then ls, inspect (as forge:snapshot inspect prints
     * it), trace (as forge:trace prints it), trace --follow, rm, and the node's refusals.
     */
    @Test
    @Order(7)
    public void snapshotRestoreAndTraceOverTheRemoteCli() throws Exception {
        Path home = Path.of(Node.context().getProperty("forge.home"));
        Path policy = home.resolve("etc/policies/remote-snap-it.yaml");
        // the counter appends to a file in its preopen: a policy for it alone lets it
        Files.writeString(policy, "name: remote-snap-it\nmode: enforce\npriority: 10\nmatch:\n  name: \"*remote-snap*\"\n"
                + "grants:\n  args: true\n  clocks: true\n  random: true\n  stdout: true\n  stderr: true\n  fs:\n"
                + "    - path: /data/**\n      access: [read, write, create]\n");
        io.forgeone.api.container.ContainerRuntime runtime = Node.service(
                io.forgeone.api.container.ContainerRuntime.class);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (http.send(HttpRequest.newBuilder(URI.create(node + "/v1/policies/remote-snap-it"))
                .header("Authorization", "Bearer " + TOKENS.get(Role.VIEWER)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() != 200
                || forge(Role.VIEWER, "snapshot", "ls").code() != 0) {
            assertTrue(System.nanoTime() < deadline, "the remote-snap-it policy and the snapshot routes did not come up:"
                    + " " + forge(Role.VIEWER, "snapshot", "ls"));
            Thread.sleep(50);
        }
        String original = null;
        try {
            Path dir = Files.createTempDirectory("forge-remote-snap");
            Path data = Files.createDirectories(dir.resolve("data"));
            // through the runtime, for the preopen the API never grants; long enough to be counting when the
            // snapshot arrives, and its output fits the node's 1 MiB log buffer
            int n = 30000;
            original = runtime.create(io.forgeone.api.container.ContainerSpec.of(Node.wasm(dir, "counter.wasm"))
                    .withName("remote-snap-counter")
                    .withPreopens(List.of(new io.forgeone.api.wasi.Preopen(data, "/data")))
                    .withArgs(List.of(Integer.toString(n), "/data/out.txt")),
                    io.forgeone.api.container.ContainerIO.DETACHED).id();
            runtime.start(original);
            deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!runtime.logs(original).stdout().contains("count 200\n")) {
                assertTrue(System.nanoTime() < deadline && runtime.state(original).state()
                        == io.forgeone.api.container.ContainerState.RUNNING, "the counter did not reach 200: "
                        + runtime.state(original) + "; " + runtime.logs(original).stderr());
                Thread.sleep(2);
            }

            Result viewer = forge(Role.VIEWER, "snapshot", "remote-snap-counter");
            assertEquals(1, viewer.code(), viewer::toString);
            assertTrue(viewer.err().endsWith("[forbidden, HTTP 403]\n"), viewer::toString);

            // running: paused at its next host call, snapshotted and resumed
            Result taken = forge(Role.OPERATOR, "snapshot", "remote-snap-counter");
            assertEquals(0, taken.code(), taken::toString);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("snapshot of remote-snap-counter at host call"
                    + " #(\\d+) written to (remote-snap-counter-\\d+\\.fsnap) \\((\\d+) bytes\\)\n").matcher(taken.out());
            assertTrue(m.matches(), taken::toString);
            long calls = Long.parseLong(m.group(1));
            String name = m.group(2);
            assertTrue(calls > 200, taken::toString);
            assertTrue(Files.isRegularFile(Path.of(Node.context().getProperty("forge.var"), "snapshots", name)),
                    "written into the node's snapshot folder");
            Result kill = forge(Role.OPERATOR, "kill", "remote-snap-counter");
            assertTrue(kill.code() == 0 || kill.err().contains("[container_state, HTTP 409]"), kill::toString);
            deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (runtime.state(original).state() != io.forgeone.api.container.ContainerState.STOPPED) {
                assertTrue(System.nanoTime() < deadline, "not stopped: " + runtime.state(original));
                Thread.sleep(10);
            }
            Result again = forge(Role.OPERATOR, "snapshot", "remote-snap-counter");
            assertEquals(1, again.code(), again::toString);
            assertTrue(again.err().contains("[container_state, HTTP 409]"), "a stopped container: " + again);

            Result ls = forge(Role.VIEWER, "snapshot", "ls");
            assertEquals(0, ls.code(), ls::toString);
            assertTrue(ls.out().startsWith("NAME "), ls::toString);
            assertTrue(ls.out().lines().anyMatch(l -> l.matches(java.util.regex.Pattern.quote(name)
                    + " +remote-snap-counter +" + calls + " +\\S+ +\\d+s ago +ed25519:\\S+")), ls::toString);

            // forge --node URL snapshot inspect prints forge:snapshot inspect's text, the file by its name
            Result inspect = forge(Role.VIEWER, "snapshot", "inspect", name.substring(0, name.length() - 6));
            assertEquals(0, inspect.code(), inspect::toString);
            Path file = Path.of(Node.context().getProperty("forge.var"), "snapshots", name);
            String shell = gogo("forge:snapshot inspect " + file);
            assertEquals(shell.replace(file.toString(), name), inspect.out());
            assertTrue(inspect.out().contains("host calls:  " + calls + " (re-executed on restore)\n"), inspect.out());

            // restored attached: the rest of the count, the right total, and the container's exit code
            Result restored = forge(Role.OPERATOR, "restore", name, "--name", "remote-snap-restored");
            assertEquals(0, restored.code(), restored::toString);
            String out = restored.out();
            assertTrue(out.endsWith("total " + (long) n * (n + 1) / 2 + "\n"), restored::toString);
            assertTrue(out.startsWith("count ") && !out.startsWith("count 1\n") && counterOutput(n).endsWith(out),
                    "goes on from the snapshot's call: " + out.substring(0, Math.min(200, out.length())));
            assertEquals("", restored.err());
            Result restoredPs = forge(Role.VIEWER, "inspect", "remote-snap-restored");
            assertTrue(restoredPs.out().contains("\"state\": \"stopped\""), restoredPs::toString);

            Result detached = forge(Role.OPERATOR, "restore", "-d", name, "--name", "remote-snap-detached");
            assertEquals(0, detached.code(), detached::toString);
            String detachedId = detached.out().strip();
            assertEquals(detachedId, runtime.state("remote-snap-detached").id());
            Result taken2 = forge(Role.OPERATOR, "restore", "-d", name, "--name", "remote-snap-detached");
            assertEquals(1, taken2.code(), "the name is taken: " + taken2);
            assertTrue(taken2.err().contains("[container_spec, field name, HTTP 422]"), taken2::toString);
            assertEquals(0, forge(Role.VIEWER, "logs", "-f", "remote-snap-detached").code());

            // trace: forge:trace's lines, over the wire
            Result opens = forge(Role.VIEWER, "trace", "remote-snap-counter", "--filter", "call=path_open");
            assertEquals(0, opens.code(), opens::toString);
            assertEquals(gogo("forge:trace --filter call=path_open remote-snap-counter"), opens.out());
            // the counter's first calls have left the ring by now (its history file went when it ended)
            assertTrue(opens.out().startsWith("(") && opens.out().contains(" earlier calls are no longer kept)\n")
                    && opens.out().contains("\n-- end: "), "it has ended: " + opens);
            Result writes = forge(Role.VIEWER, "trace", "greeter", "--filter", "call=fd_write");
            assertEquals(0, writes.code(), writes::toString);
            assertEquals(gogo("forge:trace --filter call=fd_write greeter"), writes.out());
            assertTrue(writes.out().lines().anyMatch(l -> l.matches("#\\d+ +[\\d.]+ms  fd_write\\(.*\\) -> errno 0"
                    + "  allow.*")), writes::toString);
            assertTrue(writes.out().endsWith(" (exit 0)\n"), writes::toString);
            Result first = forge(Role.VIEWER, "trace", "remote-snap-restored", "--limit", "3");
            assertEquals(0, first.code(), first::toString);
            assertEquals(3, first.out().lines().filter(l -> l.startsWith("#")).count(), first::toString);
            assertEquals(gogo("forge:trace --limit 3 remote-snap-restored"), first.out());
            Result summary = forge(Role.VIEWER, "trace", "remote-snap-restored", "--summary");
            assertEquals(gogo("forge:trace --summary remote-snap-restored"), summary.out());
            assertTrue(summary.out().endsWith("the run ended: EXITED (exit 0)\n"), summary::toString);
            Result runs = forge(Role.VIEWER, "trace");
            assertEquals(0, runs.code(), runs::toString);
            assertTrue(runs.out().startsWith("ID ") && runs.out().contains(" remote-snap-restored "), runs::toString);

            // --follow: calls as they are made, until the run ends
            Result ticker = forge(Role.OPERATOR, "run", "-d", "--name", "traced-ticker", wasm("ticker.wasm").toString(),
                    "40");
            assertEquals(0, ticker.code(), ticker::toString);
            Result followed = forge(Role.VIEWER, "trace", "traced-ticker", "--follow", "--filter", "call=fd_write");
            assertEquals(0, followed.code(), followed::toString);
            assertTrue(followed.out().lines().filter(l -> l.contains("fd_write(")).count() >= 41, followed::toString);
            assertTrue(followed.out().endsWith("-- end: EXITED (exit 0)\n"), followed::toString);

            Result unknown = forge(Role.OPERATOR, "restore", "none-such");
            assertEquals(1, unknown.code(), unknown::toString);
            assertTrue(unknown.err().contains("[snapshot_not_found, field name, HTTP 404]"), unknown::toString);
            Result noContainer = forge(Role.OPERATOR, "snapshot", "none-such");
            assertTrue(noContainer.code() == 1 && noContainer.err().contains("[container_not_found"),
                    noContainer::toString);

            // pulled into a file here and pushed back under another name (signed by this node's key, which it trusts)
            forge(Role.OPERATOR, "snapshot", "rm", "pushed-copy"); // left by a run of this test that failed half-way
            Path pulled = Files.createTempDirectory("remote-pull").resolve("pulled.fsnap");
            Result pull = forge(Role.OPERATOR, "snapshot", "pull", name, pulled.toString());
            assertEquals(0, pull.code(), pull::toString);
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(pulled));
            Result push = forge(Role.OPERATOR, "snapshot", "push", pulled.toString(), "pushed-copy");
            assertEquals(0, push.code(), push::toString);
            assertTrue(push.out().startsWith("pushed " + pulled + " as pushed-copy.fsnap (snapshot of remote-snap-counter"
                    + " at host call #" + calls + ", signed by ed25519:"), push::toString);
            Result twice = forge(Role.OPERATOR, "snapshot", "push", pulled.toString(), "pushed-copy");
            assertTrue(twice.code() == 1 && twice.err().contains("[snapshot_exists"), twice::toString);
            assertEquals(0, forge(Role.OPERATOR, "snapshot", "rm", "pushed-copy").code());

            Result rm = forge(Role.OPERATOR, "snapshot", "rm", name);
            assertEquals(0, rm.code(), rm::toString);
            assertEquals(name + "\n", rm.out());
            Result gone = forge(Role.VIEWER, "snapshot", "inspect", name);
            assertEquals(1, gone.code(), gone::toString);
            assertTrue(gone.err().contains("[snapshot_not_found, field name, HTTP 404]"), gone::toString);
            assertFalse(forge(Role.VIEWER, "snapshot", "ls").out().contains(name));
        } finally {
            for (String id : new String[] {original, "remote-snap-restored", "remote-snap-detached", "traced-ticker"}) {
                if (id != null) {
                    forge(Role.OPERATOR, "rm", "-f", id);
                }
            }
            Files.deleteIfExists(policy);
        }
    }

    /** Last, as it turns TLS on: https with the node's CA and a client certificate it issued. */
    @Test
    @Order(100)
    public void mutualTls() throws Exception {
        NodeCertificates ca = Node.service(NodeCertificates.class);
        IssuedCertificate alice = ca.issueClient("alice", Duration.ofDays(1));
        Path caPem = Files.writeString(work.resolve("ca.pem"), ca.caCertificatePem());
        Path cert = Files.writeString(work.resolve("alice.pem"), alice.certificatePem());
        Path key = Files.writeString(work.resolve("alice.key"), alice.privateKeyPem());
        Configuration config = Node.service(ConfigurationAdmin.class).getConfiguration("io.forgeone.rest", "?");
        Dictionary<String, Object> props = config.getProperties();
        props.put("tls", true);
        props.put("client.auth", "need");
        config.update(props);
        Map<String, String> env = Map.of("FORGE_NODE", "https://127.0.0.1:" + port, "FORGE_TOKEN",
                TOKENS.get(Role.VIEWER));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Result ps;
        while (true) {
            ps = forgeWith(env, "--cacert", caPem.toString(), "--cert", cert.toString(), "--key", key.toString(),
                    "ps", "-a");
            if (ps.code() == 0 || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(200);
        }
        assertEquals(0, ps.code(), ps::toString);
        assertTrue(ps.out().contains(" greeter "), ps::toString);

        Result noCert = forgeWith(env, "--cacert", caPem.toString(), "ps");
        assertEquals(1, noCert.code(), noCert::toString);
        assertEquals(1, noCert.err().lines().count(), noCert::toString);
        assertTrue(noCert.err().startsWith("forge: error: "), noCert::toString);

        Result untrusted = forgeWith(env, "ps");
        assertEquals(1, untrusted.code(), untrusted::toString);
        assertTrue(untrusted.err().startsWith("forge: error: TLS with the node at https://127.0.0.1:" + port
                + " failed: "), untrusted::toString);

        Result plain = forgeWith(Map.of("FORGE_NODE", node, "FORGE_TOKEN", TOKENS.get(Role.VIEWER)), "--cacert",
                caPem.toString(), "ps");
        assertEquals(2, plain.code(), "--cacert with an http:// node is a usage error: " + plain);
        assertFalse(plain.err().isEmpty());
    }
}
