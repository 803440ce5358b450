package io.forgeone.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Starts the OSGi framework with the bundles in {@code system/} and runs one of the two modes: a node with the
 * Gogo shell on the terminal, or one command handed to the {@code forge.command=main} service.
 */
final class Launcher {
    /** The command service: a {@code java.*} type, so the launcher and the bundle see the same class. */
    static final String COMMAND_FILTER = "(&(" + Constants.OBJECTCLASS + "=" + ToIntFunction.class.getName()
            + ")(forge.command=main))";
    /** Bundles a command does not need: the interactive shell, the deploy/ watcher and its package installer. */
    static final Set<String> NODE_ONLY = Set.of("org.apache.felix.gogo.shell", "org.apache.felix.fileinstall",
            "io.forgeone.deploy");
    /**
     * The control plane and the certificate builder it needs: left out of commands (they would only cost start-up
     * time), except the commands that manage the node's tokens and certificates through its services.
     */
    static final Set<String> CONTROL_PLANE = Set.of("io.forgeone.rest", "bcpkix", "bcutil");
    static final Set<String> CONTROL_PLANE_COMMANDS = Set.of("token", "cert");
    /** The shell: left out of a headless node. */
    static final String SHELL = "org.apache.felix.gogo.shell";
    /** The REST server's endpoint service: a {@code java.net.URI} with {@code forge.endpoint=rest}. */
    static final String ENDPOINT_FILTER = "(&(" + Constants.OBJECTCLASS + "=java.net.URI)(forge.endpoint=rest))";
    static final String ADMIN_TOKEN_PROPERTY = "forge.admin.token.file";
    private static final long ENDPOINT_WAIT_MS = 30_000;
    private static final long COMMAND_WAIT_MS = 20_000;
    /** When a bundle already failed to start, the command is unlikely to come; do not keep the person waiting. */
    private static final long COMMAND_WAIT_AFTER_FAILURE_MS = 3_000;
    private static final long STOP_WAIT_MS = 10_000;
    private static final String NODE_LOCK = "node.lock";
    /** The bundle that provides the command service; when it cannot start there is nothing to wait for. */
    private static final String COMMAND_BUNDLE = "io.forgeone.cli";
    private static final String FELIX_LOGGER = "felix.log.logger";

    private final Home home;
    private final LogFile log;
    private final PrintStream terminal;
    private volatile Framework framework;
    private volatile boolean stopRequested;
    /** -Dforge.timing=true logs how long each start-up step took (for measuring start-up). */
    private final boolean timing = Boolean.getBoolean("forge.timing");
    private long lastMark = System.nanoTime();

    /**
     * @param terminal the process's standard error as it was before the launcher pointed System.err at the log
     */
    Launcher(Home home, LogFile log, PrintStream terminal) {
        this.home = home;
        this.log = log;
        this.terminal = terminal;
    }

    /** No arguments: a node, until the framework stops ({@code stop 0} in the shell, end of input, a signal). */
    int node() throws LaunchException, InterruptedException {
        return node(false);
    }

    /**
     * {@code forge node}: a node without the shell, serving its control plane, until SIGTERM or SIGINT, on which
     * the framework stops (the kernel stops every container) and the process exits 0.
     */
    int headlessNode() throws LaunchException, InterruptedException {
        return node(true);
    }

