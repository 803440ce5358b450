package io.forgeone.deploy.internal;

import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerLogs;
import io.forgeone.api.container.ContainerNotFoundException;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerSpecException;
import io.forgeone.api.container.ContainerStateException;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.container.StopReason;
import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.pkg.PackageManifest;
import io.forgeone.api.pkg.PackageStore;
import io.forgeone.api.pkg.VerificationReport;
import io.forgeone.api.pkg.VerifiedPackage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Test doubles for the deploy folder's unit tests. A "package file" is a text file: {@code NAME VERSION [run]
 * [rollover] [engine=E]} describes the manifest the fake store returns; {@code refuse:REASON} makes the store refuse
 * it. The real store, verifier and kernel are exercised by DeployIT in a real framework.
 */
final class Fakes {
    private Fakes() {
    }

    static Path write(Path file, String content) {
        try {
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final class FakeStore implements PackageStore {
        final List<String> opened = new ArrayList<>();
        int removals;

        @Override
        public VerifiedPackage open(Path pkg) {
            String text;
            try {
                text = Files.readString(pkg).trim();
            } catch (IOException e) {
                throw new PackageException(PackageException.Reason.IO, pkg + ": cannot read: " + e, e);
            }
            if (text.startsWith("refuse:")) {
                throw new PackageException(PackageException.Reason.valueOf(text.substring(7)), pkg + ": refused");
            }
            String[] words = text.split(" ");
            boolean run = List.of(words).contains("run");
            boolean rollover = List.of(words).contains("rollover");
            String engine = List.of(words).stream().filter(w -> w.startsWith("engine=")).map(w -> w.substring(7))
                    .findFirst().orElse(null);
            PackageManifest m = new PackageManifest(words[0], words[1], "app.wasm", List.of(),
                    PackageManifest.Limits.DEFAULT, new PackageManifest.Publisher("acme", List.of("a".repeat(64))),
                    Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"),
                    List.of(new PackageManifest.Entry("app.wasm", "b".repeat(64), 8)),
                    run || rollover || engine != null ? Optional.of(new PackageManifest.Run(engine, run, rollover, null))
                            : Optional.empty());
            String id = sha256(text);
            opened.add(id);
            return new VerifiedPackage() {
                @Override
                public String id() {
                    return id;
                }

                @Override
                public PackageManifest manifest() {
                    return m;
                }

                @Override
                public VerificationReport report() {
                    throw new UnsupportedOperationException("not used by the deploy folder");
                }

                @Override
                public byte[] read(String path) {
                    throw new UnsupportedOperationException("not used by the deploy folder");
                }
            };
        }

        @Override
        public VerifiedPackage open(byte[] pkg) {
            throw new UnsupportedOperationException("not used by the deploy folder");
        }

        @Override
        public List<String> list() {
            return List.of();
        }

        @Override
        public boolean remove(String id) {
            removals++;
            return false;
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A runtime that keeps states only, and the order of operations as "op name" lines. */
    static final class FakeRuntime implements ContainerRuntime {
        final Map<String, ContainerInfo> containers = new LinkedHashMap<>();
        final Map<String, ContainerSpec> specs = new LinkedHashMap<>();
        final List<String> events = new ArrayList<>();
        /** Names whose create fails (a module that does not compile). */
        final List<String> failCreate = new ArrayList<>();
        /** Names whose start fails (the node runs as many containers as it may). */
        final List<String> failStart = new ArrayList<>();
        /** Names whose guest traps as soon as it starts. */
        final List<String> crashOnStart = new ArrayList<>();
        private int next;

        @Override
        public ContainerInfo create(ContainerSpec spec, ContainerIO io) {
            String label = spec.name().substring(0, spec.name().indexOf('-'));
            if (failCreate.contains(label)) {
                throw new ContainerSpecException(spec.module() + ": module does not export _start");
            }
            for (ContainerInfo c : containers.values()) {
                if (c.name().equals(spec.name())) {
                    throw new ContainerSpecException("container name '" + spec.name() + "' is already used");
                }
            }
            String id = String.format("%016x", ++next);
            ContainerInfo info = info(id, spec.name(), ContainerState.CREATED);
            containers.put(id, info);
            specs.put(id, spec);
            events.add("create " + spec.name());
            return info;
        }

        @Override
        public ContainerInfo start(String id) {
            ContainerInfo c = find(id);
            if (c.state() != ContainerState.CREATED) {
                throw new ContainerStateException(c.name() + " is not created");
            }
            if (failStart.contains(c.name().substring(0, c.name().indexOf('-')))) {
                throw new ContainerStateException("node is running 64 containers, the most it runs at once");
            }
            events.add("start " + c.name());
            if (crashOnStart.contains(c.name().substring(0, c.name().indexOf('-')))) {
                put(new ContainerInfo(c.id(), c.name(), ContainerState.STOPPED, "m", "s", List.of(), "fake", "COMPILED",
                        "", Deployments.LIMITS, c.createdAt(), Instant.now(), Instant.now(), 134, StopReason.TRAPPED,
                        "unreachable", 0, 0));
                return c.withState(ContainerState.RUNNING);
            }
            return put(c.withState(ContainerState.RUNNING));
        }

        @Override
        public ContainerInfo kill(String id) {
            ContainerInfo c = find(id);
            if (c.state() == ContainerState.STOPPED) {
                throw new ContainerStateException(c.name() + " is stopped");
            }
            events.add("kill " + c.name());
            return put(c.withState(ContainerState.STOPPED));
        }

        /** The guest ended by itself. */
        void exit(String id) {
            put(find(id).withState(ContainerState.STOPPED));
        }

        @Override
        public ContainerInfo delete(String id) {
            ContainerInfo c = find(id);
            if (c.state() != ContainerState.STOPPED && c.state() != ContainerState.CREATED) {
                throw new ContainerStateException(c.name() + " is " + c.state());
            }
            events.add("delete " + c.name());
            containers.remove(c.id());
            return c.withState(ContainerState.DELETED);
        }

        @Override
        public ContainerInfo state(String id) {
            return find(id);
        }

        @Override
        public List<ContainerInfo> list() {
            return new ArrayList<>(containers.values());
        }

        @Override
        public ContainerLogs logs(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ContainerInfo await(String id, Duration timeout) {
            return find(id);
        }

        List<ContainerInfo> running() {
            return containers.values().stream().filter(c -> c.state() == ContainerState.RUNNING).toList();
        }

        private ContainerInfo find(String id) {
            ContainerInfo c = containers.get(id);
            if (c == null) {
                throw new ContainerNotFoundException("no container with id or name '" + id + "'");
            }
            return c;
        }

        private ContainerInfo put(ContainerInfo c) {
            containers.put(c.id(), c);
            return c;
        }

        private static ContainerInfo info(String id, String name, ContainerState state) {
            return new ContainerInfo(id, name, state, "m", "s", List.of(), "fake", "COMPILED", "",
                    Deployments.LIMITS, Instant.now(), null, null, null, state == ContainerState.STOPPED
                    ? StopReason.KILLED : null, "", 0, 0);
        }
    }
}
