package io.forgeone.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FastHelpTest {
    @TempDir
    Path system;

    private void jar(String name, String header, String entry, String text) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (header != null) {
            manifest.getMainAttributes().putValue(FastHelp.HEADER, header);
        }
        try (OutputStream file = Files.newOutputStream(system.resolve(name));
                JarOutputStream jar = new JarOutputStream(file, manifest)) {
            if (entry != null) {
                jar.putNextEntry(new JarEntry(entry));
                jar.write(text.getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
        }
    }

    private static String printed(Path system, boolean[] found) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        found[0] = FastHelp.print(system, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void onlyThePlainHelpRequestsAreAnsweredEarly() {
        assertTrue(FastHelp.applies(new String[] {"--help"}));
        assertTrue(FastHelp.applies(new String[] {"-h"}));
        assertTrue(FastHelp.applies(new String[] {"help"}));
        assertFalse(FastHelp.applies(new String[] {"help", "run"}));
        assertFalse(FastHelp.applies(new String[] {"run", "--help"}));
        assertFalse(FastHelp.applies(new String[0]));
    }

    @Test
    void printsThePageTheBundleNames() throws IOException {
        jar("io.forgeone.api-1.jar", null, null, null);
        jar("io.forgeone.cli-1.jar", "help/main.txt", "help/main.txt", "Usage: forge\n");
        boolean[] found = new boolean[1];
        assertEquals("Usage: forge\n", printed(system, found));
        assertTrue(found[0]);
    }

    @Test
    void noPageMeansTheNormalPath() throws IOException {
        jar("io.forgeone.cli-1.jar", "help/main.txt", null, null);
        boolean[] found = new boolean[1];
        assertEquals("", printed(system, found));
        assertFalse(found[0]);
        assertFalse(FastHelp.print(system.resolve("missing"), System.out));
    }
}
