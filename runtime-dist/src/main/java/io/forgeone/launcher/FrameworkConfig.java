package io.forgeone.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The framework properties: {@code etc/config.properties}, where {@code ${forge.home}}, {@code ${forge.var}} and
 * {@code ${any.system.property}} are replaced, and where a system property of the same name ({@code -Dname=value}
 * in FORGE_OPTS) wins over the file.
 */
final class FrameworkConfig {
    private FrameworkConfig() {
    }

    static Map<String, Object> load(Home home) throws LaunchException {
        Path file = home.etc().resolve("config.properties");
        Properties properties = new Properties();
        // bundles find the installation (etc/trust, etc/policies) and the state folder (var/packages, the
        // engine's compiled-code cache) through these framework properties
        Map<String, Object> config = new HashMap<>();
        config.put(Home.HOME_PROPERTY, home.home().toString());
        config.put(Home.VAR_PROPERTY, home.var().toString());
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            // an installation without etc/config.properties runs on the launcher's defaults
            return config;
        } catch (IOException | IllegalArgumentException e) {
            throw new LaunchException("cannot read " + file + ": " + e.getMessage(), e);
        }
        for (String key : properties.stringPropertyNames()) {
            String value = System.getProperty(key, properties.getProperty(key));
            config.put(key, substitute(value, home));
        }
        return config;
    }

    /** Replaces {@code ${name}}; an unknown name is left as it is, so that the mistake shows in the log. */
    static String substitute(String value, Home home) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            int start = value.indexOf("${", i);
            int end = start < 0 ? -1 : value.indexOf('}', start + 2);
            if (start < 0 || end < 0) {
                out.append(value, i, value.length());
                break;
            }
            out.append(value, i, start);
            String name = value.substring(start + 2, end);
            String replacement;
            if (name.equals(Home.HOME_PROPERTY)) {
                replacement = home.home().toString();
            } else if (name.equals(Home.VAR_PROPERTY)) {
                replacement = home.var().toString();
            } else {
                replacement = System.getProperty(name);
            }
            out.append(replacement != null ? replacement : value.substring(start, end + 1));
            i = end + 1;
        }
        return out.toString();
    }
}
