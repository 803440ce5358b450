package io.forgeone.kernel.internal;

import io.forgeone.api.capability.CapabilityProvider;
import io.forgeone.api.capability.ProvidedFunction;
import io.forgeone.api.capability.ProviderContext;
import io.forgeone.api.capability.ProviderSession;
import io.forgeone.api.container.ContainerException;
import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerImage;
import io.forgeone.api.container.HostCallJournal;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerLogs;
import io.forgeone.api.container.ContainerNotFoundException;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerSpecException;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.container.EngineInfo;
import io.forgeone.api.container.ProviderInfo;
import io.forgeone.api.container.ContainerStateException;
import io.forgeone.api.container.StopReason;
import io.forgeone.api.engine.CompiledModule;
import io.forgeone.api.engine.EngineException;
import io.forgeone.api.engine.ExecutionInterruptedException;
import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.GuestExitException;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.InstanceImage;
import io.forgeone.api.engine.InstanceLimits;
import io.forgeone.api.engine.ModuleFormatException;
import io.forgeone.api.engine.ModuleImport;
import io.forgeone.api.engine.TrapException;
import io.forgeone.api.engine.WasmEngine;
import io.forgeone.api.engine.WasmInstance;
import io.forgeone.api.gate.GateContext;
import io.forgeone.api.gate.GateSession;
import io.forgeone.api.gate.HostCallGate;
import io.forgeone.api.observe.CallRecording;
import io.forgeone.api.observe.HostCallRecorder;
import io.forgeone.api.observe.RecordingContext;
import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.pkg.PackageManifest;
import io.forgeone.api.pkg.PackageStore;
import io.forgeone.api.pkg.VerifiedPackage;
import io.forgeone.api.wasi.OutputSink;
import io.forgeone.api.wasi.Preopen;
import io.forgeone.api.wasi.WasiConfig;
import io.forgeone.api.wasi.WasiEnvironment;
import io.forgeone.api.wasi.WasiProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container runtime: creates containers from modules, runs each on a thread of a bounded pool behind the
 * gate, and enforces memory, wall-clock and output limits. Engines, WASI and the gate are found in the service
 * registry.
 */
// immediate: the runtime holds running containers, so it must not be disposed of when its last user goes (a
// delayed component is, and a REST server reconfigured on a headless node would kill every container)
@Component(service = ContainerRuntime.class, configurationPid = "io.forgeone.kernel", immediate = true)
@Designate(ocd = KernelConfig.class)
public final class ContainerRuntimeImpl implements ContainerRuntime {
    static final int EXIT_TRAPPED = 134;
    static final int EXIT_TIMED_OUT = 124;
    static final int EXIT_KILLED = 137;
    static final int EXIT_FAILED = 1;
    /** 128 + SIGXCPU, as a process over its CPU rlimit. */
    static final int EXIT_CPU_LIMIT = 152;
    /** 128 + SIGTERM: stopped cleanly because its engine or a provider it imports was removed. */
    static final int EXIT_REMOVED = 143;
    private static final long CPU_CHECK_MS = 100;
    private static final String START = "_start";
    private static final FunctionSignature START_SIGNATURE = FunctionSignature.of(List.of(), List.of());
    private static final Logger LOG = LoggerFactory.getLogger(ContainerRuntimeImpl.class);

    private final KernelConfig config;
    private final WasiProvider wasi;
    private final List<EngineEntry> engines = new CopyOnWriteArrayList<>();
    private final List<ProviderEntry> providers = new CopyOnWriteArrayList<>();
    /** The bundle context, for the names and versions of the bundles engines and providers come from; null in tests. */
    private final BundleContext context;
    /** The node's state folder, handed to providers. */
    private final Path stateDir;
    private final Map<String, Container> containers = new HashMap<>();
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService timer;
    private final SecureRandom random = new SecureRandom();
    /** Gate decision times, sampled from every container's calls. */
    private final GateTimer gateTimer = new GateTimer();

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile HostCallGate gate;

    /**
     * Opens and verifies .forgepkg files; without it only bare modules run. Looked up when a package is run, not
     * bound when the runtime starts: binding it started the package verifier, the trust store, BouncyCastle and
     * every signature scheme (a third of a second) in each node and each {@code forge run} of a bare module.
     * Set directly by tests; else found through {@link #packageTracker}.
     */
    private volatile PackageStore packages;
    /** The registry's package store, opened on first use; null without a framework. */
    private volatile ServiceTracker<PackageStore, PackageStore> packageTracker;

    /** Records every host call (the observer bundle); without it nothing is recorded. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HostCallRecorder recorder;

    /** Used when the runtime is constructed directly (tests, benchmarks): no bundles, state under the config's folder. */
    public ContainerRuntimeImpl(KernelConfig config, WasiProvider wasi) {
        this(config, wasi, null);
    }

