package io.forgeone.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs {@code promtool check metrics} (Debian package prometheus) on an exposition. Without promtool the check
 * fails, unless {@code FORGE_ALLOW_NO_PROMTOOL=1} says this machine may skip it (CI installs promtool and never
 * sets it).
 */
final class Promtool {
    private Promtool() {
    }

    static void check(String exposition) throws IOException, InterruptedException {
        String path = find();
        if (path == null) {
            if ("1".equals(System.getenv("FORGE_ALLOW_NO_PROMTOOL"))) {
                Assumptions.abort("promtool is not installed and FORGE_ALLOW_NO_PROMTOOL=1");
            }
            fail("promtool is not on the PATH: apt-get install -y prometheus (or set FORGE_ALLOW_NO_PROMTOOL=1 to skip)");
        }
        Process p = new ProcessBuilder(path, "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("promtool check metrics did not finish in 60 s");
        }
        assertEquals(0, p.exitValue(), () -> "promtool check metrics refused the exposition:\n" + said
                + "\n--- exposition ---\n" + exposition);
        // promtool exits 0 but names lint problems (e.g. a counter without _total) on its output
        assertEquals("", said.strip(), () -> "promtool check metrics found problems:\n" + said);
    }

    private static String find() {
        String pathVar = System.getenv("PATH");
        if (pathVar == null) {
            return null;
        }
        for (String dir : pathVar.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
