package io.forgeone.deploy.internal;

import io.forgeone.api.container.ContainerException;
import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerLimits;
import io.forgeone.api.container.ContainerNotFoundException;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.pkg.PackageManifest;
import io.forgeone.api.pkg.PackageStore;
import io.forgeone.api.pkg.VerifiedPackage;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the deploy folder does with package files. Every operation is idempotent and takes the state from the
 * records and the container runtime, so that FileInstall's calls, a restart of this bundle and a restart of the
 * kernel (which loses every container) all end with one container per deployed file that asks to run.
 *
 * <p>A file that cannot be used (refused by verification, unreadable, its module does not compile) changes nothing:
 * one log line names the file and the reason, and whatever ran before keeps running.
 */
final class Deployments {
    static final String SUFFIX = ".forgepkg";
    /** Deployed containers run until stopped: no wall-clock limit unless the package or the policy sets one. */
    static final ContainerLimits LIMITS = ContainerLimits.DEFAULT.withWallTimeout(Duration.ZERO);
    private static final Logger LOG = LoggerFactory.getLogger(Deployments.class);
    private static final int MAX_NAME = 128;

    /** What one call did; for tests and the log. */
    enum Outcome {
        /** A container was started for the file. */
        STARTED,
        /** The package was verified and stored; its manifest does not ask to run on deploy. */
        STORED,
        /** Nothing to do: the file holds what is already deployed. */
        UNCHANGED,
        /** The package was refused by verification. */
        REFUSED,
        /** The package was accepted but could not run (or the file could not be read). */
        FAILED,
        /** The file was removed and its container stopped. */
        REMOVED
    }

    private final ContainerRuntime runtime;
    private final PackageStore store;
    private final Path storeDirectory;
    private final DeploymentRecords records;
    private final Duration settle;
    private boolean closed;

