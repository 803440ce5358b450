package io.forgeone.wasi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.forgeone.api.wasi.Preopen;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Path calls describe the absolute guest path they lead to, which is what policies match. */
class GuestPathDescriptionTest {
    @TempDir
    Path dir;

    private static Map<String, Object> describe(Guest g, String function, int fd, String path) {
        long p = g.string(path);
        int len = path.getBytes(StandardCharsets.UTF_8).length;
        long[] args = function.equals("path_open") ? new long[] {fd, 0, p, len, 0, 2, 0, 0, g.alloc(4)}
                : new long[] {fd, p, len};
        return g.function(function).describe(g.memory, args);
    }

    @Test
    void pathsAreAbsoluteGuestPathsResolvedInsideTheSandbox() throws Exception {
        Files.createDirectories(dir.resolve("public"));
        Files.createDirectories(dir.resolve("private"));
        Files.writeString(dir.resolve("private/secret.txt"), "s");
        Files.createSymbolicLink(dir.resolve("public/link"), Path.of("../private"));
        try (Guest g = Guest.withDir(dir)) {
            assertEquals("/sandbox/public/a.txt", describe(g, "path_open", 3, "public/./x/../a.txt").get("guestPath"));
            assertEquals("/sandbox/private/secret.txt", describe(g, "path_open", 3, "public/link/secret.txt")
                    .get("guestPath"), "judged by where the symlink leads");
            assertEquals("/sandbox/new", describe(g, "path_create_directory", 3, "new").get("guestPath"));
            assertEquals("/sandbox/missing/deeper/x", describe(g, "path_unlink_file", 3, "missing/deeper/x")
                    .get("guestPath"), "unresolvable: lexical");
            assertFalse(describe(g, "path_open", 42, "x").containsKey("guestPath"), "no such descriptor");
        }
    }

    @Test
    void preopenNamesBecomeAbsolute() throws Exception {
        try (Guest dot = new Guest(List.of("p"), Map.of(), List.of(new Preopen(dir, ".")), null);
                Guest rel = new Guest(List.of("p"), Map.of(), List.of(new Preopen(dir, "data")), null)) {
            assertEquals("/f.txt", describe(dot, "path_open", 3, "f.txt").get("guestPath"));
            assertEquals("/data/f.txt", describe(rel, "path_open", 3, "f.txt").get("guestPath"));
        }
    }
}
