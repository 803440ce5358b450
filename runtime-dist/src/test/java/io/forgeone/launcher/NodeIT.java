package io.forgeone.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/forge node} as a real process from the built distribution (target/forgeone, copied so that each test
 * has an installation of its own): the first admin token, tokens and certificates made offline with {@code forge
 * token} and {@code forge cert}, real HTTP(S) calls with java.net.http, and SIGTERM. Runs in the integration-test
 * phase, after the distribution is assembled.
 */
@Timeout(180)
class NodeIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final FileTime WRITTEN = FileTime.from(Instant.parse("2020-01-02T03:04:05Z"));

    @TempDir
    Path tmp;
    private Path home;
    private int port;
    private Process node;
    private final BlockingQueue<String> nodeErr = new LinkedBlockingQueue<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void install() throws IOException {
        String distProperty = System.getProperty("forge.dist");
        // only the node-it execution (integration-test phase, after the distribution is assembled) sets it
        org.junit.jupiter.api.Assumptions.assumeTrue(distProperty != null,
                "NodeIT runs in the integration-test phase, with forge.dist set");
        Path dist = Path.of(distProperty).toAbsolutePath();
        assertTrue(Files.isExecutable(dist.resolve("bin/forge")), "no distribution at " + dist);
        home = tmp.resolve("forgeone");
        copyTree(dist, home);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // the shipped file, with this test's port (8080 may be in use on a shared machine)
        Path cfg = home.resolve("etc/io.forgeone.rest.cfg");
        String shipped = Files.readString(cfg);
        assertTrue(shipped.contains("\nhost = 127.0.0.1\n") && shipped.contains("\nport = 8080\n"), shipped);
        Files.writeString(cfg, shipped.replace("\nport = 8080\n", "\nport = " + port + "\n")
                + "\nallow.modules = true\n");
    }

    /**
     * The configuration files as the test wrote them, with a time stamp of their own, so that a node that writes
     * one of them (FileInstall writes every configuration back into its file unless told not to, truncating it
     * first: its own watcher once read the REST file empty and the node served port 8080) is caught at once.
     */
    private Map<Path, byte[]> freezeConfiguration() throws IOException {
        Map<Path, byte[]> files = new HashMap<>();
        try (DirectoryStream<Path> etc = Files.newDirectoryStream(home.resolve("etc"), "*.cfg")) {
            for (Path file : etc) {
                Files.setLastModifiedTime(file, WRITTEN);
                files.put(file, Files.readAllBytes(file));
            }
        }
        assertTrue(files.containsKey(home.resolve("etc/io.forgeone.rest.cfg")), files.keySet().toString());
        return files;
    }

    private static void assertConfigurationUntouched(Map<Path, byte[]> frozen) throws IOException {
        for (Map.Entry<Path, byte[]> e : frozen.entrySet()) {
            assertEquals(new String(e.getValue(), StandardCharsets.ISO_8859_1),
                    Files.readString(e.getKey(), StandardCharsets.ISO_8859_1), e.getKey() + " was rewritten by the node");
            assertEquals(WRITTEN, Files.getLastModifiedTime(e.getKey()), e.getKey() + " was written by the node");
        }
    }

    @AfterEach
    void kill() throws InterruptedException {
        if (node != null && node.isAlive()) {
            node.destroyForcibly();
            node.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aHeadlessNodeServesTheApiWithTokensAndStopsCleanlyOnSigterm() throws Exception {
        // a token made before the node ever ran, without it
        Result offline = forge("token", "create", "--role", "operator", "--name", "ci");
        assertEquals(0, offline.code(), offline.toString());
        String operator = offline.out().strip();
        assertTrue(operator.matches("fo1_[0-9a-f]{16}_[A-Za-z0-9_-]{43}"), operator);
        assertFalse(Files.exists(home.resolve("etc/admin.token")), "forge token made no admin token by itself");

        Map<Path, byte[]> configuration = freezeConfiguration();
        start();
        String first = awaitLine("API at ");
        assertTrue(first.contains("http://127.0.0.1:" + port + "/v1"), first);
        String announced = awaitLine("admin token");
        Path adminFile = home.resolve("etc/admin.token");
        assertTrue(announced.contains(adminFile.toString()), announced);
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(adminFile));
        String admin = Files.readString(adminFile).strip();

        assertEquals(200, get("/v1/health", null).statusCode());
        assertEquals(401, get("/v1/containers", null).statusCode());
        assertEquals(401, get("/v1/containers", "fo1_0000000000000000_" + "A".repeat(43)).statusCode());
        assertEquals(200, get("/v1/version", admin).statusCode());
        assertEquals(403, get("/v1/tokens", operator).statusCode(), "an operator may not list tokens");

        everyDocumentedRouteRefusesARequestWithoutAToken(admin);

        // a token made offline while the node runs counts at once
        Result viewer = forge("token", "create", "--role", "viewer");
        assertEquals(0, viewer.code(), viewer.toString());
        assertEquals(200, get("/v1/containers", viewer.out().strip()).statusCode());
        String id = viewer.err().replaceAll("(?s).*viewer token ([0-9a-f]{16}).*", "$1");
        Result revoked = forge("token", "revoke", id);
        assertEquals(0, revoked.code(), revoked.toString());
        assertEquals(401, get("/v1/containers", viewer.out().strip()).statusCode());
        assertTrue(forge("token", "list").out().contains(" ci\n"));

        // a container that runs until it is stopped
        HttpResponse<String> module = http.send(HttpRequest.newBuilder(uri("/v1/modules"))
                .header("Authorization", "Bearer " + operator)
                .POST(HttpRequest.BodyPublishers.ofFile(home.resolve("examples/loop.wasm"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, module.statusCode(), module.body());
        String moduleId = module.body().replaceAll(".*\"id\":\"([0-9a-f]{64})\".*", "$1");
        HttpResponse<String> run = http.send(HttpRequest.newBuilder(uri("/v1/containers"))
                .header("Authorization", "Bearer " + operator).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"module\":\"" + moduleId
                        + "\",\"name\":\"looper\",\"timeoutMs\":0}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, run.statusCode(), run.body());
        assertTrue(run.body().contains("\"state\":\"running\""), run.body());

        node.destroy(); // SIGTERM
        assertTrue(node.waitFor(30, TimeUnit.SECONDS), "the node did not stop within 30 s of SIGTERM");
        assertEquals(0, node.exitValue(), "exit status after SIGTERM");
        String log = Files.readString(home.resolve("var/log/forge.log"));
        assertTrue(log.contains("Received SIGTERM; stopping the node"), log);
        assertTrue(log.contains("Container looper stopped: KILLED exit 137 (node stopping)"), log);
        assertTrue(log.contains("Node stopped (stopped)"), log);
        assertThrows(IOException.class, () -> get("/v1/health", null), "nothing listens any more");
        assertConfigurationUntouched(configuration);
    }

    /** Every path and method in the node's OpenAPI document, without a token: 401 (405 where the method is not served). */
    private void everyDocumentedRouteRefusesARequestWithoutAToken(String admin) throws Exception {
        HttpResponse<String> doc = get("/v1/openapi.json", admin);
        assertEquals(200, doc.statusCode());
        Set<String> paths = new LinkedHashSet<>();
        Matcher m = Pattern.compile("\"(/v1/[^\"]*)\"\\s*:\\s*\\{").matcher(doc.body());
        while (m.find()) {
            paths.add(m.group(1));
        }
        assertTrue(paths.size() >= 15, "paths in the OpenAPI document: " + paths);
        int refused = 0;
        for (String path : paths) {
            String concrete = path.replaceAll("\\{[^}]+\\}", "x1");
            for (String method : List.of("GET", "POST", "DELETE", "PUT")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(concrete))
                        .method(method, HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (path.equals("/v1/health") && method.equals("GET")) {
                    assertEquals(200, r.statusCode());
                    continue;
                }
                assertTrue(r.statusCode() == 401 || r.statusCode() == 405,
                        method + " " + concrete + " without a token: " + r.statusCode() + " " + r.body());
                if (r.statusCode() == 401) {
                    refused++;
                }
            }
        }
        assertTrue(refused >= paths.size() - 1, "refused " + refused + " of " + paths);
    }

    @Test
    void mutualTlsWithAClientCertificateIssuedOffline() throws Exception {
        Result issued = forge("cert", "issue", "--client", "alice", "--days", "30", "--out", tmp.toString());
        assertEquals(0, issued.code(), issued.toString());
        assertEquals(PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(tmp.resolve("alice.key")));
        Result list = forge("cert", "list");
        assertEquals(0, list.code(), list.toString());
        assertTrue(list.out().contains(" alice\n"), list.out());
        Result again = forge("cert", "issue", "--client", "alice", "--out", tmp.toString());
        assertEquals(1, again.code(), "refuses to overwrite a key: " + again);
        Result bad = forge("cert", "issue", "--client", "a/b");
        assertEquals(2, bad.code(), bad.toString());
        assertTrue(bad.err().contains("certificate name"), bad.err());

        Path cfg = home.resolve("etc/io.forgeone.rest.cfg");
        Files.writeString(cfg, Files.readString(cfg) + "tls = true\nclient.auth = need\n");
        Map<Path, byte[]> configuration = freezeConfiguration();
        start();
        String first = awaitLine("API at ");
        assertTrue(first.contains("https://127.0.0.1:" + port + "/v1"), first);
        String admin = Files.readString(home.resolve("etc/admin.token")).strip();

        HttpClient alice = HttpClient.newBuilder().sslContext(tls(tmp.resolve("ca.pem"), tmp.resolve("alice.pem"),
                tmp.resolve("alice.key"))).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> version = alice.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
                + "/v1/version")).header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, version.statusCode(), version.body());
        assertEquals(401, alice.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/v1/version"))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode(), "a certificate alone grants nothing");

        HttpClient stranger = HttpClient.newBuilder().sslContext(tls(tmp.resolve("ca.pem"), null, null))
                .connectTimeout(Duration.ofSeconds(5)).build();
        assertThrows(IOException.class, () -> stranger.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                + port + "/v1/version")).header("Authorization", "Bearer " + admin).build(),
                HttpResponse.BodyHandlers.ofString()), "no client certificate, no connection");

        node.destroy();
        assertTrue(node.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, node.exitValue());
        assertConfigurationUntouched(configuration);
    }

    /**
     * {@code forge run} of a bare module activates only what it uses: no package service, no key codec, no signature
     * scheme, no BouncyCastle (they cost a third of a second of every run when the command, the kernel and the
     * snapshot signer bound them greedily). Declarative Services' debug log names every component it activates.
     */
    @Test
    void forgeRunOfABareModuleActivatesNoPackageOrCryptoComponent() throws Exception {
        Path out = tmp.resolve("run.out");
        ProcessBuilder pb = process("run", home.resolve("examples/hello.wasm").toString())
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("FORGE_OPTS", "-Dds.loglevel=debug");
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "forge run did not finish");
        assertEquals(0, p.exitValue(), Files.readString(out));
        List<String> activated = Files.readAllLines(home.resolve("var/log/forge.log")).stream()
                .filter(line -> line.contains("Changed state from satisfied to active")).toList();
        assertTrue(activated.stream().anyMatch(line -> line.contains("internal.ContainerRuntimeImpl(")),
                "the debug log names activated components: " + activated);
        List<String> unwanted = activated.stream().filter(line -> line.contains("bundle io.forgeone.crypto:")
                || line.contains("bundle io.forgeone.pkg:") || line.contains("internal.SnapshotSigner(")).toList();
        assertEquals(List.of(), unwanted, "components forge run activated without using them");
    }

    /**
     * The commands that use optional services (package and key, trust, policy, snapshot) find them in a real
     * framework when they need them: the forge command no longer binds them when it starts.
     */
    @Test
    void commandsFindTheServicesTheyUseWhenTheyNeedThem() throws Exception {
        Result keygen = forge("pkg", "keygen", "--alg", "ed25519", "--out", tmp.resolve("pub.pem").toString());
        assertEquals(0, keygen.code(), keygen.toString());
        assertTrue(Files.isRegularFile(tmp.resolve("pub.pub.pem")), keygen.toString());
        Result help = forge("pkg", "keygen", "--help");
        assertTrue(help.out().contains("installed: ecdsa-p256, ed25519, ml-dsa-65, slh-dsa-sha2-128s"), help.out());
        Result add = forge("trust", "add", "--name", "ci", tmp.resolve("pub.pub.pem").toString());
        assertEquals(0, add.code(), add.toString());
        Result trusted = forge("trust", "list");
        assertEquals(0, trusted.code(), trusted.toString());
        assertTrue(trusted.out().contains("ci"), trusted.out());
        Result policies = forge("policy", "list");
        assertEquals(0, policies.code(), policies.toString());
        assertTrue(policies.out().contains("default"), policies.out());
        Result snapshot = forge("snapshot", "inspect", tmp.resolve("none.fsnap").toString());
        assertEquals(1, snapshot.code(), snapshot.toString());
        assertTrue(snapshot.err().contains("none.fsnap") && !snapshot.err().contains("service"), snapshot.err());
    }

    @Test
    void aOneShotRunWithTraceWritesATraceTheCommandLineReadsAndReplaysWithoutTheFiles() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("input.txt"), "traced line\n");
        Result run = forge("run", "--trace", "--dir", data + "::/data", home.resolve("examples/cat.wasm").toString(),
                "/data/input.txt");
        assertEquals(0, run.code(), run.toString());
        assertEquals("traced line\n", run.out());
        String folder = run.err().replaceAll("(?s).*trace of the run in (\\S+) \\(forge trace.*", "$1").strip();
        assertTrue(Files.isDirectory(Path.of(folder)) && Path.of(folder).startsWith(home.resolve("var/traces")),
                run.err());

        // read by another process than the one that recorded it: WASI calls are still decoded
        Result opens = forge("trace", "--filter", "call=path_open", folder);
        assertEquals(0, opens.code(), opens.toString());
        assertTrue(opens.out().contains("path=input.txt"), opens.out());
        Result summary = forge("trace", "--summary", folder);
        assertEquals(0, summary.code(), summary.toString());
        assertTrue(summary.out().contains("input.txt for reading"), summary.out());

        // the replay touches no file: the input may be gone
        Files.delete(data.resolve("input.txt"));
        Result replay = forge("replay", folder);
        assertEquals(0, replay.code(), replay.toString());
        assertTrue(replay.out().contains("identical"), replay.out());

        Result remote = forge("--node", "http://127.0.0.1:1", "run", "--trace", "x.wasm");
        assertEquals(2, remote.code(), remote.toString());
        assertTrue(remote.err().contains("--trace: a node writes trace files"), remote.err());
    }

    @Test
    void aSignedPackageShipsAStartImageMadeByForgeSnapshotInit() throws Exception {
        Path app = Files.createDirectories(tmp.resolve("app"));
        Files.copy(home.resolve("examples/prebuilt.wasm"), app.resolve("prebuilt.wasm"));
        Result init = forge("snapshot", "init", "--out", app.resolve("prebuilt.fimg").toString(),
                app.resolve("prebuilt.wasm").toString());
        assertEquals(0, init.code(), init.toString());
        Result keygen = forge("pkg", "keygen", "--alg", "ed25519", "--out", tmp.resolve("acme.pem").toString());
        assertEquals(0, keygen.code(), keygen.toString());
        String keyId = keygen.out().replaceAll("(?s).*key id\\s+([0-9a-f]{64}).*", "$1");
        String manifest = "{\"name\": \"primes\", \"version\": \"1.0.0\", \"entrypoint\": \"ENTRY\","
                + " \"capabilities\": [\"wasi:stdout\"], \"limits\": {\"memoryPages\": 64, \"timeoutMs\": 60000},"
                + " \"publisher\": {\"name\": \"acme\", \"keys\": [\"" + keyId + "\"]},"
                + " \"run\": {\"snapshot\": \"prebuilt.fimg\"}}";
        Files.writeString(app.resolve("forge.json"), manifest.replace("ENTRY", "prebuilt.wasm"));
        Path pkg = tmp.resolve("primes.forgepkg");
        for (String[] step : List.of(new String[] {"pkg", "build", app.toString(), "--out", pkg.toString()},
                new String[] {"pkg", "sign", pkg.toString(), "--key", tmp.resolve("acme.pem").toString()},
                new String[] {"trust", "add", "--name", "acme", tmp.resolve("acme.pub.pem").toString()})) {
            Result r = forge(step);
            assertEquals(0, r.code(), String.join(" ", step) + ": " + r);
        }
        Result run = forge("run", pkg.toString(), "1000");
        assertEquals(0, run.code(), run.toString());
        Result cold = forge("run", app.resolve("prebuilt.wasm").toString(), "1000");
        assertEquals(0, cold.code(), cold.toString());
        assertEquals(cold.out(), run.out());
        assertTrue(run.out().startsWith("prime[1000] = 7919\n"), run.out());

        // an image of another module is refused, naming the package entry and both modules
        Files.copy(home.resolve("examples/cat.wasm"), app.resolve("cat.wasm"));
        Files.writeString(app.resolve("forge.json"), manifest.replace("ENTRY", "cat.wasm").replace("1.0.0", "1.0.1"));
        Path other = tmp.resolve("other.forgepkg");
        assertEquals(0, forge("pkg", "build", app.toString(), "--out", other.toString()).code());
        assertEquals(0, forge("pkg", "sign", other.toString(), "--key", tmp.resolve("acme.pem").toString()).code());
        Result refused = forge("run", other.toString());
        assertEquals(1, refused.code(), refused.toString());
        assertTrue(refused.err().contains("prebuilt.fimg (run.snapshot)")
                && refused.err().contains("not the package's entry point"), refused.err());
    }

    @Test
    void helpAndUsageErrors() throws Exception {
        Result help = forge("node", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().startsWith("Usage: forge node"), help.out());
        Result wrong = forge("node", "--port", "1");
        assertEquals(2, wrong.code());
        assertTrue(wrong.err().contains("node takes no arguments"), wrong.err());
        assertTrue(forge("token", "--help").out().startsWith("Usage: forge token"));
        assertTrue(forge("cert", "--help").out().startsWith("Usage: forge cert"));
        Result role = forge("token", "create", "--role", "root");
        assertEquals(2, role.code());
        assertTrue(role.err().contains("role must be viewer, operator or admin, was 'root'"), role.err());
        Result missing = forge("token", "revoke", "0123456789abcdef");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no token 0123456789abcdef"), missing.err());
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private record Result(int code, String out, String err) {
    }

    private ProcessBuilder process(String... args) {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/forge").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        pb.environment().put("FORGE_CDS", "off");
        pb.environment().remove("FORGE_OPTS");
        pb.environment().remove("JAVA_OPTS");
        return pb;
    }

    private Result forge(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = process(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("forge " + String.join(" ", args) + " did not finish within 60 s");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private void start() throws IOException {
        node = process("node").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(node.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    nodeErr.add(line);
                }
            } catch (IOException e) {
                nodeErr.add("(stderr unreadable: " + e + ")");
            }
        }, "node-stderr");
        reader.setDaemon(true);
        reader.start();
    }

    private String awaitLine(String containing) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + START.toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String line = nodeErr.poll(500, TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.add(line);
                if (line.contains(containing)) {
                    return line;
                }
            } else if (!node.isAlive()) {
                break;
            }
        }
        Path log = home.resolve("var/log/forge.log");
        fail("the node did not say '" + containing + "'; it said " + seen + (node.isAlive() ? ""
                : " and exited " + node.exitValue()) + "; log:\n" + (Files.exists(log) ? Files.readString(log) : "none"));
        return null;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SSLContext tls(Path caPem, Path certPem, Path keyPem) throws Exception {
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", x509.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(caPem))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (certPem != null) {
            Certificate cert = x509.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certPem)));
            String pem = Files.readString(keyPem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                    Base64.getDecoder().decode(pem)));
            keys.setKeyEntry("client", key, new char[0], new Certificate[] {cert});
        }
        kmf.init(keys, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.getFileName().toString().equals("var") && dir.getParent().equals(from)) {
                    return FileVisitResult.SKIP_SUBTREE; // the build's own smoke-test state, if any
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(file).toString());
                Files.copy(file, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
