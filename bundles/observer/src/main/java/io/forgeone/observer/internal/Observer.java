package io.forgeone.observer.internal;

import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.gate.GateContext;
import io.forgeone.api.observe.CallRecording;
import io.forgeone.api.observe.HostCallRecorder;
import io.forgeone.api.observe.NoSuchTraceException;
import io.forgeone.api.observe.RecordingContext;
import io.forgeone.api.observe.TraceException;
import io.forgeone.api.observe.TraceInfo;
import io.forgeone.api.observe.TracePage;
import io.forgeone.api.observe.TraceQuery;
import io.forgeone.api.observe.TraceRecord;
import io.forgeone.api.observe.TraceService;
import io.forgeone.api.policy.PolicyService;
import io.forgeone.api.wasi.OutputSink;
import io.forgeone.api.wasi.WasiConfig;
import io.forgeone.api.wasi.WasiEnvironment;
import io.forgeone.api.wasi.WasiProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorder the kernel hands every host call to, and the reader of what it recorded. Each container run gets a
 * ring; runs whose container name matches {@code durable} also get trace files, written by one writer thread in
 * batches. Ended runs stay in memory (up to {@code runs_kept}) for reading; trace files stay on disk.
 */
@Component(service = {HostCallRecorder.class, TraceService.class}, configurationPid = "io.forgeone.observer")
@Designate(ocd = ObserverConfig.class)
public final class Observer implements HostCallRecorder, TraceService {
    private static final Logger LOG = LoggerFactory.getLogger(Observer.class);
    private static final long FOLLOW_POLL_MS = 50;
    static final String HISTORY_SUFFIX = ".history";

    private final int ringCalls;
    private final int ringBytes;
    private final Globs durable;
    private final Path traceDir;
    private final Globs keepHistory;
    private final Path historyDir;
    private final long historyMaxBytes;
    private final long fileMaxBytes;
    private final int filesKept;
    private final long flushNanos;
    private final int runsKept;
    /** Runs by container id, oldest first. */
    private final Map<String, RunRecording> runs = new LinkedHashMap<>();
    /** Containers whose next run goes to trace files whatever {@code durable} says (forge run --trace). */
    private final java.util.Set<String> traceNext = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Thread writer;
    /** Where calls get their time; null when every call reads System.nanoTime(). */
    private final TickClock clock;
    private volatile boolean stopping;

    /** The node's policies, when the trust bundle is installed: summaries name the rule that decided a call. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile PolicyService policies;

    /**
     * The node's WASI, when installed: decodes the arguments of WASI calls in traces this process did not record
     * (a trace file from an ended node, or another one), as the recording node's WASI decoded them live.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile WasiProvider wasi;

    @Activate
    public Observer(ObserverConfig config, BundleContext context) {
        this(config, traceDir(config.trace_dir(), context.getProperty("forge.var")),
                stateDir(config.history_dir(), context.getProperty("forge.var"), "history"));
    }

    /** For tests: history files next to the trace folder. */
    Observer(ObserverConfig config, Path traceDir) {
        this(config, traceDir, traceDir.toAbsolutePath().resolveSibling("history"));
    }