    @Activate
    public ContainerRuntimeImpl(KernelConfig config, @Reference WasiProvider wasi, BundleContext context) {
        this.config = config;
        this.wasi = wasi;
        this.context = context;
        this.stateDir = stateDir(config, context);
        AtomicInteger threads = new AtomicInteger();
        long stackBytes = Math.max(256, config.thread_stack_kib()) * 1024L;
        this.workers = new ThreadPoolExecutor(0, Math.max(1, config.max_running()), 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(null, r, "forge-container-" + threads.incrementAndGet(), stackBytes);
                    t.setDaemon(true);
                    return t;
                });
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "forge-container-timer");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::checkCpuLimits, CPU_CHECK_MS, CPU_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    private static Path stateDir(KernelConfig config, BundleContext context) {
        if (config.state_dir() != null && !config.state_dir().isBlank()) {
            return Path.of(config.state_dir());
        }
        String var = context == null ? null : context.getProperty("forge.var");
        return Path.of(var == null ? "var" : var).resolve("state");
    }

    /** Stops every running container whose guest thread used up its CPU-time limit. */
    private void checkCpuLimits() {
        try {
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            for (Container c : snapshot()) {
                Duration limit = c.spec.limits().cpuTime();
                if (limit.isZero() || c.state() != ContainerState.RUNNING) {
                    continue;
                }
                long used = c.cpuNanos(threads);
                if (used > limit.toNanos()) {
                    stopWithGrace(c, StopReason.CPU_LIMIT, "used its CPU time limit of " + human(limit));
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Checking CPU limits failed", e);
        }
    }

    @Reference(name = "engine", service = WasmEngine.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "engineRemoved")
    void engineAdded(WasmEngine engine, Map<String, Object> properties) {
        engines.add(new EngineEntry(engine, bundleId(properties)));
        LOG.info("Engine {} available: {}", engine.name(), engine.description());
    }

    /**
     * The engine's bundle is stopping, being updated or uninstalled. Containers created on it can never start; the
     * running ones are stopped (reason removed, message "engine removed") and waited for, so that the engine's
     * bundle is not taken away under them, unless {@code engine_removal=finish} lets them run to their end.
     */
    void engineRemoved(WasmEngine engine) {
        engines.removeIf(e -> e.engine() == engine);
        boolean finish = "finish".equalsIgnoreCase(config.engine_removal().trim());
        List<Container> stopping = new ArrayList<>();
        for (Container c : snapshot()) {
            if (c.engine != engine) {
                continue;
            }
            if (finishCreated(c, "engine removed")) {
                continue;
            }
            if (finish) {
                if (c.active()) {
                    LOG.info("Engine {} removed; container {} runs on to its end (engine_removal=finish)",
                            engine.name(), c.name);
                }
            } else if (stopWithGrace(c, StopReason.REMOVED, "engine removed")) {
                LOG.info("Stopping container {}: engine {} removed", c.name, engine.name());
                stopping.add(c);
            }
        }
        awaitAll(stopping);
    }

    /** For tests and benchmarks, which bind an engine without DS. */
    void bindEngine(WasmEngine engine) {
        engineAdded(engine, Map.of());
    }

    void unbindEngine(WasmEngine engine) {
        engineRemoved(engine);
    }

    @Reference(name = "provider", service = CapabilityProvider.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "providerRemoved")
    void providerAdded(CapabilityProvider provider, Map<String, Object> properties) {
        String module = provider.module();
        for (ProviderEntry other : providers) {
            if (other.module().equals(module)) {
                LOG.warn("Two capability providers for {}: bundle {} and bundle {}; the first bound is used",
                        module, other.bundleId(), bundleId(properties));
            }
        }
        providers.add(new ProviderEntry(provider, module, bundleId(properties)));
        LOG.info("Capability provider {} available: {}", module, provider.description());
    }

    /**
     * The provider's bundle is going away: new containers importing its module fail at create, created ones are
     * stopped (they could not start), and running ones are stopped cleanly (reason removed, message
     * "provider MODULE removed") and waited for before the provider is deactivated.
     */
    void providerRemoved(CapabilityProvider provider) {
        ProviderEntry entry = null;
        for (ProviderEntry e : providers) {
            if (e.provider() == provider) {
                entry = e;
            }
        }
        if (entry == null) {
            return;
        }
        providers.remove(entry);
        String why = "provider " + entry.module() + " removed";
        List<Container> stopping = new ArrayList<>();
        for (Container c : snapshot()) {
            if (!c.uses(entry) || finishCreated(c, why)) {
                continue;
            }
            if (stopWithGrace(c, StopReason.REMOVED, why)) {
                LOG.info("Stopping container {}: {}", c.name, why);
                stopping.add(c);
            }
        }
        awaitAll(stopping);
    }

    /** For tests, which bind providers without DS. */
    void bindProvider(CapabilityProvider provider) {
        providerAdded(provider, Map.of());
    }

    /** A created container whose engine or provider went away can never start: it is stopped where it stands. */
    private boolean finishCreated(Container c, String why) {
        synchronized (c) {
            if (c.state() != ContainerState.CREATED) {
                return false;
            }
            c.finish(StopReason.REMOVED, EXIT_REMOVED, why, Instant.now());
        }
        c.release();
        LOG.info("Container {} can no longer start: {}", c.name, why);
        return true;
    }

    /** Waits, up to the kill grace in all, for containers asked to stop. */
    private void awaitAll(List<Container> stopping) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.kill_grace_ms());
        try {
            for (Container c : stopping) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !c.awaitStopped(left)) {
                    LOG.warn("Container {} did not stop within {} ms; it is marked stopped when the grace ends",
                            c.name, config.kill_grace_ms());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long bundleId(Map<String, Object> properties) {
        Object id = properties.get(Constants.SERVICE_BUNDLEID);
        return id instanceof Number n ? n.longValue() : -1;
    }

    @Override
    public List<EngineInfo> engines() {
        List<Container> all = snapshot();
        List<EngineInfo> out = new ArrayList<>();
        for (EngineEntry e : engines) {
            List<String> running = all.stream().filter(c -> c.engine == e.engine() && c.active()).map(c -> c.id)
                    .toList();
            out.add(new EngineInfo(e.engine().name(), e.engine().description(), e.bundleId(), bundleText(e.bundleId()),
                    running));
        }
        out.sort(Comparator.comparing(EngineInfo::name).thenComparingLong(EngineInfo::bundleId));
        return out;
    }

    @Override
    public List<ProviderInfo> providers() {
        List<Container> all = snapshot();
        List<ProviderInfo> out = new ArrayList<>();
        for (ProviderEntry p : providers) {
            List<String> using = all.stream().filter(c -> c.uses(p)
                    && (c.state() == ContainerState.CREATED || c.active())).map(c -> c.id).toList();
            out.add(new ProviderInfo(p.module(), p.provider().description(), p.provider().functions(), p.bundleId(),
                    bundleText(p.bundleId()), using));
        }
        out.sort(Comparator.comparing(ProviderInfo::module).thenComparingLong(ProviderInfo::bundleId));
        return out;
    }

    /** "symbolic-name version" of a bundle, empty when unknown. */
    private String bundleText(long id) {
        if (context == null || id < 0) {
            return "";
        }
        try {
            Bundle b = context.getBundle(id);
            return b == null ? "" : b.getSymbolicName() + " " + b.getVersion();
        } catch (IllegalStateException e) {
            LOG.debug("The kernel's bundle context is no longer valid; bundle {} is shown by id only", id, e);
            return "";
        }
    }

    /** Used when the runtime is constructed directly (tests), where DS does not set the field. */
    void setGate(HostCallGate newGate) {
        this.gate = newGate;
    }

    /** Used when the runtime is constructed directly (tests). */
    void setRecorder(HostCallRecorder newRecorder) {
        this.recorder = newRecorder;
    }

    /** Used when the runtime is constructed directly (tests). */
    void setPackages(PackageStore store) {
        this.packages = store;
    }

    /** The package store: the one set directly (tests), else the registry's best, or null when none is there. */
    private PackageStore packageStore() {
        PackageStore store = packages;
        if (store != null || context == null) {
            return store;
        }
        ServiceTracker<PackageStore, PackageStore> tracker = packageTracker;
        if (tracker == null) {
            synchronized (this) {
                tracker = packageTracker;
                if (tracker == null) {
                    tracker = new ServiceTracker<>(context, PackageStore.class, null);
                    tracker.open();
                    packageTracker = tracker;
                }
            }
        }
        return tracker.getService();
    }

    @Deactivate
    void deactivate() {
        for (Container c : snapshot()) {
            c.requestStop(StopReason.KILLED, "node stopping");
        }
        workers.shutdown();
        timer.shutdownNow();
        try {
            if (!workers.awaitTermination(config.kill_grace_ms(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Some container threads did not stop within {} ms of node shutdown", config.kill_grace_ms());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Container c : snapshot()) {
            c.finish(StopReason.KILLED, EXIT_KILLED, "node stopping", Instant.now());
            c.release();
        }
        ServiceTracker<PackageStore, PackageStore> tracker = packageTracker;
        if (tracker != null) {
            tracker.close();
        }
    }

    // ---- create ----------------------------------------------------------------------------------------------

    @Override
    public ContainerInfo create(ContainerSpec spec, ContainerIO io) {
        Path modulePath = spec.module();
        String file = modulePath.getFileName() == null ? modulePath.toString() : modulePath.getFileName().toString();
        if (isPackage(modulePath)) {
            ModuleSource source = openPackage(modulePath, spec);
            return create(spec, io, source, null, source.startImage());
        }
        byte[] bytes = readModule(modulePath);
        if (StartImage.isImage(bytes)) {
            StartImage.Contents image;
            try {
                image = StartImage.decode(bytes, modulePath.toString(), spec.limits().maxMemoryPages());
            } catch (IllegalArgumentException e) {
                throw new ContainerSpecException(e.getMessage(), e);
            }
            String argv0 = file.endsWith(StartImage.EXTENSION)
                    ? file.substring(0, file.length() - StartImage.EXTENSION.length()) + ".wasm" : file;
            return create(spec, io, new ModuleSource(image.module(), argv0, Map.of(), spec.limits(), null, null), null,
                    image.image());
        }
        return create(spec, io, new ModuleSource(bytes, file, Map.of(), spec.limits(), null, null), null, null);
    }

    @Override
    public InstanceImage preinitialise(Path modulePath, String initExport, Path out) {
        java.util.Objects.requireNonNull(initExport, "initExport");
        byte[] wasm = readModule(modulePath);
        WasmEngine engine = engine(null);
        CompiledModule module;
        try {
            module = engine.compile(wasm);
        } catch (EngineException e) {
            throw new ContainerSpecException(modulePath + ": " + e.getMessage(), e);
        }
        FunctionSignature init = module.functionExports().get(initExport);
        if (init == null) {
            throw new ContainerSpecException(modulePath + ": module exports no function '" + initExport
                    + "' to initialise it with (its exports: " + module.functionExports().keySet() + ")");
        }
        if (!init.equals(START_SIGNATURE)) {
            throw new ContainerSpecException(modulePath + ": '" + initExport + "' has signature " + init
                    + ", expected [] -> []");
        }
        List<HostFunction> refusing = new ArrayList<>();
        for (ModuleImport imp : module.functionImports()) {
            refusing.add(new HostFunction() {
                @Override
                public String module() {
                    return imp.module();
                }

                @Override
                public String name() {
                    return imp.name();
                }

                @Override
                public FunctionSignature signature() {
                    return imp.signature();
                }

                @Override
                public long[] call(io.forgeone.api.engine.GuestMemory memory, long[] args) {
                    throw new ContainerException("the initialiser called " + imp.module() + "." + imp.name()
                            + "; an initialiser may make no host calls (its effects could not be in the image)");
                }
            });
        }
        InstanceImage image;
        try (WasmInstance instance = engine.instantiate(module, refusing,
                new InstanceLimits(InstanceLimits.MAX_PAGES))) {
            instance.call(initExport);
            image = instance.image();
        } catch (GuestExitException e) {
            throw new ContainerSpecException(modulePath + ": the initialiser exited (code " + e.exitCode() + ")", e);
        } catch (EngineException e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof ContainerException)) {
                cause = cause.getCause();
            }
            throw new ContainerSpecException(modulePath + ": '" + initExport + "' failed: " + cause.getMessage(), e);
        }
        byte[] encoded = StartImage.encode(new StartImage.Contents(initExport, wasm, image));
        try {
            Path dir = out.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".image", ".tmp");
            try {
                Files.write(tmp, encoded);
                Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new ContainerSpecException(out + ": cannot write the start image: " + e.getMessage(), e);
        }
        LOG.info("Start image of {} after {}: {} bytes of memory, {} globals, written to {}", modulePath, initExport,
                image.memory().length, image.globals().length, out);
        return image;
    }

    @Override
    public ContainerInfo restore(ContainerImage image, String name, HostCallJournal journal, ContainerIO io) {
        java.util.Objects.requireNonNull(image, "image");
        java.util.Objects.requireNonNull(journal, "journal");
        String sha = sha256(image.module());
        if (!sha.equals(image.moduleSha256())) {
            throw new ContainerSpecException("the image's module has SHA-256 " + sha + ", not the "
                    + image.moduleSha256() + " it names");
        }
        if (image.argv().isEmpty()) {
            throw new ContainerSpecException("the image has no argv[0]");
        }
        ContainerSpec spec = image.spec().withName(name).withArgs(image.argv().subList(1, image.argv().size()))
                .withEngine(image.engine());
        ModuleSource source = new ModuleSource(image.module(), image.argv().get(0), image.labels(), spec.limits(),
                null, null);
        return create(spec, io, source, new Resumption(journal, image.wasi()), null);
    }

    @Override
    public ContainerImage capture(String idOrName) {
        Container c = find(idOrName);
        synchronized (c) {
            ContainerState state = c.state();
            if (state != ContainerState.PAUSED && state != ContainerState.QUARANTINED) {
                throw new ContainerStateException("container " + c.name + " is " + stateWord(state)
                        + "; only a paused or quarantined container can be captured (pause it first)");
            }
            WasmInstance instance = c.instance();
            if (instance == null) {
                throw new ContainerStateException("container " + c.name + " is held before its instance exists");
            }
            InstanceImage image = instance.image();
            io.forgeone.api.wasi.WasiState wasiState;
            try {
                wasiState = c.wasi.exportState();
            } catch (UnsupportedOperationException | IllegalStateException e) {
                throw new ContainerStateException("container " + c.name + ": its WASI state cannot be captured: "
                        + e.getMessage(), e);
            }
            return new ContainerImage(c.id, c.name, c.spec, c.argv, c.wasm, c.module.sha256(), c.engine.name(),
                    c.hostCalls(), image, wasiState, c.labels);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Creates a container from a module's bytes. With {@code resumption}, it re-executes a journal before it goes
     * live; with {@code initial}, the image is written into the instance before the entry point is called.
     */
    private ContainerInfo create(ContainerSpec spec, ContainerIO io, ModuleSource source, Resumption resumption,
            InstanceImage initial) {
        Path modulePath = spec.module();
        String file = modulePath.getFileName() == null ? modulePath.toString() : modulePath.getFileName().toString();
        // the one who runs it (command line, shell, REST) first, then the package's run.engine, then the node
        WasmEngine engine = engine(spec.engine() != null && !spec.engine().isBlank() ? spec.engine()
                : source.engine());
        CompiledModule module;
        try {
            module = engine.compile(source.wasm());
        } catch (ModuleFormatException e) {
            throw new ContainerSpecException(modulePath + ": " + e.getMessage(), e);
        } catch (EngineException e) {
            throw new ContainerSpecException(modulePath + ": engine " + engine.name() + " cannot compile it: "
                    + e.getMessage(), e);
        }
        List<String> argv = new ArrayList<>();
        argv.add(source.argv0());
        argv.addAll(spec.args());
        String id = newId();
        String name = spec.name() != null ? spec.name() : defaultName(file, id);
        checkName(name);

        // The gate admits the workload: its policy may tighten the limits and drop environment variables.
        GateContext who = new GateContext(id, name, module.sha256(), source.labels());
        io.forgeone.api.container.ContainerLimits limits = source.limits();
        Map<String, String> environment = spec.env();
        HostCallGate currentGate = gate;
        if (currentGate != null) {
            limits = limits.tighten(currentGate.limits(who, limits));
            environment = admittedEnvironment(environment, currentGate.environment(who, environment));
        }
        ContainerSpec effective = spec.withLimits(limits);
        checkCommandModule(modulePath, module, effective);

        BoundedLogSinks sinks = new BoundedLogSinks();
        WasiEnvironment env;
        try {
            env = wasi.create(new WasiConfig(argv, environment, spec.preopens(), io.stdin(), sinks.stdout(io),
                    sinks.stderr(io)));
        } catch (IllegalArgumentException e) {
            throw new ContainerSpecException(e.getMessage(), e);
        }
        Container container;
        List<ProviderUse> uses = new ArrayList<>();
        try {
            uses.addAll(linkProviders(modulePath, module, env.hostFunctions(), who));
            List<HostFunction> provided = new ArrayList<>(env.hostFunctions());
            java.util.Set<String> imported = new java.util.HashSet<>();
            module.functionImports().forEach(i -> imported.add(i.module() + "." + i.name()));
            // the gate admits what the module imports, not every function its providers offer
            List<HostFunction> providerFunctions = new ArrayList<>();
            for (ProviderUse use : uses) {
                provided.addAll(use.functions);
                use.functions.stream().filter(f -> imported.contains(f.module() + "." + f.name()))
                        .forEach(providerFunctions::add);
            }
            checkImports(modulePath, module, provided);
            if (currentGate != null && !providerFunctions.isEmpty()) {
                List<String> refused = currentGate.refusals(who, providerFunctions);
                if (!refused.isEmpty()) {
                    throw new ContainerSpecException(modulePath + ": the policy does not let it use what it imports: "
                            + String.join("; ", refused));
                }
            }
            container = new Container(id, name, effective, argv, engine, module, env, io, Instant.now(),
                    source.labels(), uses, source.wasm(), resumption, initial);
            sinks.bind(container);
            synchronized (containers) {
                checkName(name);
                if (containers.size() >= config.max_containers()) {
                    throw new ContainerStateException("node holds " + containers.size()
                            + " containers, the most it keeps (max_containers); delete some first");
                }
                containers.put(id, container);
            }
        } catch (RuntimeException e) {
            env.close();
            uses.forEach(ProviderUse::close);
            throw e;
        }
        LOG.info("Created container {} ({}) from {} on {} [{}]", name, id, modulePath, engine.name(), module.mode());
        return container.info();
    }

    /** The requested variables the gate kept, in their order: a gate can remove variables, never add or change. */
    private static Map<String, String> admittedEnvironment(Map<String, String> requested, Map<String, String> granted) {
        Map<String, String> kept = new java.util.LinkedHashMap<>();
        requested.forEach((k, v) -> {
            if (granted.containsKey(k) && java.util.Objects.equals(granted.get(k), v)) {
                kept.put(k, v);
            }
        });
        if (kept.size() < requested.size()) {
            LOG.debug("Policy kept {} of {} environment variables", kept.size(), requested.size());
        }
        return kept;
    }

    /**
     * What a container runs: the module's bytes, its argv[0], its identity labels, its limits and the engine its
     * package asks for (null when it names none).
     */
    private record ModuleSource(byte[] wasm, String argv0, Map<String, String> labels,
            io.forgeone.api.container.ContainerLimits limits, String engine, InstanceImage startImage) {
    }

    private static boolean isPackage(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().endsWith(".forgepkg");
    }

    /**
     * Opens a package through the package store, which verifies it (signatures, pins, trust store) or refuses
     * it before anything of it is used. The package's limits can only tighten the spec's.
     */
    private ModuleSource openPackage(Path path, ContainerSpec spec) {
        PackageStore store = packageStore();
        if (store == null) {
            throw new ContainerSpecException(path + ": running a .forgepkg needs the package bundle"
                    + " (io.forgeone.pkg), which is not installed");
        }
        if (!Files.isRegularFile(path)) {
            throw new ContainerSpecException(path + ": no such file");
        }
        VerifiedPackage pkg;
        byte[] wasm;
        try {
            pkg = store.open(path);
            wasm = pkg.entrypoint();
        } catch (PackageException e) {
            throw new ContainerSpecException(path + ": package rejected (" + e.reason().name().toLowerCase(Locale.ROOT)
                    .replace('_', ' ') + "): " + e.getMessage(), e);
        }
        PackageManifest m = pkg.manifest();
        Map<String, String> labels = Map.of(
                "package", m.name(),
                "version", m.version(),
                "publisher", m.publisher().name(),
                "package.id", pkg.id(),
                "spiffe", "spiffe://" + config.trust_domain() + "/pkg/" + m.publisher().name() + "/" + m.name());
        io.forgeone.api.container.ContainerLimits limits = spec.limits();
        if (m.limits() != null) {
            limits = limits.withMaxMemoryPages(Math.min(limits.maxMemoryPages(), m.limits().memoryPages()));
            Duration asked = m.limits().timeout();
            if (asked != null && !asked.isZero()
                    && (limits.wallTimeout().isZero() || asked.compareTo(limits.wallTimeout()) < 0)) {
                limits = limits.withWallTimeout(asked);
            }
        }
        LOG.info("Package {} {} by {} verified ({})", m.name(), m.version(), m.publisher().name(), pkg.id());
        String engine = m.run().flatMap(PackageManifest.Run::engineName).orElse(null);
        return new ModuleSource(wasm, m.name(), labels, limits, engine, startImage(path, pkg, wasm, limits));
    }

    /**
     * The package's pre-initialised start image ({@code run.snapshot}, made by {@code forge snapshot init}), or null
     * when it ships none. The image must have been made from the package's own entry point.
     */
    private static InstanceImage startImage(Path path, VerifiedPackage pkg, byte[] wasm,
            io.forgeone.api.container.ContainerLimits limits) {
        java.util.Optional<String> entry = pkg.manifest().run().flatMap(PackageManifest.Run::snapshotEntry);
        if (entry.isEmpty()) {
            return null;
        }
        String what = path + "!" + entry.get() + " (run.snapshot)";
        StartImage.Contents image;
        try {
            image = StartImage.decode(pkg.read(entry.get()), what, limits.maxMemoryPages());
        } catch (IllegalArgumentException e) {
            throw new ContainerSpecException(e.getMessage(), e);
        } catch (PackageException e) {
            throw new ContainerSpecException(what + ": " + e.getMessage(), e);
        }
        if (!java.util.Arrays.equals(image.module(), wasm)) {
            throw new ContainerSpecException(what + ": the image was made from a module with SHA-256 "
                    + sha256(image.module()) + ", not the package's entry point " + sha256(wasm));
        }
        return image.image();
    }

    private byte[] readModule(Path path) {
        try {
            if (Files.isDirectory(path)) {
                throw new ContainerSpecException(path + ": is a directory, not a WebAssembly module");
            }
            long size = Files.size(path);
            long max = config.max_module_mib() * 1024L * 1024L;
            if (size > max) {
                throw new ContainerSpecException(path + ": module is " + size + " bytes, more than the "
                        + config.max_module_mib() + " MiB this node accepts");
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ContainerSpecException(path + ": no such file", e);
        } catch (IOException e) {
            throw new ContainerSpecException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    private WasmEngine engine(String requested) {
        String name = requested == null || requested.isBlank() ? config.default_engine() : requested;
        if (EngineChoice.AUTO.equals(name)) {
            return EngineChoice.automatic(config.default_engine(), engines.stream().map(EngineEntry::engine).toList());
        }
        for (EngineEntry entry : engines) {
            if (entry.engine().name().equals(name)) {
                return entry.engine();
            }
        }
        String installed = engines.stream().map(e -> e.engine().name()).sorted().collect(Collectors.joining(", "));
        throw new ContainerSpecException("engine '" + name + "' is not installed (installed: "
                + (installed.isEmpty() ? "none" : installed) + ")");
    }

    private void checkCommandModule(Path path, CompiledModule module, ContainerSpec spec) {
        FunctionSignature start = module.functionExports().get(START);
        if (start == null) {
            String exports = module.functionExports().keySet().stream().sorted().collect(Collectors.joining(", "));
            throw new ContainerSpecException(path + ": module does not export _start, so it is not a WASI command"
                    + " (exported functions: " + (exports.isEmpty() ? "none" : exports) + ")");
        }
        if (!start.equals(START_SIGNATURE)) {
            throw new ContainerSpecException(path + ": _start has signature " + start + ", expected [] -> []");
        }
        if (!module.otherImports().isEmpty()) {
            throw new ContainerSpecException(path + ": module imports " + String.join(", ", module.otherImports())
                    + ", which no host provides (only functions can be imported)");
        }
        if (module.initialMemoryPages() > spec.limits().maxMemoryPages()) {
            throw new ContainerSpecException(path + ": module needs " + module.initialMemoryPages()
                    + " pages of memory at start, more than its limit of " + spec.limits().maxMemoryPages());
        }
    }

    /**
     * Opens a session with the provider of every import module that WASI does not serve, for this container. A
     * module no installed provider serves, or a function its provider does not offer, fails the create.
     */
    private List<ProviderUse> linkProviders(Path path, CompiledModule module, List<HostFunction> wasiFunctions,
            GateContext who) {
        java.util.Set<String> served = new java.util.HashSet<>();
        wasiFunctions.forEach(f -> served.add(f.module()));
        Map<String, List<ModuleImport>> wanted = new java.util.LinkedHashMap<>();
        for (ModuleImport imp : module.functionImports()) {
            if (!served.contains(imp.module())) {
                wanted.computeIfAbsent(imp.module(), k -> new ArrayList<>()).add(imp);
            }
        }
        List<ProviderUse> uses = new ArrayList<>();
        try {
            for (Map.Entry<String, List<ModuleImport>> e : wanted.entrySet()) {
                uses.add(link(path, e.getKey(), e.getValue(), who));
            }
        } catch (RuntimeException e) {
            uses.forEach(ProviderUse::close);
            throw e;
        }
        return uses;
    }

    private ProviderUse link(Path path, String moduleName, List<ModuleImport> imports, GateContext who) {
        ProviderEntry entry = providers.stream().filter(p -> p.module().equals(moduleName)).findFirst().orElse(null);
        ModuleImport first = imports.get(0);
        if (entry == null) {
            String installed = providers.stream().map(ProviderEntry::module).sorted().distinct()
                    .collect(Collectors.joining(", "));
            throw new ContainerSpecException(path + ": module imports " + first.module() + "." + first.name()
                    + ", but no capability provider for " + moduleName + " is installed; install the bundle that"
                    + " provides it (see docs/providers.md; installed providers: "
                    + (installed.isEmpty() ? "none" : installed) + ")");
        }
        CapabilityProvider provider = entry.provider();
        Map<String, ProvidedFunction> declared = new HashMap<>();
        for (ProvidedFunction f : provider.functions()) {
            declared.put(f.name(), f);
        }
        for (ModuleImport imp : imports) {
            if (!declared.containsKey(imp.name())) {
                throw new ContainerSpecException(path + ": module imports " + imp.module() + "." + imp.name()
                        + ", which provider " + moduleName + " does not offer (it offers: "
                        + declared.keySet().stream().sorted().collect(Collectors.joining(", ")) + ")");
            }
        }
        ProviderSession session;
        try {
            session = provider.open(new ProviderContext(who.containerId(), who.containerName(),
                    who.labels().get("package"), who.moduleSha256(), stateDir, who.labels()));
        } catch (IllegalArgumentException e) {
            throw new ContainerSpecException(path + ": provider " + moduleName + " refused it: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            LOG.error("Provider {} failed to open a session for container {}", moduleName, who.containerName(), e);
            throw new ContainerSpecException(path + ": provider " + moduleName + " failed: " + e, e);
        }
        List<HostFunction> functions = new ArrayList<>();
        try {
            for (HostFunction f : session.hostFunctions()) {
                ProvidedFunction d = declared.get(f.name());
                if (d == null || !f.module().equals(moduleName) || !f.signature().equals(d.signature())) {
                    throw new ContainerSpecException("provider " + moduleName + " is broken: its session gave "
                            + f.module() + "." + f.name() + " " + f.signature() + ", which it does not declare");
                }
                functions.add(new ProvidedHostFunction(f, d.capability()));
            }
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        return new ProviderUse(entry, session, functions);
    }

    private static void checkImports(Path path, CompiledModule module, List<HostFunction> provided) {
        Map<String, HostFunction> byName = new HashMap<>();
        for (HostFunction f : provided) {
            byName.put(f.module() + "." + f.name(), f);
        }
        for (ModuleImport imp : module.functionImports()) {
            HostFunction f = byName.get(imp.module() + "." + imp.name());
            if (f == null) {
                throw new ContainerSpecException(path + ": module imports " + imp.module() + "." + imp.name()
                        + ", which no host provides");
            }
            if (!f.signature().equals(imp.signature())) {
                throw new ContainerSpecException(path + ": module imports " + imp.module() + "." + imp.name()
                        + " as " + imp.signature() + " but the host provides " + f.signature());
            }
        }
    }

    private String newId() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String defaultName(String file, String id) {
        String base = file.endsWith(".wasm") ? file.substring(0, file.length() - 5) : file;
        base = base.replaceAll("[^A-Za-z0-9_.-]", "_");
        return (base.isEmpty() ? "container" : base) + "-" + id.substring(0, 6);
    }

    private void checkName(String name) {
        if (name.isBlank() || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
            throw new ContainerSpecException("container name '" + name
                    + "' is not valid: use 1-128 letters, digits, '_', '.', '-', starting with a letter or digit");
        }
        synchronized (containers) {
            for (Container c : containers.values()) {
                if (c.name.equals(name)) {
                    throw new ContainerSpecException("container name '" + name + "' is already used by " + c.id);
                }
            }
        }
    }

    // ---- start / run ------------------------------------------------------------------------------------------

    @Override
    public ContainerInfo start(String idOrName) {
        Container c = find(idOrName);
        HostCallGate currentGate = gate;
        if (currentGate == null) {
            throw new ContainerException("no host-call gate is installed; containers cannot start");
        }
        if (engines.stream().noneMatch(e -> e.engine() == c.engine)) {
            throw new ContainerStateException("container " + c.name + ": engine " + c.engine.name()
                    + " was removed; delete it and create it again");
        }
        for (ProviderUse use : c.providers) {
            if (!providers.contains(use.entry)) {
                throw new ContainerStateException("container " + c.name + ": provider " + use.entry.module()
                        + " was removed; delete it and create it again");
            }
        }
        synchronized (c) {
            if (c.state() != ContainerState.CREATED) {
                throw new ContainerStateException("container " + c.name + " is " + stateWord(c.state())
                        + "; only a created container can start");
            }
            try {
                workers.execute(() -> run(c, currentGate));
            } catch (RejectedExecutionException e) {
                throw new ContainerStateException("node is running " + workers.getActiveCount()
                        + " containers, the most it runs at once (max_running); try again when one stops", e);
            }
            c.markRunning(Instant.now(), scheduleTimeout(c, 0));
        }
        LOG.debug("Started container {}", c.name);
        return c.info();
    }

    /** Schedules the wall-clock limit for the time it has left after {@code ranNanos}; null when it has none. */
    private java.util.concurrent.Future<?> scheduleTimeout(Container c, long ranNanos) {
        Duration limit = c.spec.limits().wallTimeout();
        if (limit.isZero()) {
            return null;
        }
        long left = Math.max(0, limit.toNanos() - ranNanos);
        return timer.schedule(() -> stopWithGrace(c, StopReason.TIMED_OUT, "timed out after " + human(limit)), left,
                TimeUnit.NANOSECONDS);
    }

    private void run(Container c, HostCallGate currentGate) {
        GateSession session = null;
        CallRecording recording = null;
        StopReason reason;
        int code;
        String message = "";
        try {
            List<HostFunction> functions = c.hostFunctions;
            session = currentGate.open(new GateContext(c.id, c.name, c.module.sha256(), c.labels), functions);
            // attach() takes the container's monitor, which start() holds until the container is marked running
            if (!c.attach(Thread.currentThread(), session)) {
                session.close();
                session = null;
                throw new ExecutionInterruptedException("stopped before it started");
            }
            HostCallRecorder currentRecorder = recorder;
            if (currentRecorder != null) {
                recording = currentRecorder.open(new RecordingContext(new GateContext(c.id, c.name, c.module.sha256(),
                        c.labels), c.spec.module().toString(), c.engine.name(), c.spec.limits().maxMemoryPages()),
                        functions);
            }
            CallTap tap = recording == null ? null : new CallTap(recording);
            CallCounters counters = new CallCounters(functions);
            c.counters(counters);
            List<HostFunction> gated = new ArrayList<>(functions.size());
            for (int i = 0; i < functions.size(); i++) {
                gated.add(new GatedHostFunction(functions.get(i), i, session, c, tap, counters, gateTimer,
                        c.resumption));
            }
            try (WasmInstance instance = c.engine.instantiate(c.module, gated,
                    new InstanceLimits(c.spec.limits().maxMemoryPages()))) {
                if (c.initialImage != null) {
                    instance.restore(c.initialImage);
                }
                c.instance(instance);
                try {
                    if (c.resumption != null) {
                        c.resumption.start(instance, c.wasi);
                    }
                    instance.call(START);
                } finally {
                    c.instance(null);
                }
            }
            reason = StopReason.EXITED;
            code = 0;
        } catch (GuestExitException e) {
            reason = StopReason.EXITED;
            code = e.exitCode();
        } catch (ExecutionInterruptedException e) {
            StopReason requested = c.requestedStop();
            reason = requested != null ? requested : StopReason.FAILED;
            code = exitCodeFor(reason);
            message = requested != null ? c.requestedMessage() : "interrupted: " + e.getMessage();
        } catch (TrapException e) {
            StopReason requested = c.requestedStop();
            reason = requested != null ? requested : StopReason.TRAPPED;
            code = exitCodeFor(reason);
            message = requested != null ? c.requestedMessage() : e.getMessage();
        } catch (EngineException e) {
            reason = StopReason.FAILED;
            code = EXIT_FAILED;
            message = e.getMessage();
        } catch (ContainerException e) {
            reason = StopReason.FAILED;
            code = EXIT_FAILED;
            message = e.getMessage();
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            LOG.error("Container {} failed in the host", c.name, e);
            reason = StopReason.FAILED;
            code = EXIT_FAILED;
            message = "host failure: " + e;
        } finally {
            c.instance(null);
            c.detach();
            if (session != null) {
                session.close();
            }
            c.release();
        }
        String resumeFailure = c.resumption == null ? null : c.resumption.failure();
        if (resumeFailure != null && c.requestedStop() == null) {
            // the re-execution did not reach the snapshot: whatever the engine made of it, that is the reason
            reason = StopReason.FAILED;
            code = EXIT_FAILED;
            message = resumeFailure;
        }
        if (recording != null) {
            closeRecording(c, recording, code, message.isEmpty() ? reason.name() : reason.name() + ": " + message);
        }
        if (c.finish(reason, code, message, Instant.now())) {
            LOG.info("Container {} stopped: {} exit {}{}", c.name, reason, code, message.isEmpty() ? "" : " (" + message + ")");
        }
    }

    private static void closeRecording(Container c, CallRecording recording, int code, String outcome) {
        try {
            recording.close(code, outcome);
        } catch (RuntimeException e) {
            LOG.error("Closing the host-call recording of container {} failed; its trace may miss its end", c.name, e);
        }
    }

    /**
     * Asks a running guest to stop and, if it has not within the kill grace (it is blocked in something that
     * ignores interruption, such as a read of the node's stdin), marks it stopped anyway: the limit holds for
     * everyone waiting on the container, and the stuck thread changes nothing when it finally returns.
     */
    private boolean stopWithGrace(Container c, StopReason reason, String why) {
        if (!c.requestStop(reason, why)) {
            return false;
        }
        try {
            timer.schedule(() -> {
                if (c.finish(reason, exitCodeFor(reason), why, Instant.now())) {
                    LOG.warn("Container {} did not stop within {} ms of being asked ({}); marked stopped", c.name,
                            config.kill_grace_ms(), why);
                }
            }, config.kill_grace_ms(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Node is stopping; container {} is finished by deactivation", c.name, e);
        }
        return true;
    }

    static int exitCodeFor(StopReason reason) {
        switch (reason) {
            case TRAPPED:
                return EXIT_TRAPPED;
            case TIMED_OUT:
                return EXIT_TIMED_OUT;
            case KILLED:
                return EXIT_KILLED;
            case CPU_LIMIT:
                return EXIT_CPU_LIMIT;
            case REMOVED:
                return EXIT_REMOVED;
            default:
                return EXIT_FAILED;
        }
    }

    // ---- kill / delete / queries --------------------------------------------------------------------------------

    @Override
    public ContainerInfo kill(String idOrName) {
        Container c = find(idOrName);
        synchronized (c) {
            ContainerState state = c.state();
            if (state == ContainerState.CREATED) {
                c.finish(StopReason.KILLED, EXIT_KILLED, "killed before it started", Instant.now());
                c.release();
                return c.info();
            }
            if (!Container.active(state)) {
                throw new ContainerStateException("container " + c.name + " is " + stateWord(state)
                        + "; only a created, running, paused or quarantined container can be killed");
            }
            c.requestStop(StopReason.KILLED, "killed");
        }
        try {
            if (!c.awaitStopped(TimeUnit.MILLISECONDS.toNanos(config.kill_grace_ms()))) {
                // The guest is stuck in something that ignores interruption (a blocking host read): the
                // container is stopped for everyone; its thread finishes on its own and changes nothing.
                LOG.warn("Container {} did not stop within {} ms of kill; marked stopped", c.name, config.kill_grace_ms());
                c.finish(StopReason.KILLED, EXIT_KILLED, "killed (guest did not stop within "
                        + config.kill_grace_ms() + " ms)", Instant.now());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return c.info();
    }

    @Override
    public ContainerInfo delete(String idOrName) {
        Container c = find(idOrName);
        synchronized (c) {
            ContainerState state = c.state();
            if (Container.active(state)) {
                throw new ContainerStateException("container " + c.name + " is " + stateWord(state)
                        + "; stop it first (forge stop " + c.name + ")");
            }
            synchronized (containers) {
                containers.remove(c.id);
            }
            c.markDeleted();
        }
        c.release();
        LOG.debug("Deleted container {}", c.name);
        return c.info();
    }

    // ---- pause / resume / quarantine / release ------------------------------------------------------------------

    @Override
    public ContainerInfo pause(String idOrName) {
        return suspend(find(idOrName), ContainerState.PAUSED, "paused by an operator");
    }

    @Override
    public ContainerInfo quarantine(String idOrName, String reason) {
        Container c = find(idOrName);
        String why = reason == null || reason.isBlank() ? "quarantined by an operator" : reason;
        if (c.quarantinePaused(why)) {
            // already suspended at a call: it stays there, now quarantined
            LOG.info("Container {} quarantined: {}", c.name, why);
            return c.info();
        }
        return suspend(c, ContainerState.QUARANTINED, why);
    }

    private ContainerInfo suspend(Container c, ContainerState kind, String why) {
        if (kind == ContainerState.QUARANTINED && c.state() == kind) {
            return c.info();
        }
        if (!c.requestSuspension(kind, why)) {
            throw new ContainerStateException("container " + c.name + " is " + stateWord(c.state())
                    + "; only a running container can be " + (kind == ContainerState.PAUSED ? "paused" : "quarantined"));
        }
        try {
            // it takes effect at the guest's next host call; most guests make one soon
            c.awaitNotRunning(config.kill_grace_ms());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Container {} {}: {}", c.name, kind == ContainerState.PAUSED ? "paused" : "quarantined", why);
        return c.info();
    }

    @Override
    public ContainerInfo resume(String idOrName) {
        Container c = find(idOrName);
        if (!c.resume(ContainerState.PAUSED, ran -> scheduleTimeout(c, ran))) {
            throw new ContainerStateException("container " + c.name + " is " + stateWord(c.state())
                    + "; only a paused container can be resumed" + (c.state() == ContainerState.QUARANTINED
                    ? " (release a quarantined one: forge quarantine release " + c.name + ")" : ""));
        }
        LOG.info("Container {} resumed", c.name);
        return c.info();
    }

    @Override
    public ContainerInfo release(String idOrName) {
        Container c = find(idOrName);
        synchronized (c) {
            if (c.state() != ContainerState.QUARANTINED) {
                throw new ContainerStateException("container " + c.name + " is " + stateWord(c.state())
                        + "; only a quarantined container can be released");
            }
            GateSession session = c.session();
            if (session != null) {
                session.release();
            }
            c.resume(ContainerState.QUARANTINED, ran -> scheduleTimeout(c, ran));
        }
        LOG.info("Container {} released from quarantine", c.name);
        return c.info();
    }

    @Override
    public ContainerInfo state(String idOrName) {
        return find(idOrName).info();
    }

    @Override
    public List<ContainerInfo> list() {
        return snapshot().stream().map(Container::info).collect(Collectors.toList());
    }

    @Override
    public io.forgeone.api.container.ContainerStats stats(String idOrName) {
        return find(idOrName).stats(java.lang.management.ManagementFactory.getThreadMXBean());
    }

    @Override
    public List<io.forgeone.api.container.ContainerStats> stats() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        return snapshot().stream().map(c -> c.stats(threads)).collect(Collectors.toList());
    }

    @Override
    public io.forgeone.api.container.LatencyHistogram gateLatency() {
        return gateTimer.snapshot();
    }

    @Override
    public ContainerLogs logs(String idOrName) {
        return find(idOrName).logs();
    }

    @Override
    public ContainerInfo await(String idOrName, Duration timeout) throws InterruptedException {
        Container c = find(idOrName);
        long nanos = timeout.isNegative() ? 0 : timeout.toNanos();
        c.awaitStopped(nanos);
        return c.info();
    }

    private List<Container> snapshot() {
        synchronized (containers) {
            List<Container> all = new ArrayList<>(containers.values());
            all.sort(Comparator.comparing((Container c) -> c.createdAt).thenComparing(c -> c.id));
            return all;
        }
    }

    /** By exact id, exact name, or a unique id prefix (as Docker does). */
    private Container find(String idOrName) {
        if (idOrName == null || idOrName.isBlank()) {
            throw new ContainerNotFoundException("no container given");
        }
        synchronized (containers) {
            Container exact = containers.get(idOrName);
            if (exact != null) {
                return exact;
            }
            Container byPrefix = null;
            for (Container c : containers.values()) {
                if (c.name.equals(idOrName)) {
                    return c;
                }
                if (c.id.startsWith(idOrName.toLowerCase(Locale.ROOT))) {
                    if (byPrefix != null) {
                        throw new ContainerNotFoundException("'" + idOrName + "' matches more than one container id");
                    }
                    byPrefix = c;
                }
            }
            if (byPrefix == null) {
                throw new ContainerNotFoundException("no container with id or name '" + idOrName + "'");
            }
            return byPrefix;
        }
    }

    private static String stateWord(ContainerState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    static String human(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.getSeconds();
        return s % 60 == 0 && s >= 60 ? (s / 60) + "m" : s + "s";
    }

    /** Output sinks that keep a container's bounded log and pass each write on to the attached stream. */
    private static final class BoundedLogSinks {
        private volatile Container container;

        void bind(Container c) {
            container = c;
        }

        OutputSink stdout(ContainerIO io) {
            return tee(c -> c.stdout, io.stdout());
        }

        OutputSink stderr(ContainerIO io) {
            return tee(c -> c.stderr, io.stderr());
        }

        private OutputSink tee(java.util.function.Function<Container, BoundedLog> log, OutputSink attached) {
            return (bytes, offset, length) -> {
                Container c = container;
                if (c != null) {
                    log.apply(c).append(bytes, offset, length);
                }
                attached.write(bytes, offset, length);
            };
        }
    }
}
