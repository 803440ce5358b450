package io.forgeone.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameworkConfigTest {
    @TempDir
    Path tmp;

    private Home home() throws IOException {
        Path home = Files.createDirectories(tmp.resolve("forgeone"));
        Files.createDirectories(home.resolve("etc"));
        return new Home(home, home.resolve("var"));
    }

    @Test
    void substitutesHomeVarAndSystemProperties() throws IOException {
        Home home = home();
        assertEquals(home.home() + "/deploy", FrameworkConfig.substitute("${forge.home}/deploy", home));
        assertEquals(home.var() + "/cache/felix", FrameworkConfig.substitute("${forge.var}/cache/felix", home));
        assertEquals("a" + System.getProperty("java.version") + "b",
                FrameworkConfig.substitute("a${java.version}b", home));
    }

    @Test
    void leavesUnknownAndUnterminatedAlone() throws IOException {
        Home home = home();
        assertEquals("${no.such.property.anywhere}", FrameworkConfig.substitute("${no.such.property.anywhere}", home));
        assertEquals("x${forge.home", FrameworkConfig.substitute("x${forge.home", home));
        assertEquals("plain", FrameworkConfig.substitute("plain", home));
    }

    @Test
    void loadsTheFileAndSystemPropertiesWin() throws IOException, LaunchException {
        Home home = home();
        Files.writeString(home.etc().resolve("config.properties"),
                "# comment\nfelix.log.level=2\nforge.test.key=${forge.home}/x\n");
        System.setProperty("forge.test.key", "from-system");
        try {
            Map<String, Object> config = FrameworkConfig.load(home);
            assertEquals("2", config.get("felix.log.level"));
            assertEquals("from-system", config.get("forge.test.key"));
        } finally {
            System.clearProperty("forge.test.key");
        }
    }

    @Test
    void missingFileMeansOnlyTheLocations() throws IOException, LaunchException {
        Home home = home();
        assertEquals(Map.of("forge.home", home.home().toString(), "forge.var", home.var().toString()),
                FrameworkConfig.load(home));
    }

    @Test
    void bundlesSeeTheInstallationAndStateFolders() throws IOException, LaunchException {
        Home home = home();
        Files.writeString(home.etc().resolve("config.properties"), "felix.log.level=2\n");
        Map<String, Object> config = FrameworkConfig.load(home);
        assertEquals(home.home().toString(), config.get("forge.home"));
        assertEquals(home.var().toString(), config.get("forge.var"));
    }
}