    Observer(ObserverConfig config, Path traceDir, Path historyDir) {
        this.keepHistory = new Globs(config.history());
        // a folder per process: commands (forge run) share the state folder with a running node, and each must
        // neither see nor clean up the other's files
        this.historyDir = historyDir.resolve(Long.toString(ProcessHandle.current().pid()));
        this.historyMaxBytes = Math.max(1, config.history_max_mib()) * 1024L * 1024L;
        removeStaleHistories(historyDir);
        this.ringCalls = Math.max(2, config.ring_calls());
        this.ringBytes = Math.max(4096, config.ring_bytes());
        this.durable = new Globs(config.durable());
        this.traceDir = traceDir;
        this.fileMaxBytes = Math.max(1, config.file_max_mib()) * 1024L * 1024L;
        this.filesKept = Math.max(1, config.files_kept());
        this.flushNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(10, config.flush_ms()));
        this.runsKept = Math.max(1, config.runs_kept());
        this.clock = config.precise_time() ? null : new TickClock(config.clock_tick_us());
        this.writer = new Thread(this::writeLoop, "forge-trace-writer");
        writer.setDaemon(true);
        writer.start();
        LOG.info("Observer: {} calls and {} bytes kept per run; trace files in {} for containers {}; histories in {}"
                + " for containers {}", ringCalls, ringBytes, traceDir,
                config.durable().length == 0 ? "(none)" : String.join(", ", config.durable()), historyDir,
                config.history().length == 0 ? "(none)" : String.join(", ", config.history()));
    }

    /**
     * The complete history of a container's current run, calls 0 to {@code calls - 1}, with every byte each call
     * wrote into guest memory: from the ring while it still holds them all, else from the run's trace files.
     * Call it while the guest is held at a host call.
     *
     * @throws io.forgeone.api.observe.SnapshotException when the history is not complete, saying how to make the
     *     container's history complete
     */
    List<RawCall> history(String containerId, String containerName, long calls) {
        RunRecording run;
        synchronized (runs) {
            run = runs.get(containerId);
        }
        if (run == null || run.ended()) {
            throw new io.forgeone.api.observe.SnapshotException("no host calls of container " + containerName
                    + " are being recorded: the observer bundle must be running when a container starts for it to be"
                    + " snapshottable");
        }
        if (calls > Integer.MAX_VALUE - 8) {
            throw new io.forgeone.api.observe.SnapshotException("container " + containerName + " made " + calls
                    + " host calls, more than a snapshot holds");
        }
        List<RawCall> out = new ArrayList<>((int) calls);
        boolean inRing = true;
        for (long n = 0; n < calls && inRing; n++) {
            RawCall c = run.ring.read(n, run.base);
            if (c == null || (c.accessesDropped() && c.bytesWritten() > 0)) {
                inRing = false;
            } else {
                out.add(c);
            }
        }
        if (inRing) {
            return out;
        }
        HistoryLog log = run.history;
        if (log != null && (log.stopped() == null || !run.durable())) {
            return log.read(calls, containerName);
        }
        String howTo = "make its runs durable (durable=" + containerName + " or a glob matching it, in"
                + " etc/io.forgeone.observer.cfg) before it starts, so that trace files keep every call";
        if (!run.durable()) {
            throw new io.forgeone.api.observe.SnapshotException("container " + containerName + " made " + calls
                    + " host calls, the in-memory ring keeps only the latest " + run.ring.capacity()
                    + " (and ring_bytes of their memory), and its runs keep no history (history= in"
                    + " etc/io.forgeone.observer.cfg does not match it): its history is incomplete. To snapshot it,"
                    + " add it to history, or " + howTo);
        }
        run.drain();
        TraceFileReader.Trace t = TraceFileReader.read(run.folder);
        if (t.lost() > 0 || t.calls().size() < calls || (calls > 0 && t.calls().get(0).sequence() != 0)) {
            throw new io.forgeone.api.observe.SnapshotException("the trace files of container " + containerName
                    + " in " + run.folder + " do not hold calls 0 to " + (calls - 1) + " (rotated away by files_kept,"
                    + " or lost): its history is incomplete. Raise files_kept or file_max_mib and " + howTo);
        }
        out.clear();
        for (int i = 0; i < calls; i++) {
            RawCall c = t.calls().get(i);
            if (c.sequence() != i) {
                throw new io.forgeone.api.observe.SnapshotException("the trace of container " + containerName
                        + " has call #" + c.sequence() + " where #" + i + " belongs");
            }
            if (c.accessesDropped() && c.bytesWritten() > 0) {
                throw new io.forgeone.api.observe.SnapshotException("call #" + i + " of container " + containerName
                        + " wrote " + c.bytesWritten() + " bytes the trace does not keep (more than half of ring_bytes);"
                        + " raise ring_bytes to snapshot it");
            }
            out.add(c);
        }
        return out;
    }

    /** The host functions of a container's current run, by index as its calls name them; empty if none. */
    List<HostFunction> runFunctions(String containerId) {
        synchronized (runs) {
            RunRecording run = runs.get(containerId);
            return run == null ? List.of() : run.functions;
        }
    }

    static Path traceDir(String configured, String var) {
        return stateDir(configured, var, "traces");
    }

    static Path stateDir(String configured, String var, String name) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(var == null ? "." : var).resolve(name);
    }

    /**
     * History files left by processes that are gone (a node or command that did not stop cleanly), and this
     * process's folder should an earlier process have had its id.
     */
    private static void removeStaleHistories(Path root) {
        if (!java.nio.file.Files.isDirectory(root)) {
            return;
        }
        long self = ProcessHandle.current().pid();
        try (java.nio.file.DirectoryStream<Path> folders = java.nio.file.Files.newDirectoryStream(root)) {
            for (Path folder : folders) {
                String name = folder.getFileName().toString();
                if (!name.matches("[0-9]{1,18}") || !java.nio.file.Files.isDirectory(folder)) {
                    continue;
                }
                long pid = Long.parseLong(name);
                if (pid == self || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == false) {
                    try (java.nio.file.DirectoryStream<Path> files = java.nio.file.Files.newDirectoryStream(folder,
                            "*" + HISTORY_SUFFIX)) {
                        for (Path f : files) {
                            java.nio.file.Files.deleteIfExists(f);
                        }
                    }
                    java.nio.file.Files.deleteIfExists(folder);
                }
            }
        } catch (java.io.IOException e) {
            LOG.warn("Cannot remove old history files in {}: {}", root, e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        stopping = true;
        LockSupport.unpark(writer);
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (RunRecording run : snapshot()) {
            run.drain();
        }
        if (clock != null) {
            clock.close();
        }
    }

    private void writeLoop() {
        while (!stopping) {
            for (RunRecording run : snapshot()) {
                if (run.durable() && !run.ended()) {
                    run.drain();
                }
            }
            LockSupport.parkNanos(this, flushNanos);
        }
    }

    private List<RunRecording> snapshot() {
        synchronized (runs) {
            return new ArrayList<>(runs.values());
        }
    }

    // ---- recording ----------------------------------------------------------------------------------------------

    @Override
    public CallRecording open(RecordingContext context, List<HostFunction> functions) {
        GateContext who = context.identity();
        int maxArgs = 0;
        int maxResults = 0;
        List<TraceHeader.Function> named = new ArrayList<>(functions.size());
        for (HostFunction f : functions) {
            maxArgs = Math.max(maxArgs, f.signature().params().size());
            maxResults = Math.max(maxResults, f.signature().results().size());
            named.add(new TraceHeader.Function(f.module(), f.name(), f.signature()));
        }
        TraceHeader header = new TraceHeader(who.containerId(), who.containerName(), who.moduleSha256(),
                context.module(), context.engine(), context.maxMemoryPages(), who.labels(), System.currentTimeMillis(),
                1, 0, named);
        boolean toDisk = traceNext.remove(who.containerId()) | durable.matches(who.containerName());
        Path folder = traceDir.resolve(who.containerId());
        TraceFileWriter file = toDisk ? new TraceFileWriter(folder, header, fileMaxBytes, filesKept) : null;
        CallRing ring = new CallRing(ringCalls, ringBytes, maxArgs, maxResults, toDisk, clock);
        if (toDisk) {
            ring.writer(writer);
        }
        long base = clock == null ? System.nanoTime() : clock.now();
        HistoryLog history = keepHistory.matches(who.containerName())
                ? new HistoryLog(historyDir.resolve(who.containerId() + HISTORY_SUFFIX), historyMaxBytes) : null;
        RunRecording run = new RunRecording(header, functions, ring, base, folder, file, history);
        synchronized (runs) {
            runs.remove(who.containerId());
            runs.put(who.containerId(), run);
            int ended = 0;
            for (RunRecording r : runs.values()) {
                ended += r.ended() ? 1 : 0;
            }
            for (Iterator<RunRecording> i = runs.values().iterator(); i.hasNext() && ended > runsKept;) {
                if (i.next().ended()) {
                    i.remove();
                    ended--;
                }
            }
        }
        LOG.debug("Recording container {} ({}){}", who.containerName(), who.containerId(),
                toDisk ? " to " + folder : "");
        return run;
    }

    // ---- reading ------------------------------------------------------------------------------------------------

    @Override
    public List<TraceInfo> list() {
        List<TraceInfo> all = new ArrayList<>();
        List<RunRecording> live = snapshot();
        for (RunRecording run : live) {
            all.add(run.info());
        }
        for (Path folder : folders()) {
            String id = folder.getFileName().toString();
            if (live.stream().noneMatch(r -> r.header.containerId().equals(id))) {
                try {
                    all.add(diskInfo(folder));
                } catch (TraceException e) {
                    all.add(new TraceInfo(id, "?", "?", 0, 0, parts(folder), false, -1,
                            "unreadable: " + e.getMessage()));
                }
            }
        }
        return all;
    }

    private List<Path> folders() {
        if (!Files.isDirectory(traceDir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(traceDir)) {
            return list.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new TraceException("cannot list trace folder " + traceDir + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> parts(Path folder) {
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(p -> p.getFileName().toString().endsWith(".trace")).sorted().toList();
        } catch (IOException e) {
            throw new TraceException("cannot list trace folder " + folder + ": " + e.getMessage(), e);
        }
    }

    private static TraceInfo diskInfo(Path folder) {
        TraceFileReader.Trace t = TraceFileReader.read(folder);
        TraceHeader h = t.header();
        long calls = t.calls().isEmpty() ? 0 : t.calls().get(t.calls().size() - 1).sequence() + 1;
        return new TraceInfo(h.containerId(), h.containerName(), h.moduleSha256(), calls, 0, t.files(),
                t.end() != null, t.end() == null ? -1 : t.end().exitCode(), t.end() == null ? "" : t.end().outcome());
    }

    @Override
    public TraceInfo info(String container) {
        Object found = find(container);
        return found instanceof RunRecording run ? run.info() : diskInfo((Path) found);
    }

    /** A run in memory (latest first), else a trace folder on disk: by id, name, or unique id prefix. */
    private Object find(String container) {
        if (container == null || container.isBlank()) {
            throw new NoSuchTraceException("no container given");
        }
        List<RunRecording> live = snapshot();
        for (int i = live.size() - 1; i >= 0; i--) {
            RunRecording r = live.get(i);
            if (r.header.containerId().equals(container) || r.header.containerName().equals(container)) {
                return r;
            }
        }
        String prefix = container.toLowerCase(Locale.ROOT);
        RunRecording byPrefix = null;
        for (RunRecording r : live) {
            if (r.header.containerId().startsWith(prefix)) {
                if (byPrefix != null && byPrefix != r) {
                    throw new NoSuchTraceException("'" + container + "' matches more than one recorded container id");
                }
                byPrefix = r;
            }
        }
        if (byPrefix != null) {
            return byPrefix;
        }
        Path onDisk = null;
        for (Path folder : folders()) {
            String id = folder.getFileName().toString();
            boolean match = id.equals(container) || id.startsWith(prefix);
            if (!match) {
                List<Path> parts = parts(folder);
                match = !parts.isEmpty() && headerName(parts.get(0)).equals(container);
            }
            if (match) {
                if (onDisk != null) {
                    throw new NoSuchTraceException("'" + container + "' matches more than one trace in " + traceDir);
                }
                onDisk = folder;
            }
        }
        if (onDisk == null) {
            throw new NoSuchTraceException("no trace of a container with id or name '" + container
                    + "' (calls are recorded from when the observer is installed; trace files are in " + traceDir + ")");
        }
        return onDisk;
    }

    private static String headerName(Path file) {
        try {
            return TraceFileReader.header(file).containerName();
        } catch (TraceException e) {
            LOG.debug("Skipping unreadable trace file {} while looking up a container name", file, e);
            return "";
        }
    }

    @Override
    public TracePage records(String container, TraceQuery query) {
        Object found = find(container);
        if (found instanceof RunRecording run) {
            return records(run, query, policies);
        }
        TraceFileReader.Trace t = TraceFileReader.read((Path) found);
        return page(t, query, functionsFor(t.header()), policies);
    }

    @Override
    public TracePage await(String container, TraceQuery query, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        while (true) {
            TracePage page = records(container, query);
            if (!page.records().isEmpty() || page.ended() || System.nanoTime() - deadline >= 0) {
                return page;
            }
            Thread.sleep(FOLLOW_POLL_MS);
        }
    }

    @Override
    public TracePage read(Path trace, TraceQuery query) {
        TraceFileReader.Trace t = TraceFileReader.read(trace);
        return page(t, query, functionsFor(t.header()), policies);
    }

    @Override
    public Path traceToFiles(String containerId) {
        if (containerId == null || containerId.isBlank()) {
            throw new IllegalArgumentException("no container id");
        }
        traceNext.add(containerId);
        return traceDir.resolve(containerId);
    }

    /**
     * The host functions that decode a trace's calls: the run's own when this process recorded it, else this
     * node's WASI functions for the WASI calls the trace names (other calls stay raw); null when there are none.
     */
    private List<HostFunction> functionsFor(TraceHeader header) {
        if (header.containerId() != null) {
            synchronized (runs) {
                RunRecording r = runs.get(header.containerId());
                if (r != null && java.util.Objects.equals(r.header.moduleSha256(), header.moduleSha256())) {
                    return r.functions;
                }
            }
        }
        WasiProvider provider = wasi;
        if (provider == null) {
            return null;
        }
        Map<String, HostFunction> byName = new java.util.HashMap<>();
        // a WASI environment with nothing in it, used only to decode: its functions are never called
        try (WasiEnvironment env = provider.create(new WasiConfig(List.of("trace"), Map.of(), List.of(), null,
                OutputSink.DISCARD, OutputSink.DISCARD))) {
            for (HostFunction f : env.hostFunctions()) {
                byName.put(f.module() + "." + f.name(), f);
            }
        } catch (RuntimeException e) {
            LOG.debug("Cannot get WASI functions to decode a trace; showing raw arguments", e);
            return null;
        }
        List<HostFunction> out = new ArrayList<>(header.functions().size());
        for (TraceHeader.Function f : header.functions()) {
            HostFunction live = byName.get(f.module() + "." + f.name());
            out.add(live != null && live.signature().equals(f.signature()) ? live : null);
        }
        return out;
    }

    private static TracePage page(TraceFileReader.Trace t, TraceQuery query, List<HostFunction> functions,
            PolicyService policies) {
        CallDecoder decoder = new CallDecoder(t.header(), functions, Preopens.of(t.header(), t.calls()), policies);
        List<TraceRecord> out = new ArrayList<>();
        long next = query.since();
        long first = t.calls().isEmpty() ? t.header().firstSequence() : t.calls().get(0).sequence();
        long lost = Math.max(0, first - query.since());
        for (RawCall c : t.calls()) {
            if (c.sequence() < query.since()) {
                continue;
            }
            if (query.limit() > 0 && out.size() >= query.limit()) {
                break;
            }
            next = c.sequence() + 1;
            if (query.matches(t.header().functions().get(c.function()).name())) {
                out.add(decoder.decode(c));
            }
        }
        boolean ended = t.end() != null && (query.limit() == 0 || out.size() < query.limit());
        return new TracePage(out, next, lost, ended, t.end() == null ? -1 : t.end().exitCode(),
                t.end() == null ? "" : t.end().outcome());
    }

    private static TracePage records(RunRecording run, TraceQuery query, PolicyService policies) {
        boolean ended = run.ended();
        long published = run.ring.published();
        long oldest = run.ring.oldest();
        CallDecoder decoder = new CallDecoder(run.header, run.functions, preopens(run), policies);
        List<TraceRecord> out = new ArrayList<>();
        long lost = 0;
        long next = query.since();
        if (query.since() < oldest && run.durable()) {
            // older than the ring keeps: from the trace files, as far as they still have them
            List<Path> files = run.files();
            if (!files.isEmpty()) {
                // while the run goes on, its last file may end in a frame not wholly flushed yet
                TraceFileReader.Trace t = ended ? TraceFileReader.read(files) : TraceFileReader.readLive(files);
                for (RawCall c : t.calls()) {
                    if (c.sequence() >= query.since() && c.sequence() < oldest && !full(query, out)) {
                        next = c.sequence() + 1;
                        if (query.matches(run.header.functions().get(c.function()).name())) {
                            out.add(decoder.decode(c));
                        }
                    }
                }
                long first = t.calls().isEmpty() ? oldest : t.calls().get(0).sequence();
                lost += Math.max(0, Math.min(first, oldest) - query.since());
            }
        } else if (query.since() < oldest) {
            lost += oldest - query.since();
        }
        for (long s = Math.max(next, Math.max(query.since(), oldest)); s < published && !full(query, out); s++) {
            RawCall c = run.ring.read(s, run.base);
            next = s + 1;
            if (c == null) {
                lost++;
                continue;
            }
            if (query.matches(run.header.functions().get(c.function()).name())) {
                out.add(decoder.decode(c));
            }
        }
        boolean complete = ended && next >= published;
        return new TracePage(out, next, lost, complete, complete ? run.exitCode() : -1,
                complete ? run.outcome() : "");
    }

    /** Calls a WASI program makes at start, among them the ones that name its preopens. */
    private static final int START_CALLS = 64;

    /** The run's preopen names, from the first calls of its ring or its trace files; kept once they are all known. */
    private static Preopens preopens(RunRecording run) {
        Preopens known = run.preopens;
        if (known != null) {
            return known;
        }
        boolean ended = run.ended();
        long published = run.ring.published();
        List<RawCall> first = new ArrayList<>();
        if (run.ring.oldest() == 0) {
            for (long s = 0; s < Math.min(published, START_CALLS); s++) {
                RawCall c = run.ring.read(s, run.base);
                if (c != null) {
                    first.add(c);
                }
            }
        } else if (run.durable() && !run.files().isEmpty()) {
            List<RawCall> calls = TraceFileReader.readLive(run.files().subList(0, 1)).calls();
            first.addAll(calls.subList(0, Math.min(calls.size(), START_CALLS)));
        }
        Preopens found = Preopens.of(run.header, first);
        if (ended || published >= START_CALLS) {
            run.preopens = found;
        }
        return found;
    }

    private static boolean full(TraceQuery query, List<TraceRecord> out) {
        return query.limit() > 0 && out.size() >= query.limit();
    }
}
