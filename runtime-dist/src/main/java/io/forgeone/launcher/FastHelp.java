package io.forgeone.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * {@code forge --help} without starting the framework: the bundle that implements the commands names its main
 * help page in its {@code Forge-Help} manifest header, and the page is printed straight from that jar. Anything
 * unexpected (no such bundle, no page) falls back to the normal path, where the bundle prints the same page.
 */
final class FastHelp {
    static final String HEADER = "Forge-Help";
    private static final List<List<String>> HELP = List.of(List.of("--help"), List.of("-h"), List.of("help"));

    private FastHelp() {
    }

    static boolean applies(String[] args) {
        return HELP.contains(List.of(args));
    }

    /** Prints the page and returns true, or returns false when no bundle offers one. */
    static boolean print(Path system, PrintStream out) {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(system, "io.forgeone.*.jar")) {
            for (Path jar : jars) {
                try (JarFile file = new JarFile(jar.toFile(), false)) {
                    String page = file.getManifest() == null ? null
                            : file.getManifest().getMainAttributes().getValue(HEADER);
                    ZipEntry entry = page == null ? null : file.getEntry(page);
                    if (entry != null) {
                        try (InputStream in = file.getInputStream(entry)) {
                            out.write(in.readAllBytes());
                            out.flush();
                            return true;
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the framework path prints the same page, or says what is wrong
            return false;
        }
        return false;
    }
}