    private int node(boolean headless) throws LaunchException, InterruptedException {
        FileChannel lock = lockNode();
        Map<String, Object> config = FrameworkConfig.load(home);
        config.putIfAbsent(Constants.FRAMEWORK_STORAGE, home.var().resolve("cache").resolve("felix").toString());
        config.putIfAbsent(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.putIfAbsent("felix.fileinstall.dir", home.etc().toString());
        if (System.getProperty("gosh.home") == null) {
            // the shell reads etc/gosh_profile (prompt, message of the day) from here, not from the working directory
            System.setProperty("gosh.home", home.home().toString());
        }
        log.info("Starting " + (headless ? "headless " : "") + "node in " + home.home() + " (state in " + home.var()
                + ")");
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "forge-shutdown"));
        if (headless) {
            // the JVM's own handling of these signals exits 143/130 while the hook runs; a node asked to stop
            // stops its framework and exits 0
            Signals.onTermination(signal -> {
                log.info("Received SIG" + signal + "; stopping the node");
                stopRequested = true;
                Thread stopper = new Thread(this::stop, "forge-stop-" + signal);
                stopper.start();
            }, log);
        }
        Started started = start(config, bsn -> !headless || !bsn.equals(SHELL));
        if (!started.failed().isEmpty()) {
            terminal.println("forge: warning: bundles that did not start: " + String.join(", ", started.failed())
                    + " (see " + log.path() + ")");
        }
        if (stopRequested) {
            stop(); // the signal came while the framework was starting
        } else if (headless) {
            announceEndpoint();
        }
        FrameworkEvent event = framework.waitForStop(0);
        log.info("Node stopped (" + eventName(event) + ")");
        try {
            lock.close();
        } catch (IOException e) {
            log.warn("Cannot release " + home.var().resolve(NODE_LOCK), e); // the process ends anyway
        }
        return event.getType() == FrameworkEvent.ERROR ? 1 : 0;
    }

    /**
     * Tells the operator, on the terminal, where the control plane listens and, on a first start, where the admin
     * token was written; or that there is no control plane.
     */
    private void announceEndpoint() throws InterruptedException {
        ServiceTracker<Object, Object> tracker;
        try {
            tracker = new ServiceTracker<>(framework.getBundleContext(), FrameworkUtil.createFilter(ENDPOINT_FILTER),
                    null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("bad filter " + ENDPOINT_FILTER, e);
        } catch (IllegalStateException e) {
            return; // stopped already (a signal during start-up)
        }
        tracker.open();
        try {
            tracker.waitForService(ENDPOINT_WAIT_MS);
            // the endpoint registered now, and its properties from the same registration: a server restarted by a
            // configuration change since the wait ended is announced as it is, not as it was
            org.osgi.framework.ServiceReference<Object> ref = tracker.getServiceReference();
            Object endpoint = ref == null ? null : tracker.getService(ref);
            if (endpoint == null) {
                if (framework.getState() == Bundle.ACTIVE) {
                    terminal.println("forge: warning: the node serves no REST API (no etc/io.forgeone.rest.cfg, or "
                            + "the server did not start; see " + log.path() + ")");
                }
                return;
            }
            terminal.println("forge: node running (pid " + log.pid() + "), API at " + endpoint
                    + "; stop it with SIGTERM or Ctrl-C");
            Object adminToken = ref.getProperty(ADMIN_TOKEN_PROPERTY);
            if (adminToken != null) {
                terminal.println("forge: first start: created an admin token in " + adminToken
                        + " (readable only by you); read it, keep it safe, delete the file");
            }
        } finally {
            tracker.close();
        }
    }

    /**
     * One node per state directory: a second one would clean the first one's framework cache under it. The
     * lock is the operating system's, so it goes away with the process however that ends.
     */
    private FileChannel lockNode() throws LaunchException {
        Path file = home.var().resolve(NODE_LOCK);
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            if (channel.tryLock() == null) {
                String owner = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
                channel.close();
                throw new LaunchException("another node is running on " + home.var()
                        + (owner.isEmpty() ? "" : " (pid " + owner + ")")
                        + "; stop it first, or give this one its own state directory with -Dforge.var=DIR");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(log.pid().getBytes(StandardCharsets.UTF_8)));
            return channel;
        } catch (IOException e) {
            throw new LaunchException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** Arguments: one command, in a framework of its own that lives as long as this process. */
    int command(String[] args) throws LaunchException, InterruptedException {
        Map<String, Object> config = FrameworkConfig.load(home);
        Path storage = newStorage();
        // every process its own cache, so that two commands at once never share (or lock) one
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, "none");
        config.put("felix.cache.locking", "false");
        Thread hook = new Thread(() -> {
            stop();
            deleteTree(storage);
        }, "forge-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            boolean controlPlane = args.length > 0 && CONTROL_PLANE_COMMANDS.contains(args[0]);
            Started started = start(config, bsn -> !NODE_ONLY.contains(bsn)
                    && (controlPlane || !CONTROL_PLANE.contains(bsn)));
            ToIntFunction<String[]> command = awaitCommand(started);
            mark("command service");
            int code = command.applyAsInt(args);
            mark("command");
            return code;
        } finally {
            stop();
            mark("framework stop");
            deleteTree(storage);
            sweepStaleStorage();
            mark("cleanup");
        }
    }

    private record Started(List<String> failed) {
    }

    private Started start(Map<String, Object> config, Predicate<String> wanted) throws LaunchException {
        config.put(FELIX_LOGGER, new FileLogger(log));
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, Launcher.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new LaunchException("no OSGi framework on the class path (lib/ is incomplete)"));
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, String> frameworkConfig = (Map) config; // Felix takes objects too: the logger above
        Framework fw = factory.newFramework(frameworkConfig);
        try {
            fw.init();
        } catch (BundleException e) {
            throw new LaunchException("cannot start the OSGi framework: " + e.getMessage()
                    + " (is another node using " + config.get(Constants.FRAMEWORK_STORAGE) + "?)", e);
        }
        framework = fw;
        mark("framework init");
        BundleContext context = fw.getBundleContext();
        List<Bundle> installed = install(context, wanted);
        mark("install");
        fw.adapt(FrameworkWiring.class).resolveBundles(installed);
        mark("resolve");
        bindLoggingToLogFile(installed);
        try {
            fw.start();
        } catch (BundleException e) {
            throw new LaunchException("cannot start the OSGi framework: " + e.getMessage(), e);
        }
        mark("framework start");
        List<String> failed = new ArrayList<>();
        for (Bundle bundle : installed) {
            if ((bundle.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0) {
                continue;
            }
            try {
                bundle.start();
            } catch (BundleException | IllegalStateException e) {
                log.error("Bundle " + bundle.getSymbolicName() + " did not start", e);
                failed.add(bundle.getSymbolicName());
            }
            mark("start " + bundle.getSymbolicName());
        }
        return new Started(failed);
    }

    /**
     * Installs the jars of {@code system/} in place ({@code reference:}, nothing is copied into the cache):
     * libraries first, ForgeOne's own bundles last, so that they start last and stop first.
     */
    private List<Bundle> install(BundleContext context, Predicate<String> wanted) throws LaunchException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(home.system(), "*.jar")) {
            dir.forEach(jars::add);
        } catch (IOException e) {
            throw new LaunchException("cannot list " + home.system() + ": " + e.getMessage(), e);
        }
        jars.sort(Comparator.comparing((Path p) -> p.getFileName().toString().startsWith("io.forgeone."))
                .thenComparing(p -> p.getFileName().toString()));
        List<Bundle> installed = new ArrayList<>();
        for (Path jar : jars) {
            String bsn = symbolicName(jar);
            if (bsn == null) {
                log.warn("Skipping " + jar + ": not an OSGi bundle (no Bundle-SymbolicName)", null);
                continue;
            }
            if (!wanted.test(bsn)) {
                continue;
            }
            try {
                installed.add(context.installBundle("reference:" + jar.toUri()));
            } catch (BundleException e) {
                throw new LaunchException("cannot install " + jar + ": " + e.getMessage(), e);
            }
        }
        return installed;
    }

    /**
     * Makes slf4j-simple settle on the log file now, from this thread. Gogo's runtime replaces System.err with a
     * stream that, on a thread running a shell command, writes to that shell's terminal; slf4j-simple (with
     * cacheOutputStream) keeps the System.err it sees when the first logger is made, so that first logger must
     * be made here, before Gogo starts, and not lazily inside some command.
     */
    private void bindLoggingToLogFile(List<Bundle> installed) {
        for (Bundle bundle : installed) {
            if ("slf4j.api".equals(bundle.getSymbolicName())) {
                try {
                    bundle.loadClass("org.slf4j.LoggerFactory").getMethod("getLogger", String.class)
                            .invoke(null, "launcher");
                } catch (ReflectiveOperationException | LinkageError | IllegalStateException e) {
                    log.warn("Cannot set up SLF4J early; shell commands may log to the terminal", e);
                }
                return;
            }
        }
    }

    private static String symbolicName(Path jar) throws LaunchException {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Manifest manifest = file.getManifest();
            String value = manifest == null ? null : manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            if (value == null) {
                return null;
            }
            int semicolon = value.indexOf(';');
            return (semicolon < 0 ? value : value.substring(0, semicolon)).trim();
        } catch (IOException e) {
            throw new LaunchException("cannot read " + jar + ": " + e.getMessage(), e);
        }
    }

    private ToIntFunction<String[]> awaitCommand(Started started) throws LaunchException, InterruptedException {
        BundleContext context = framework.getBundleContext();
        ServiceTracker<Object, Object> tracker;
        try {
            tracker = new ServiceTracker<>(context, FrameworkUtil.createFilter(COMMAND_FILTER), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("bad filter " + COMMAND_FILTER, e);
        }
        tracker.open();
        long waitMs = started.failed().isEmpty() ? COMMAND_WAIT_MS
                : started.failed().contains(COMMAND_BUNDLE) ? 0 : COMMAND_WAIT_AFTER_FAILURE_MS;
        Object service = waitMs == 0 ? tracker.getService() : tracker.waitForService(waitMs);
        if (service == null) {
            logBundleStates(context);
            throw new LaunchException("the forge command did not start" + (waitMs == 0 ? "" : " within "
                    + waitMs / 1000 + " s")
                    + (started.failed().isEmpty() ? "" : "; bundles that did not start: "
                    + String.join(", ", started.failed())));
        }
        if (!(service instanceof ToIntFunction)) {
            throw new LaunchException("the service " + COMMAND_FILTER + " is a " + service.getClass().getName()
                    + ", not a ToIntFunction");
        }
        @SuppressWarnings("unchecked")
        ToIntFunction<String[]> command = (ToIntFunction<String[]>) service;
        return command;
    }

    private void logBundleStates(BundleContext context) {
        StringBuilder states = new StringBuilder("Bundles:");
        for (Bundle b : context.getBundles()) {
            states.append("\n  ").append(b.getBundleId()).append(' ').append(b.getSymbolicName()).append(' ')
                    .append(b.getVersion()).append(' ').append(stateName(b.getState()));
        }
        log.warn(states.toString(), null);
    }

    /** Stops the framework, waiting a bounded time; safe to call twice and from the shutdown hook. */
    void stop() {
        Framework fw = framework;
        if (fw == null || (fw.getState() & (Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) == 0) {
            return;
        }
        try {
            fw.stop();
            FrameworkEvent event = fw.waitForStop(STOP_WAIT_MS);
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                log.warn("The framework did not stop within " + STOP_WAIT_MS / 1000 + " s; exiting anyway", null);
            }
        } catch (BundleException e) {
            log.warn("Stopping the framework failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Interrupted while waiting for the framework to stop", e);
        }
    }

    private void mark(String step) {
        if (timing) {
            long now = System.nanoTime();
            log.info(String.format("timing: %-40s %5d ms", step, (now - lastMark) / 1_000_000));
            lastMark = now;
        }
    }

    private Path newStorage() throws LaunchException {
        Path tmp = home.var().resolve("tmp");
        try {
            Files.createDirectories(tmp);
            return Files.createTempDirectory(tmp, "run-" + log.pid() + "-");
        } catch (IOException e) {
            throw new LaunchException("cannot create a framework cache in " + tmp + ": " + e.getMessage(), e);
        }
    }

    /** Removes the caches of commands that died without cleaning up (kill -9, power loss). */
    private void sweepStaleStorage() {
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(home.var().resolve("tmp"), "run-*")) {
            for (Path stale : dir) {
                String[] parts = stale.getFileName().toString().split("-");
                long pid;
                try {
                    pid = Long.parseLong(parts[1]);
                } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                    continue; // not one of ours
                }
                if (ProcessHandle.of(pid).isEmpty()) {
                    deleteTree(stale);
                }
            }
        } catch (IOException e) {
            log.warn("Cannot sweep old framework caches", e);
        }
    }

    /** Deletes a directory tree; synchronized because the shutdown hook and the main thread may both clean up. */
    private synchronized void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // gone already
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            log.warn("Cannot delete " + root, e);
        }
    }

    private static String eventName(FrameworkEvent event) {
        switch (event.getType()) {
            case FrameworkEvent.STOPPED:
                return "stopped";
            case FrameworkEvent.ERROR:
                return "error";
            case FrameworkEvent.STOPPED_UPDATE:
                return "update";
            default:
                return "event " + event.getType();
        }
    }

    private static String stateName(int state) {
        switch (state) {
            case Bundle.INSTALLED:
                return "INSTALLED (not resolved)";
            case Bundle.RESOLVED:
                return "RESOLVED";
            case Bundle.STARTING:
                return "STARTING";
            case Bundle.STOPPING:
                return "STOPPING";
            case Bundle.ACTIVE:
                return "ACTIVE";
            default:
                return "UNINSTALLED";
        }
    }
}
