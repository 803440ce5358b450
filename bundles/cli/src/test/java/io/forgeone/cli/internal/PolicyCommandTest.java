package io.forgeone.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.gate.Decision;
import io.forgeone.api.policy.Explanation;
import io.forgeone.api.policy.PolicyInfo;
import io.forgeone.api.policy.PolicyMode;
import io.forgeone.api.policy.PolicyProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code forge policy}: the node's policies through PolicyService, in the command's own framework. */
class PolicyCommandTest {
    @TempDir
    Path tmp;

    private final Console console = new Console();
    private final PolicyFakes.Policies policies = new PolicyFakes.Policies();
    private ForgeCommand forge;

    @BeforeEach
    void setUp() {
        forge = new ForgeCommand(new FakeRuntime(), console.terminal, "1", "java", n -> null,
                PackageFakes.services(), PolicyFakes.services(policies), tmp);
        policies.policies.add(new PolicyInfo("default", "/opt/forge/etc/policies/default.yaml", PolicyMode.ENFORCE,
                "every workload", List.of("args: granted", "fs[0]: /** read, write, create, delete")));
        policies.policies.add(new PolicyInfo("web", "/opt/forge/etc/policies/web.yaml", PolicyMode.AUDIT, "name=web-*",
                List.of("stdout: granted")));
    }

    private int forge(String... args) {
        return forge.applyAsInt(args);
    }

    @Test
    void listShowsThePoliciesAndNamesTheFilesNotInForce() {
        policies.problems.add(new PolicyProblem("/opt/forge/etc/policies/bad.yaml", 3, 7, "grants.random",
                "expected true or false, got 'maybe'"));
        assertEquals(0, forge("policy", "list"));
        assertEquals(String.format("%-20s  %-10s  %-40s  %s%n", "NAME", "MODE", "APPLIES TO", "FILE")
                + String.format("%-20s  %-10s  %-40s  %s%n", "default", "enforce", "every workload",
                        "/opt/forge/etc/policies/default.yaml")
                + String.format("%-20s  %-10s  %-40s  %s%n", "web", "audit", "name=web-*",
                        "/opt/forge/etc/policies/web.yaml"), console.out());
        assertEquals("forge: warning: not in force: /opt/forge/etc/policies/bad.yaml:3:7: grants.random: expected"
                + " true or false, got 'maybe'\n", console.err());
    }

    @Test
    void listJsonAndAnEmptyList() {
        assertEquals(0, forge("policy", "list", "--json"));
        assertTrue(console.out().startsWith("{\"policies\":[{\"name\":\"default\",\"file\":"
                + "\"/opt/forge/etc/policies/default.yaml\",\"mode\":\"enforce\",\"appliesTo\":\"every workload\","
                + "\"rules\":[\"args: granted\","), console.out());
        assertTrue(console.out().endsWith(",\"notInForce\":[]}\n"), console.out());
        policies.policies.clear();
        console.stdout.reset();
        assertEquals(0, forge("policy", "list"));
        assertEquals("no policies in force: every call that reaches outside a container is denied\n", console.out());
    }

    @Test
    void showOnePolicyOrSayThereIsNone() {
        assertEquals(0, forge("policy", "show", "web"));
        assertEquals("name:       web\nfile:       /opt/forge/etc/policies/web.yaml\nmode:       audit\n"
                + "applies to: name=web-*\nrules:\n  stdout: granted\n", console.out());
        assertEquals(1, forge("policy", "show", "nope"));
        assertEquals("forge: error: no policy named 'nope' is in force (see 'forge policy list')\n", console.err());
        assertEquals(2, forge("policy", "show"));
        assertEquals(2, forge("policy", "show", "a", "b"));
    }

    @Test
    void checkResolvesFilesAgainstTheCallersFolder() throws Exception {
        Files.writeString(tmp.resolve("good.yaml"), "name: good\n");
        Files.writeString(tmp.resolve("bad.yaml"), "grants: {}\n");
        assertEquals(0, forge("policy", "check", "good.yaml"));
        assertEquals(tmp.resolve("good.yaml") + ": valid\n", console.out());
        assertEquals(List.of(tmp.resolve("good.yaml")), policies.checked);

        assertEquals(1, forge("policy", "check", "good.yaml", "bad.yaml", "missing.yaml"));
        assertEquals("forge: error: " + tmp.resolve("bad.yaml") + ":1:1: name: required\n"
                + "forge: error: " + tmp.resolve("missing.yaml") + ": no such file\n", console.err());
        assertEquals(2, forge("policy", "check"));
        assertTrue(console.err().endsWith("forge: error: no FILE given (see 'forge policy check --help')\n"));
    }

