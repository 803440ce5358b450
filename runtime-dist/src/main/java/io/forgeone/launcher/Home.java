package io.forgeone.launcher;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where things are: the installation ({@code bin lib system etc deploy examples}) and the writable state
 * directory {@code var} ({@code var/log}, {@code var/cache}, {@code var/tmp}). {@code var} is inside the installation
 * unless that is read-only (a system-wide install), then {@code ~/.forgeone/var}, then the temporary directory.
 *
 * @param home the installation
 * @param var the writable state directory (it exists, with {@code log/} inside)
 */
record Home(Path home, Path var) {
    /** System property bin/forge sets to the installation; without it the launcher jar's location decides. */
    static final String HOME_PROPERTY = "forge.home";
    /** System property that moves the state directory elsewhere. */
    static final String VAR_PROPERTY = "forge.var";

    Home {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(var, "var");
    }

    static Home locate() throws LaunchException {
        Path home = installation();
        if (!Files.isDirectory(home.resolve("system"))) {
            throw new LaunchException(home + " is not a ForgeOne installation (it has no system/ directory);"
                    + " set -D" + HOME_PROPERTY + " or run bin/forge from the installation");
        }
        List<Path> candidates = new ArrayList<>();
        String configured = System.getProperty(VAR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        } else {
            candidates.add(home.resolve("var"));
            String userHome = System.getProperty("user.home");
            if (userHome != null && !userHome.isBlank() && !userHome.equals("?")) {
                candidates.add(Path.of(userHome, ".forgeone", "var"));
            }
            candidates.add(Path.of(System.getProperty("java.io.tmpdir"),
                    "forgeone-" + System.getProperty("user.name", "user"), "var"));
        }
        List<String> tried = new ArrayList<>();
        for (Path candidate : candidates) {
            Path var = candidate.toAbsolutePath().normalize();
            if (usable(var)) {
                return new Home(home, var);
            }
            tried.add(var.toString());
        }
        throw new LaunchException("no writable state directory: tried " + String.join(", ", tried));
    }

    private static Path installation() throws LaunchException {
        String configured = System.getProperty(HOME_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        CodeSource source = Main.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new LaunchException("cannot tell where ForgeOne is installed; set -D" + HOME_PROPERTY);
        }
        try {
            // lib/forge-launcher.jar -> the installation
            Path jar = Path.of(source.getLocation().toURI()).toAbsolutePath();
            Path lib = jar.getParent();
            Path home = lib == null ? null : lib.getParent();
            if (home == null) {
                throw new LaunchException("cannot tell where ForgeOne is installed from " + jar + "; set -D"
                        + HOME_PROPERTY);
            }
            return home.normalize();
        } catch (URISyntaxException e) {
            throw new LaunchException("cannot tell where ForgeOne is installed; set -D" + HOME_PROPERTY, e);
        }
    }

    private static boolean usable(Path var) {
        try {
            Files.createDirectories(var.resolve("log"));
            return Files.isWritable(var) && Files.isWritable(var.resolve("log"));
        } catch (IOException | SecurityException e) {
            // not writable here (read-only installation): the caller tries the next place
            return false;
        }
    }

    Path system() {
        return home.resolve("system");
    }

    Path etc() {
        return home.resolve("etc");
    }

    Path deploy() {
        return home.resolve("deploy");
    }

    Path logFile() {
        return var.resolve("log").resolve("forge.log");
    }
}