    /**
     * @param storeDirectory the package store's folder, where a verified package is kept as {@code <id>.forgepkg};
     *        containers run that copy, never the file in the deploy folder, which may change at any time
     * @param settle in a rollover, how long the new container must keep running (or have exited with 0) before
     *        the old one is stopped: a new version that traps or fails at once leaves the old one running
     */
    Deployments(ContainerRuntime runtime, PackageStore store, Path storeDirectory, DeploymentRecords records,
            Duration settle) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.store = Objects.requireNonNull(store, "store");
        this.storeDirectory = storeDirectory.toAbsolutePath().normalize();
        this.records = Objects.requireNonNull(records, "records");
        this.settle = Objects.requireNonNull(settle, "settle");
    }

    /**
     * Ends the work: waits for the operation under way, then ignores every later call (a file that changes
     * meanwhile is caught up with by {@link #reconcile} when the installer is back).
     */
    synchronized void close() {
        closed = true;
    }

    static boolean isPackageFile(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().endsWith(SUFFIX) && !name.toString().startsWith(".");
    }

    /**
     * Deploys a new or changed file: verifies and stores the package and, when its manifest's {@code run.onDeploy}
     * is true, runs it, replacing the container of what the file held before.
     *
     * @param rerun whether a package that is already deployed and whose container has stopped runs again (a file
     *        touched or rewritten: yes; a file seen again after a restart of this bundle: no)
     */
    synchronized Outcome deploy(Path file, boolean rerun) {
        if (closed) {
            return Outcome.UNCHANGED;
        }
        Path key = file.toAbsolutePath().normalize();
        VerifiedPackage pkg;
        try {
            pkg = store.open(key);
        } catch (PackageException e) {
            LOG.warn("Deploy: {} refused ({}): {}; left in place, replace it to try again", key,
                    e.reason().name().toLowerCase(Locale.ROOT).replace('_', ' '), detail(e));
            return Outcome.REFUSED;
        }
        PackageManifest m = pkg.manifest();
        String what = m.name() + " " + m.version();
        Optional<Deployment> current = records.get(key).filter(Deployment::present);
        Optional<ContainerInfo> old = current.map(Deployment::containerId).flatMap(this::find);
        boolean onDeploy = m.run().map(PackageManifest.Run::onDeploy).orElse(false);

        if (current.isPresent() && pkg.id().equals(current.get().packageId())) {
            if (!onDeploy || old.isPresent() && (active(old.get()) || !rerun)) {
                return Outcome.UNCHANGED;
            }
        }
        List<String> retired = new ArrayList<>(records.get(key).map(Deployment::retired).orElse(List.of()));
        if (!onDeploy) {
            old.ifPresent(c -> {
                stop(c);
                retired.add(c.id());
            });
            records.put(new Deployment(key, pkg.id(), null, prune(retired, 1)));
            LOG.info("Deploy: {} holds {} ({}), verified and stored; not run, as its manifest does not ask to run on"
                    + " deploy (run.onDeploy){}", key, what, pkg.id(), old.isPresent() ? "; stopped " + old.get().name() : "");
            return Outcome.STORED;
        }

        // Free the names: stopped containers of this file go (the one running, if any, stays until replaced).
        prune(retired, 0);
        retired.clear();
        if (old.isPresent() && !active(old.get())) {
            delete(old.get().id());
            old = Optional.empty();
        }
        PackageManifest.Run run = m.run().orElseThrow();
        String engine = run.engineName().filter(e -> !e.equals("auto")).orElse(null);
        ContainerSpec spec = new ContainerSpec(containerName(key, m, pkg.id()), storeDirectory.resolve(pkg.id() + SUFFIX),
                List.of(), Map.of(), List.of(), engine, LIMITS);
        ContainerInfo created;
        try {
            created = runtime.create(spec, ContainerIO.DETACHED);
        } catch (ContainerException e) {
            LOG.error("Deploy: {} holds {} ({}), verified, but it cannot run: {}{}", key, what, pkg.id(), e.getMessage(),
                    old.isPresent() ? "; " + old.get().name() + " keeps running" : "");
            return Outcome.FAILED;
        }
        if (old.isPresent() && run.rollover()) {
            // rollover: the new one runs before the old one stops, so there is no moment when neither runs
            if (!start(key, created, old)) {
                return Outcome.FAILED;
            }
            if (!settled(key, created, old.get())) {
                // kept stopped for its logs, and deleted when the file changes again
                records.put(new Deployment(key, current.orElseThrow().packageId(), old.get().id(), List.of(created.id())));
                return Outcome.FAILED;
            }
            stop(old.get());
        } else {
            old.ifPresent(this::stop);
            if (!start(key, created, Optional.empty())) {
                records.put(new Deployment(key, pkg.id(), null, old.map(c -> List.of(c.id(), created.id()))
                        .orElse(List.of(created.id()))));
                return Outcome.FAILED;
            }
        }
        records.put(new Deployment(key, pkg.id(), created.id(), old.map(c -> List.of(c.id())).orElse(List.of())));
        LOG.info("Deploy: {} runs {} ({}) as container {}{}", key, what, pkg.id(), created.name(),
                old.map(c -> (run.rollover() ? ", then stopped " : " after stopping ") + c.name()).orElse(""));
        return Outcome.STARTED;
    }

    /** Starts a created container; on failure deletes it and says what keeps running. */
    private boolean start(Path key, ContainerInfo created, Optional<ContainerInfo> keeps) {
        try {
            runtime.start(created.id());
            return true;
        } catch (ContainerException e) {
            LOG.error("Deploy: {}: container {} cannot start: {}{}", key, created.name(), e.getMessage(),
                    keeps.map(c -> "; " + c.name() + " keeps running").orElse(""));
            if (keeps.isPresent()) {
                delete(created.id());
            } else {
                stop(created);
            }
            return false;
        }
    }

    /**
     * Whether the new container of a rollover still runs after the settle time, or exited with 0; if it stopped
     * otherwise (trapped, failed, exit code not 0), it is logged and the old one keeps running.
     */
    private boolean settled(Path key, ContainerInfo created, ContainerInfo old) {
        ContainerInfo now;
        try {
            now = settle.isZero() ? runtime.state(created.id()) : runtime.await(created.id(), settle);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            now = runtime.state(created.id());
        } catch (ContainerNotFoundException e) {
            LOG.error("Deploy: {}: container {} went away as it started; {} keeps running", key, created.name(),
                    old.name());
            return false;
        }
        if (now.state() != ContainerState.STOPPED || Integer.valueOf(0).equals(now.exitCode())) {
            return true;
        }
        LOG.error("Deploy: {}: container {} stopped as it started ({} exit {}{}); {} keeps running", key, now.name(),
                now.stopReason(), now.exitCode(), now.message().isEmpty() ? "" : ": " + now.message(), old.name());
        return false;
    }

    /** The file was removed: its container stops; the stored package and the stopped container stay. */
    synchronized Outcome undeploy(Path file) {
        if (closed) {
            return Outcome.UNCHANGED;
        }
        Path key = file.toAbsolutePath().normalize();
        Optional<Deployment> current = records.get(key).filter(Deployment::present);
        if (current.isEmpty()) {
            return Outcome.UNCHANGED;
        }
        List<String> retired = new ArrayList<>(current.get().retired());
        Optional<ContainerInfo> c = Optional.ofNullable(current.get().containerId()).flatMap(this::find);
        c.ifPresent(info -> {
            stop(info);
            retired.add(info.id());
        });
        records.put(new Deployment(key, null, null, prune(retired, 1)));
        LOG.info("Deploy: {} removed{}; its package stays in the store", key,
                c.map(info -> ", stopped container " + info.name()).orElse(""));
        return Outcome.REMOVED;
    }

    /**
     * Brings the containers in line with the files, after this bundle (or the kernel) started: a file removed
     * meanwhile stops its container; a file added or changed meanwhile is deployed; a deployed file whose container
     * is gone (the kernel restarted) runs again; a container still there is kept as it is.
     */
    synchronized void reconcile(Collection<Path> folders) {
        for (Deployment d : records.all()) {
            if (d.present() && !Files.isRegularFile(d.file())) {
                undeploy(d.file());
            }
        }
        TreeSet<Path> files = new TreeSet<>();
        for (Path folder : folders) {
            files.addAll(packageFiles(folder));
        }
        records.all().stream().filter(Deployment::present).map(Deployment::file).forEach(files::add);
        for (Path f : files) {
            try {
                deploy(f, false);
            } catch (RuntimeException e) {
                LOG.error("Deploy: {} could not be deployed: {}", f, e.toString(), e);
            }
        }
        for (Deployment d : records.all()) {
            if (!d.present() && d.retired().stream().allMatch(id -> find(id).isEmpty())) {
                records.remove(d.file());
            }
        }
    }

    private static List<Path> packageFiles(Path folder) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path p : entries) {
                if (isPackageFile(p) && Files.isRegularFile(p)) {
                    out.add(p.toAbsolutePath().normalize());
                }
            }
        } catch (IOException e) {
            LOG.warn("Deploy: cannot list {}: {}", folder, e.toString());
        }
        return out;
    }

    /** Deletes all but the last {@code keep} retired containers (stopping is not its job: they are stopped). */
    private List<String> prune(List<String> retired, int keep) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < retired.size(); i++) {
            String id = retired.get(i);
            Optional<ContainerInfo> info = find(id);
            if (info.isEmpty()) {
                continue;
            }
            if (i >= retired.size() - keep || active(info.get())) {
                kept.add(id);
            } else {
                delete(id);
            }
        }
        return kept;
    }

    private Optional<ContainerInfo> find(String id) {
        try {
            return Optional.of(runtime.state(id));
        } catch (ContainerNotFoundException e) {
            return Optional.empty();
        }
    }

    private void stop(ContainerInfo c) {
        if (!active(c)) {
            return;
        }
        try {
            runtime.kill(c.id());
        } catch (ContainerException e) {
            // it stopped or went away on its own between the look and the kill: what was wanted
            LOG.debug("Deploy: stopping container {}: {}", c.name(), e.getMessage());
        }
    }

    private void delete(String id) {
        try {
            runtime.delete(id);
        } catch (ContainerException e) {
            LOG.debug("Deploy: deleting container {}: {}", id, e.getMessage());
        }
    }

    private static boolean active(ContainerInfo c) {
        return c.state() != ContainerState.STOPPED && c.state() != ContainerState.DELETED;
    }

    private static String detail(PackageException e) {
        return e.report().flatMap(r -> r.firstFailure()).map(f -> f.name() + ": " + f.detail())
                .filter(d -> !e.getMessage().contains(d)).map(d -> e.getMessage() + " (" + d + ")")
                .orElse(e.getMessage());
    }

    /**
     * {@code <file>[.<package>]-<version>-<id>}: the file's name without {@code .forgepkg}, the package's name when
     * it differs, the version and the first 8 digits of the package id, each reduced to the characters a container
     * name allows. Distinct for distinct packages, so the new and the old version can run side by side.
     */
    static String containerName(Path file, PackageManifest m, String packageId) {
        String fileName = file.getFileName().toString();
        String stem = clean(fileName.substring(0, fileName.length() - SUFFIX.length()));
        String label = stem.equals(m.name()) ? stem : stem + "." + m.name();
        String tail = "-" + clean(m.version()) + "-" + packageId.substring(0, 8);
        if (tail.length() > MAX_NAME / 2) {
            tail = "-" + packageId.substring(0, 8);
        }
        if (label.length() + tail.length() > MAX_NAME) {
            label = label.substring(0, MAX_NAME - tail.length());
        }
        String name = label + tail;
        return Character.isLetterOrDigit(name.charAt(0)) ? name : "d" + name.substring(1);
    }

    private static String clean(String s) {
        String c = s.replaceAll("[^A-Za-z0-9_.-]", "_");
        return c.isEmpty() ? "package" : c;
    }
}
