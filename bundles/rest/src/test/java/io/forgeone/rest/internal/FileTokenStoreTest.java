package io.forgeone.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.auth.IssuedToken;
import io.forgeone.api.auth.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTokenStoreTest {
    @TempDir
    Path dir;

    private FileTokenStore store(Path file) {
        return new FileTokenStore(file, Clock.fixed(Instant.parse("2026-03-01T10:00:00.5Z"), ZoneOffset.UTC));
    }

    @Test
    void createdTokensAuthenticateAndOnlyTheirHashIsKept() throws Exception {
        Path file = dir.resolve("etc/tokens");
        FileTokenStore store = store(file);
        IssuedToken t = store.create(Role.OPERATOR, "ci-bot");
        assertTrue(t.token().matches("fo1_[0-9a-f]{16}_[A-Za-z0-9_-]{43}"), t.token());
        assertEquals(Role.OPERATOR, store.authenticate(t.token()).orElseThrow().role());
        assertEquals(Instant.parse("2026-03-01T10:00:00Z"), t.info().created());
        String text = Files.readString(file);
        assertFalse(text.contains(t.token().substring(22)), "the secret is not in the file");
        assertTrue(text.contains(t.info().id() + " operator "));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        assertFalse(t.toString().contains(t.token()), "toString does not print the token");
    }

    @Test
    void wrongAndMalformedTokensDoNotAuthenticate() {
        FileTokenStore store = store(dir.resolve("tokens"));
        IssuedToken t = store.create(Role.ADMIN, "");
        String token = t.token();
        char last = token.charAt(token.length() - 1);
        assertTrue(store.authenticate(token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A')).isEmpty());
        assertTrue(store.authenticate("").isEmpty());
        assertTrue(store.authenticate(null).isEmpty());
        assertTrue(store.authenticate("x".repeat(10_000)).isEmpty());
        assertTrue(store.authenticate("fo1_" + "0".repeat(16) + "_" + "A".repeat(43)).isEmpty());
    }

    @Test
    void revokeAndSeeChangesMadeByAnotherProcess() throws Exception {
        Path file = dir.resolve("tokens");
        FileTokenStore one = store(file);
        FileTokenStore other = store(file);
        IssuedToken a = one.create(Role.VIEWER, "a");
        IssuedToken b = one.create(Role.ADMIN, "b");
        assertEquals(List.of("a", "b"), other.list().stream().map(i -> i.name()).toList());
        assertTrue(other.revoke(a.info().id()));
        assertFalse(other.revoke(a.info().id()));
        // the first store sees the revocation at its next use (the file changed)
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(5)));
        assertTrue(one.authenticate(a.token()).isEmpty());
        assertTrue(one.authenticate(b.token()).isPresent());
        assertThrows(IllegalArgumentException.class, () -> one.revoke("../x"));
    }

    @Test
    void badLinesAreSkippedNotFatal() throws Exception {
        Path file = dir.resolve("tokens");
        FileTokenStore store = store(file);
        IssuedToken t = store.create(Role.VIEWER, "ok");
        Files.writeString(file, Files.readString(file) + "garbage line\nffffffffffffffff root " + "0".repeat(64)
                + " 2026-01-01T00:00:00Z x\n");
        FileTokenStore fresh = store(file);
        assertEquals(1, fresh.list().size());
        assertTrue(fresh.authenticate(t.token()).isPresent());
    }

    @Test
    void noFileMeansNoTokens() {
        FileTokenStore store = store(dir.resolve("absent/tokens"));
        assertTrue(store.list().isEmpty());
        assertTrue(store.authenticate("fo1_" + "0".repeat(16) + "_" + "A".repeat(43)).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> store.create(Role.VIEWER, "bad name"));
    }

    @Test
    void relativeFilesAreUnderHomeEtc() {
        assertEquals(Path.of("/node/etc/tokens"), FileTokenStore.resolve("tokens", "/node"));
        assertEquals(Path.of("etc/tokens"), FileTokenStore.resolve("tokens", null));
        assertEquals(Path.of("/abs/t"), FileTokenStore.resolve("/abs/t", "/node"));
    }

    @Test
    void aNewNodeGetsOneBootstrapAdminTokenInAnOwnerOnlyFile() throws Exception {
        Path file = dir.resolve("etc/tokens");
        FileTokenStore store = store(file);
        Path initial = store.bootstrap().orElseThrow();
        assertEquals(file.resolveSibling("admin.token"), initial);
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(initial));
        String token = Files.readString(initial).strip();
        assertEquals(Role.ADMIN, store.authenticate(token).orElseThrow().role());
        assertTrue(store.bootstrap().isEmpty(), "only once");
        Files.delete(initial);
        assertTrue(store(file).bootstrap().isEmpty(), "not again while an admin token exists");
    }

    @Test
    void tokensMadeOfflineBeforeTheFirstStartDoNotPreventTheAdminToken() throws Exception {
        Path file = dir.resolve("etc/tokens");
        FileTokenStore offline = store(file);
        offline.create(Role.VIEWER, "grafana");
        assertTrue(new FileTokenStore(file, java.time.Clock.systemUTC(), false).bootstrapIfAllowed().isEmpty(),
                "off by configuration");
        Path initial = new FileTokenStore(file, java.time.Clock.systemUTC(), true).bootstrapIfAllowed().orElseThrow();
        String token = Files.readString(initial).strip();
        assertEquals(Role.ADMIN, store(file).authenticate(token).orElseThrow().role());
        assertEquals(2, store(file).list().size());
    }
}