    @Test
    void checkJson() throws Exception {
        Files.writeString(tmp.resolve("bad.yaml"), "x: 1\n");
        assertEquals(1, forge("policy", "check", "--json", "bad.yaml"));
        assertEquals("{\"file\":\"" + tmp.resolve("bad.yaml") + "\",\"valid\":false,\"problems\":[{\"file\":\""
                + tmp.resolve("bad.yaml") + "\",\"line\":1,\"column\":1,\"path\":\"name\",\"message\":\"required\"}]}\n",
                console.out());
    }

    @Test
    void explainDescribesTheWorkloadFromItsModule() throws Exception {
        byte[] module = {0, 'a', 's', 'm', 1, 0, 0, 0};
        Files.write(tmp.resolve("hello.wasm"), module);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(module));
        assertEquals(0, forge("policy", "explain", "--module", "hello.wasm", "fd_write", "fd=1"));
        assertEquals("hello-xxxxxx", policies.who.containerName());
        assertEquals(sha, policies.who.moduleSha256());
        assertEquals("wasi_snapshot_preview1.fd_write", policies.function);
        assertEquals(Map.of("fd", "1"), policies.args);
        assertEquals("allow by policy default, rule stdout (enforce): writing to stdout is granted\n"
                + "  workload: name hello-xxxxxx, module sha256:" + sha + "\n", console.out());
    }

    @Test
    void explainByNameWithLabels() {
        policies.answer = new Explanation(Decision.DENY, "web", PolicyMode.ENFORCE, "fs[0]",
                "write /data/x is not granted");
        assertEquals(0, forge("policy", "explain", "--name", "web-1", "--label", "team=blue", "--spiffe",
                "spiffe://forge.local/pkg/acme/web", "kv.put", "path=/data/x", "--json"));
        assertEquals("web-1", policies.who.containerName());
        assertEquals("0".repeat(64), policies.who.moduleSha256());
        assertEquals(Map.of("team", "blue", "spiffe", "spiffe://forge.local/pkg/acme/web"), policies.who.labels());
        assertEquals("kv.put", policies.function);
        assertEquals("{\"decision\":\"deny\",\"policy\":\"web\",\"mode\":\"enforce\",\"rule\":\"fs[0]\","
                + "\"reason\":\"write /data/x is not granted\",\"workload\":{\"name\":\"web-1\",\"module\":\"sha256:"
                + "0".repeat(64) + "\",\"labels\":{\"spiffe\":\"spiffe://forge.local/pkg/acme/web\",\"team\":\"blue\"}},"
                + "\"call\":\"kv.put\",\"args\":{\"path\":\"/data/x\"}}\n", console.out());
    }

    @Test
    void explainMistakes() {
        assertEquals(2, forge("policy", "explain", "path_open"));
        assertTrue(console.err().contains("say which workload: --name NAME, --module FILE.wasm|sha256:HEX"),
                console.err());
        assertEquals(2, forge("policy", "explain", "--name", "a"));
        assertEquals(2, forge("policy", "explain", "--name", "a", "path_open", "path"));
        assertEquals(2, forge("policy", "explain", "--name", "a", "--label", "team", "path_open"));
        assertEquals(2, forge("policy", "explain", "--module", "sha256:abc", "path_open"));
        assertEquals(2, forge("policy", "explain", "--name", "a", "kv."));
        assertEquals(1, forge("policy", "explain", "--module", "nope.wasm", "path_open"));
        assertTrue(console.err().endsWith("forge: error: " + tmp.resolve("nope.wasm") + ": no such file\n"),
                console.err());
        for (String line : console.err().split("\n")) {
            assertTrue(line.startsWith("forge: error: "), line);
        }
    }

    @Test
    void helpPagesAndUsage() {
        assertEquals(0, forge("help", "policy"));
        assertTrue(console.out().startsWith("Usage: forge policy COMMAND"));
        for (String sub : List.of("list", "show", "check", "explain")) {
            console.stdout.reset();
            assertEquals(0, forge("help", "policy", sub));
            assertTrue(console.out().startsWith("Usage: forge policy " + sub), console.out());
            console.stdout.reset();
            assertEquals(0, forge("policy", sub, "--help"));
            assertTrue(console.out().startsWith("Usage: forge policy " + sub), console.out());
        }
        assertEquals(2, forge("policy"));
        assertEquals(2, forge("policy", "frob"));
        assertEquals(2, forge("policy", "list", "extra"));
        assertEquals(2, forge("policy", "list", "--frob"));
        assertTrue(console.err().endsWith("forge: error: unknown option '--frob' (see 'forge policy list --help')\n"),
                console.err());
    }

    @Test
    void withoutTheTrustBundleItSaysSo() {
        ForgeCommand bare = new ForgeCommand(new FakeRuntime(), console.terminal, "1", "java", n -> null,
                PackageFakes.services(), tmp);
        assertEquals(1, bare.applyAsInt(new String[] {"policy", "list"}));
        assertEquals("forge: error: no PolicyService service: the trust bundle (io.forgeone.trust) is not installed or"
                + " did not start (see the log)\n", console.err());
    }
}
