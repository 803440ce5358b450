package io.forgeone.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HomeTest {
    @TempDir
    Path tmp;

    @AfterEach
    void clear() {
        System.clearProperty(Home.HOME_PROPERTY);
        System.clearProperty(Home.VAR_PROPERTY);
    }

    @Test
    void stateLivesInTheInstallationWhenWritable() throws IOException, LaunchException {
        Path home = Files.createDirectories(tmp.resolve("forgeone/system"));
        System.setProperty(Home.HOME_PROPERTY, home.getParent().toString());
        Home located = Home.locate();
        assertEquals(home.getParent(), located.home());
        assertEquals(home.getParent().resolve("var"), located.var());
        assertTrue(Files.isDirectory(located.var().resolve("log")));
        assertEquals(located.var().resolve("log/forge.log"), located.logFile());
    }

    @Test
    void forgeVarMovesTheState() throws IOException, LaunchException {
        Path home = Files.createDirectories(tmp.resolve("forgeone/system")).getParent();
        System.setProperty(Home.HOME_PROPERTY, home.toString());
        System.setProperty(Home.VAR_PROPERTY, tmp.resolve("elsewhere").toString());
        assertEquals(tmp.resolve("elsewhere"), Home.locate().var());
    }

    @Test
    void aDirectoryWithoutSystemIsNotAnInstallation() {
        System.setProperty(Home.HOME_PROPERTY, tmp.toString());
        LaunchException e = assertThrows(LaunchException.class, Home::locate);
        assertTrue(e.getMessage().contains("is not a ForgeOne installation"), e.getMessage());
    }
}
