package io.forgeone.trust.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.policy.PolicyMode;
import io.forgeone.api.policy.PolicyProblem;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyParserTest {
    static final String FULL = String.join("\n",
            "name: web",
            "mode: audit",
            "priority: 5",
            "match:",
            "  name: web-*",
            "  labels: {team: blue}",
            "grants:",
            "  args: true",
            "  env: [LANG, GREETING]",
            "  clocks: true",
            "  random: false",
            "  stdout: true",
            "  stderr: true",
            "  fs:",
            "    - path: /data/**",
            "      access: [read]",
            "    - path: /out/*.txt",
            "      access: [read, write, create, delete]",
            "  net:",
            "    - host: api.example.com",
            "      ports: [443]",
            "  functions: [kv.get]",
            "log: {allows: true}",
            "quarantine: [fs]",
            "");

    @Test
    void readsEveryPart() {
        PolicyParser.Result r = PolicyParser.parse("web.yaml", FULL);
        assertEquals(List.of(), r.problems());
        Policy p = r.policy();
        assertEquals("web", p.name());
        assertEquals(PolicyMode.AUDIT, p.mode());
        assertEquals(5, p.priority());
        assertEquals("web-*", p.selector().name());
        assertEquals("blue", p.selector().labels().get("team"));
        assertTrue(p.grants().args() && p.grants().clocks() && !p.grants().random() && !p.grants().stdin());
        assertEquals(List.of("LANG", "GREETING"), p.grants().env());
        assertEquals(Set.of(Access.READ), p.grants().fs().get(0).access());
        assertEquals("fs[1]", p.grants().fs().get(1).id());
        assertEquals(443, p.grants().net().get(0).ports().get(0));
        assertEquals(Set.of("kv.get"), p.grants().functions());
        assertTrue(p.logAllows());
        assertEquals(Set.of("fs"), p.quarantineOn());
    }

    @Test
    void jsonIsAcceptedToo() {
        PolicyParser.Result r = PolicyParser.parse("p.json",
                "{\"name\": \"j\", \"grants\": {\"stdout\": true, \"fs\": [{\"path\": \"/d/**\", \"access\": [\"read\"]}]}}");
        assertEquals(List.of(), r.problems());
        assertTrue(r.policy().grants().stdout());
    }

    private static PolicyProblem only(String text) {
        PolicyParser.Result r = PolicyParser.parse("bad.yaml", text);
        assertNull(r.policy());
        assertEquals(1, r.problems().size(), r.problems().toString());
        return r.problems().get(0);
    }

    @Test
    void problemsNameFileLineAndPath() {
        PolicyProblem p = only("name: x\ngrants:\n  fs:\n    - path: /data/**\n      access: [read, wirte]\n");
        assertEquals("bad.yaml", p.file());
        assertEquals(5, p.line());
        assertEquals("grants.fs[0].access[1]", p.path());
        assertTrue(p.message().contains("'wirte' is not an access"), p.message());
        assertTrue(p.toString().startsWith("bad.yaml:5:"), p.toString());
    }

    @Test
    void unknownKeysAreErrorsNotSilentNonGrants() {
        PolicyProblem p = only("name: x\ngrants:\n  stdot: true\n");
        assertEquals(3, p.line());
        assertEquals("grants.stdot", p.path());
        assertTrue(p.message().contains("unknown key 'stdot'"));
    }

    @Test
    void otherMistakes() {
        assertTrue(only("grants: {}\n").message().contains("missing"));
        assertTrue(only("name: x\nmode: strict\n").message().contains("not a mode"));
        assertTrue(only("name: x\ngrants:\n  fs:\n    - path: data/**\n      access: [read]\n").message()
                .contains("must be absolute"));
        assertTrue(only("name: x\ngrants:\n  fs:\n    - path: /a/../b\n      access: [read]\n").message()
                .contains("'..'"));
        assertTrue(only("name: x\nname: y\n").message().contains("duplicate key"));
        assertTrue(only("name: x\ngrants:\n  args: yes please\n").message().contains("true or false"));
        assertTrue(only("name: x\ngrants:\n  net:\n    - cidr: 10.0.0.0\n").message().contains("CIDR"));
        assertTrue(only("name: x\nmatch:\n  module: abc\n").message().contains("SHA-256"));
        assertTrue(only("name: [x\n").message().contains("not valid YAML"));
        assertTrue(only("").message().contains("empty"));
    }

    @Test
    void minimalPolicyGrantsNothing() {
        Policy p = PolicyParser.parse("m.yaml", "name: nothing\n").policy();
        assertNotNull(p);
        assertTrue(p.grants().fs().isEmpty() && !p.grants().stdout() && p.grants().env().isEmpty());
        assertEquals(PolicyMode.ENFORCE, p.mode());
    }

    @Test
    void readsLimitsTrustAndQuarantine() {
        PolicyParser.Result r = PolicyParser.parse("l.yaml", String.join("\n", "name: l",
                "grants:", "  fs:", "    - id: tmp", "      path: /tmp/**", "      access: [read]",
                "limits:", "  memoryPages: 32", "  wallTime: 2m", "  cpuTime: 750ms", "  callsPerSecond: 1000",
                "  bytesWritten: 10MiB", "  filesOpen: 8",
                "trust: {penalty: 25, threshold: 60}", "quarantine: [tmp, net, limits.filesOpen]", ""));
        assertEquals(List.of(), r.problems());
        Policy.Limits l = r.policy().limits();
        assertEquals(new Policy.Limits(32, java.time.Duration.ofMinutes(2), java.time.Duration.ofMillis(750), 1000,
                10L << 20, 8), l);
        assertEquals(new Policy.Trust(25, 60), r.policy().trust());
        assertEquals(Set.of("tmp", "net", "limits.filesOpen"), r.policy().quarantineOn());
        assertEquals("tmp", r.policy().grants().fs().get(0).id());
    }

    @Test
    void badLimitsTrustAndQuarantineEntriesAreNamedWithTheirLine() {
        PolicyParser.Result r = PolicyParser.parse("bad.yaml", String.join("\n", "name: bad",
                "limits:", "  wallTime: 10 seconds", "  bytesWritten: lots", "  memoryPages: 70000", "  fuel: 5",
                "trust: {penalty: 101}", "quarantine: [fss]", ""));
        String all = r.problems().toString();
        assertTrue(all.contains("bad.yaml:3") && all.contains("limits.wallTime") && all.contains("500ms"), all);
        assertTrue(all.contains("bad.yaml:4") && all.contains("limits.bytesWritten"), all);
        assertTrue(all.contains("bad.yaml:5") && all.contains("limits.memoryPages"), all);
        assertTrue(all.contains("fuel"), all);
        assertTrue(all.contains("trust.penalty"), all);
        assertTrue(all.contains("bad.yaml:8") && all.contains("'fss' is not a capability"), all);
        assertEquals(null, r.policy());
    }
}
