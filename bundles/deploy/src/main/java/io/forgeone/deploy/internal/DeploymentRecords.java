package io.forgeone.deploy.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployments, kept in a properties file (the bundle's data area) so that the deploy bundle, stopped and
 * started again while the node runs, finds the containers it started instead of starting them twice. One line per
 * file: {@code /path/app.forgepkg = <package id or -> <container id or -> <retired ids, comma separated, or ->}.
 * The node's framework cache (and so this file) is cleaned at every node start, as the containers are gone then.
 */
final class DeploymentRecords {
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentRecords.class);
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{1,64}");
    private static final String NONE = "-";

    private final Path file;
    private final Map<Path, Deployment> byFile = new TreeMap<>();

    /** Records kept in {@code file}, read from it if it exists; {@code null} keeps them in memory only. */
    DeploymentRecords(Path file) {
        this.file = file;
        if (file != null) {
            load();
        }
    }

    Optional<Deployment> get(Path deployed) {
        return Optional.ofNullable(byFile.get(deployed));
    }

    List<Deployment> all() {
        return new ArrayList<>(byFile.values());
    }

    void put(Deployment d) {
        byFile.put(d.file(), d);
        save();
    }

    void remove(Path deployed) {
        if (byFile.remove(deployed) != null) {
            save();
        }
    }

    private void load() {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException | IllegalArgumentException e) {
            // Losing the records costs at most a second start of a package that already runs; say so and go on.
            LOG.warn("Deploy records {} cannot be read ({}); starting without them", file, e.toString());
            return;
        }
        for (String key : p.stringPropertyNames()) {
            String[] fields = p.getProperty(key).trim().split("\\s+");
            if (fields.length != 3 || !Path.of(key).isAbsolute()) {
                LOG.warn("Deploy records {}: ignoring the bad line for {}", file, key);
                continue;
            }
            List<String> retired = fields[2].equals(NONE) ? List.of() : Arrays.asList(fields[2].split(","));
            if (!id(fields[0]) || !id(fields[1]) || !retired.stream().allMatch(HEX.asPredicate())) {
                LOG.warn("Deploy records {}: ignoring the bad line for {}", file, key);
                continue;
            }
            Path path = Path.of(key);
            byFile.put(path, new Deployment(path, value(fields[0]), value(fields[1]), retired));
        }
    }

    private static boolean id(String field) {
        return field.equals(NONE) || HEX.matcher(field).matches();
    }

    private static String value(String field) {
        return field.equals(NONE) ? null : field;
    }

    private void save() {
        if (file == null) {
            return;
        }
        Properties p = new Properties();
        for (Deployment d : byFile.values()) {
            p.setProperty(d.file().toString(), or(d.packageId()) + " " + or(d.containerId()) + " "
                    + (d.retired().isEmpty() ? NONE : String.join(",", d.retired())));
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "ForgeOne deploy folder: file = package id, container id, retired container ids");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the deploy records " + file + ": " + e.getMessage(), e);
        }
    }

    private static String or(String value) {
        return value == null ? NONE : value;
    }
}
