package io.forgeone.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.auth.CertificateInfo;
import io.forgeone.api.auth.IssuedCertificate;
import io.forgeone.api.auth.IssuedToken;
import io.forgeone.api.auth.NodeCertificates;
import io.forgeone.api.auth.Role;
import io.forgeone.api.auth.TokenInfo;
import io.forgeone.api.auth.TokenService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** forge token and forge cert over in-memory services (the real ones are tested in the rest bundle and NodeIT). */
class TokenAndCertCommandTest {
    @TempDir
    Path dir;

    private final Console console = new Console();
    private final List<TokenInfo> tokens = new ArrayList<>();
    private final List<Duration> validities = new ArrayList<>();

    private final TokenService tokenService = new TokenService() {
        @Override
        public IssuedToken create(Role role, String name) {
            TokenInfo info = new TokenInfo(String.format("%016x", tokens.size() + 1), name, role, Instant.EPOCH);
            tokens.add(info);
            return new IssuedToken(info, "fo1_" + info.id() + "_" + "s".repeat(43));
        }

        @Override
        public List<TokenInfo> list() {
            return List.copyOf(tokens);
        }

        @Override
        public boolean revoke(String id) {
            return tokens.removeIf(t -> t.id().equals(id));
        }

        @Override
        public Optional<TokenInfo> authenticate(String bearer) {
            return Optional.empty();
        }
    };

    private final NodeCertificates ca = new NodeCertificates() {
        @Override
        public String caCertificatePem() {
            return "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n";
        }

        @Override
        public IssuedCertificate issueClient(String name, Duration validity) {
            if (!name.matches("[A-Za-z0-9._@-]{1,64}")) {
                throw new IllegalArgumentException("certificate name must be 1..64 of [A-Za-z0-9._@-], was '" + name
                        + "'");
            }
            validities.add(validity);
            return new IssuedCertificate(name, "0a", Instant.EPOCH.plus(validity), "CERT " + name + "\n",
                    "KEY " + name + "\n");
        }

        @Override
        public List<CertificateInfo> issued() {
            return List.of(new CertificateInfo("alice", "0a", Instant.EPOCH, Instant.EPOCH.plusSeconds(86400)));
        }

        @Override
        public Path directory() {
            return dir.resolve("etc/tls");
        }
    };

    private OptionalServices services(boolean bound) {
        OptionalServices s = new OptionalServices(Duration.ZERO, OptionalServices.REST_BUNDLE);
        if (bound) {
            s.bind(TokenService.class, tokenService);
            s.bind(NodeCertificates.class, ca);
        }
        return s;
    }

    private int token(String... args) {
        return new TokenCommand(services(true), console.terminal).execute(List.of(args));
    }

    private int cert(String... args) {
        return new CertCommand(services(true), console.terminal, dir).execute(List.of(args));
    }

    @Test
    void createPrintsOnlyTheTokenOnStdout() {
        assertEquals(0, token("create", "--role", "operator", "--name", "ci"));
        assertEquals("fo1_0000000000000001_" + "s".repeat(43) + "\n", console.out());
        assertTrue(console.err().contains("created operator token 0000000000000001 (ci)"), console.err());
        assertEquals(Role.OPERATOR, tokens.get(0).role());
    }

    @Test
    void listAndRevoke() {
        token("create", "--role", "viewer");
        token("create", "--role", "admin", "--name", "root");
        assertEquals(0, token("list"));
        assertTrue(console.out().contains("0000000000000002  admin "), console.out());
        assertTrue(console.out().contains(" root\n"), console.out());
        assertEquals(0, token("revoke", "0000000000000001"));
        assertEquals(1, tokens.size());
        assertEquals(1, token("revoke", "0000000000000001"));
        assertTrue(console.err().contains("no token 0000000000000001"), console.err());
    }

    @Test
    void usageErrorsNameTheProblem() {
        assertEquals(2, token("create"));
        assertTrue(console.err().contains("--role is required"), console.err());
        assertEquals(2, token("create", "--role", "root"));
        assertTrue(console.err().contains("role must be viewer, operator or admin, was 'root'"), console.err());
        assertEquals(2, token("revoke", "../x"));
        assertTrue(console.err().contains("not a token id"), console.err());
        assertEquals(2, token("frobnicate"));
        assertEquals(2, token("create", "--role", "viewer", "--color", "red"));
        assertTrue(console.err().contains("unknown option '--color'"), console.err());
        assertTrue(tokens.isEmpty());
        assertEquals(0, token("--help"));
        assertTrue(console.out().startsWith("Usage: forge token"));
    }

    @Test
    void withoutTheRestBundleItSaysSo() {
        int code = new TokenCommand(services(false), console.terminal).execute(List.of("list"));
        assertEquals(1, code);
        assertTrue(console.err().contains("the rest bundle (io.forgeone.rest"), console.err());
    }

    @Test
    void issueWritesTheKeyOwnerOnlyAndRefusesToOverwrite() throws Exception {
        Files.createDirectories(dir.resolve("out"));
        assertEquals(0, cert("issue", "--client", "alice", "--days", "30", "--out", "out"));
        assertEquals(Duration.ofDays(30), validities.get(0));
        Path key = dir.resolve("out/alice.key");
        assertEquals("KEY alice\n", Files.readString(key));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(key));
        assertEquals("CERT alice\n", Files.readString(dir.resolve("out/alice.pem")));
        assertTrue(Files.readString(dir.resolve("out/ca.pem")).contains("CA"));
        assertEquals(1, cert("issue", "--client", "alice", "--out", "out"));
        assertTrue(console.err().contains("exists already"), console.err());
        assertEquals(1, validities.size(), "nothing issued when the files are in the way");
    }

    @Test
    void certUsageAndListAndCa() {
        assertEquals(2, cert("issue"));
        assertTrue(console.err().contains("--client is required"), console.err());
        assertEquals(2, cert("issue", "--client", "a/b"));
        assertTrue(console.err().contains("certificate name must be"), console.err());
        assertEquals(2, cert("issue", "--client", "bob", "--days", "ten"));
        assertTrue(console.err().contains("--days must be a whole number"), console.err());
        assertEquals(1, cert("issue", "--client", "bob", "--out", "missing"));
        assertTrue(console.err().contains("is not a directory"), console.err());
        assertFalse(Files.exists(dir.resolve("bob.key")));
        assertEquals(0, cert("list"));
        assertTrue(console.out().contains(" alice\n"), console.out());
        assertEquals(0, cert("ca"));
        assertTrue(console.out().contains("-----BEGIN CERTIFICATE-----"));
        assertEquals(0, cert("--help"));
        assertTrue(console.out().contains("Usage: forge cert"));
    }
}
