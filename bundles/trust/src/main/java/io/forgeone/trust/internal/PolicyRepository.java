package io.forgeone.trust.internal;

import io.forgeone.api.policy.PolicyProblem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy files of one folder ({@code *.yaml}, {@code *.yml}, {@code *.json}). {@link #refresh()} rereads
 * the files that changed; a file that no longer parses keeps its last good policy in force and reports its
 * problems, so a bad edit never replaces a good policy.
 */
final class PolicyRepository {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyRepository.class);

    private record Loaded(FileTime modified, long size, Policy good, List<PolicyProblem> problems) {
    }

    private final Path dir;
    private final Map<Path, Loaded> files = new HashMap<>();
    private volatile List<Policy> policies = List.of();
    private volatile List<PolicyProblem> problems = List.of();

    PolicyRepository(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    List<Policy> policies() {
        return policies;
    }

    List<PolicyProblem> problems() {
        return problems;
    }

    /** Rereads what changed; returns true when the set of policies in force changed. */
    synchronized boolean refresh() {
        Map<Path, Loaded> seen = new HashMap<>();
        boolean changed = false;
        for (Path file : listFiles()) {
            Loaded before = files.get(file);
            FileTime modified;
            long size;
            try {
                modified = Files.getLastModifiedTime(file);
                size = Files.size(file);
            } catch (IOException e) {
                LOG.debug("Policy file {} vanished while reading the folder", file, e);
                continue;
            }
            if (before != null && before.modified().equals(modified) && before.size() == size) {
                seen.put(file, before);
                continue;
            }
            PolicyParser.Result result = read(file);
            Policy good = result.policy() != null ? result.policy() : before == null ? null : before.good();
            if (result.policy() == null) {
                LOG.warn("Policy file {} is not valid{}: {}", file,
                        before != null && before.good() != null ? "; its last good version stays in force" : "",
                        result.problems());
            } else {
                LOG.info("Loaded policy {} from {} ({})", good.name(), file, good.mode());
            }
            changed |= before == null || !java.util.Objects.equals(before.good(), good);
            seen.put(file, new Loaded(modified, size, good, result.problems()));
        }
        for (Path gone : files.keySet()) {
            if (!seen.containsKey(gone)) {
                LOG.info("Policy file {} was removed", gone);
                changed = true;
            }
        }
        files.clear();
        files.putAll(seen);
        publish();
        return changed;
    }

    private void publish() {
        Map<String, Policy> byName = new TreeMap<>();
        List<PolicyProblem> all = new ArrayList<>();
        new TreeMap<>(files).forEach((file, loaded) -> {
            all.addAll(loaded.problems());
            Policy p = loaded.good();
            if (p == null) {
                return;
            }
            Policy other = byName.get(p.name());
            if (other != null) {
                all.add(new PolicyProblem(file.toString(), 0, 0, "name", "policy name '" + p.name()
                        + "' is already used by " + other.file() + "; this file is ignored"));
                return;
            }
            byName.put(p.name(), p);
        });
        policies = List.copyOf(byName.values());
        problems = List.copyOf(all);
    }

    static PolicyParser.Result read(Path file) {
        try {
            return PolicyParser.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | java.io.UncheckedIOException e) {
            return new PolicyParser.Result(null, List.of(new PolicyProblem(file.toString(), 0, 0, "",
                    "cannot read: " + e.getMessage())));
        }
    }

    private List<Path> listFiles() {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.{yaml,yml,json}")) {
            for (Path p : stream) {
                if (Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list the policy folder {}: {}", dir, e.toString());
        }
        return out;
    }
}
