package io.forgeone.api.pkg;

import io.forgeone.api.crypto.PublicKeyInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The manifest of a package ({@code forge.json}). Signatures cover its canonical JSON form.
 *
 * @param name the package's name: 1..128 of {@code [A-Za-z0-9._-]}, starting with a letter or digit
 * @param version the publisher's version string: 1..64 printable characters without spaces
 * @param entrypoint the path of the WebAssembly module to run; one of {@code entries}
 * @param capabilities what the package asks to be granted (free-form for now; the policy decides)
 * @param limits the resources the package asks for
 * @param publisher who publishes it, and the ids of the keys that may sign it
 * @param created when it was built (whole seconds, UTC)
 * @param expires after this it is refused (whole seconds, UTC); later than {@code created}
 * @param entries every entry of the package besides the manifest and the signatures, pinned, sorted by path
 * @param run how the package asks to be run (engine, deploy-folder behaviour, start-up snapshot); empty when the
 *        manifest has no {@code run} object
 */
public record PackageManifest(String name, String version, String entrypoint, List<String> capabilities, Limits limits,
        Publisher publisher, Instant created, Instant expires, List<Entry> entries, Optional<Run> run) {

    /** The manifest's entry name in the zip. */
    public static final String MANIFEST_ENTRY = "forge.json";
    /** The folder of signature entries: {@code signatures/<keyid>.<scheme>.sig}. */
    public static final String SIGNATURES_FOLDER = "signatures/";
    /** The manifest format this API reads and writes (the manifest's {@code format} field). */
    public static final int FORMAT = 1;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern VERSION = Pattern.compile("[\\x21-\\x7e]{1,64}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");
    private static final int MAX_PATH = 1024;

    public PackageManifest {
        requireName(name, "name");
        Objects.requireNonNull(version, "version");
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("version must be 1..64 printable ASCII characters without spaces, was '"
                    + version + "'");
        }
        Objects.requireNonNull(entrypoint, "entrypoint");
        capabilities = List.copyOf(Objects.requireNonNull(capabilities, "capabilities"));
        Set<String> seen = new HashSet<>();
        for (String c : capabilities) {
            if (c.isBlank() || !seen.add(c)) {
                throw new IllegalArgumentException("capabilities must be distinct and not blank: '" + c + "'");
            }
        }
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(publisher, "publisher");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(expires, "expires");
        if (created.getNano() != 0 || expires.getNano() != 0) {
            throw new IllegalArgumentException("created and expires must be whole seconds");
        }
        if (!expires.isAfter(created)) {
            throw new IllegalArgumentException("expires (" + expires + ") must be after created (" + created + ")");
        }
        List<Entry> sorted = new ArrayList<>(Objects.requireNonNull(entries, "entries"));
        sorted.sort(Comparator.comparing(Entry::path));
        Set<String> folded = new HashSet<>();
        for (Entry e : sorted) {
            if (!folded.add(e.path().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("entry listed twice (ignoring case): '" + e.path() + "'");
            }
            if (e.path().equals(MANIFEST_ENTRY) || e.path().startsWith(SIGNATURES_FOLDER)) {
                throw new IllegalArgumentException("entry '" + e.path() + "' is reserved for the manifest or signatures");
            }
        }
        entries = List.copyOf(sorted);
        if (sorted.stream().noneMatch(e -> e.path().equals(entrypoint))) {
            throw new IllegalArgumentException("entrypoint '" + entrypoint + "' is not one of the entries");
        }
        run = Objects.requireNonNullElse(run, Optional.empty());
        String snapshot = run.map(Run::snapshot).orElse(null);
        if (snapshot != null) {
            if (sorted.stream().noneMatch(e -> e.path().equals(snapshot))) {
                throw new IllegalArgumentException("run.snapshot '" + snapshot + "' is not one of the entries");
            }
            if (snapshot.equals(entrypoint)) {
                throw new IllegalArgumentException("run.snapshot must not be the entrypoint '" + entrypoint + "'");
            }
        }
    }

    /** A manifest without a {@code run} object. */
    public PackageManifest(String name, String version, String entrypoint, List<String> capabilities, Limits limits,
            Publisher publisher, Instant created, Instant expires, List<Entry> entries) {
        this(name, version, entrypoint, capabilities, limits, publisher, created, expires, entries, Optional.empty());
    }

    /** The pinned entry at {@code path}. */
    public Optional<Entry> entry(String path) {
        return entries.stream().filter(e -> e.path().equals(path)).findFirst();
    }

    public PackageManifest withEntries(List<Entry> newEntries) {
        return new PackageManifest(name, version, entrypoint, capabilities, limits, publisher, created, expires,
                newEntries, run);
    }

    public PackageManifest withRun(Run newRun) {
        return new PackageManifest(name, version, entrypoint, capabilities, limits, publisher, created, expires,
                entries, Optional.ofNullable(newRun));
    }

    /**
     * What is wrong with an entry path, or empty when it is safe to use: relative, {@code /}-separated, no empty,
     * {@code .} or {@code ..} segment, no backslash, colon (drive letters, streams) or control character, not a
     * directory, at most 1024 characters.
     */
    public static Optional<String> pathProblem(String path) {
        if (path == null || path.isEmpty()) {
            return Optional.of("empty name");
        }
        if (path.length() > MAX_PATH) {
            return Optional.of("name longer than " + MAX_PATH + " characters");
        }
        if (path.startsWith("/")) {
            return Optional.of("absolute path");
        }
        if (DRIVE.matcher(path).matches()) {
            return Optional.of("drive letter");
        }
        if (path.indexOf('\\') >= 0) {
            return Optional.of("backslash");
        }
        if (path.indexOf(':') >= 0) {
            return Optional.of("colon");
        }
        if (path.endsWith("/")) {
            return Optional.of("directory entry");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return Optional.of("control character");
            }
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                return Optional.of("'..' segment");
            }
            if (segment.isEmpty() || segment.equals(".")) {
                return Optional.of("empty or '.' segment");
            }
        }
        return Optional.empty();
    }

    static String requireName(String value, String what) {
        Objects.requireNonNull(value, what);
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be 1..128 of [A-Za-z0-9._-] starting with a letter or digit, was '"
                    + value + "'");
        }
        return value;
    }

    /**
     * Resources the package asks for; the policy may grant less.
     *
     * @param memoryPages the most 64 KiB pages of linear memory (1..65536)
     * @param timeout how long the entry point may run; {@link Duration#ZERO} for no limit; whole milliseconds
     */
    public record Limits(int memoryPages, Duration timeout) {
        /** 256 MiB and 30 seconds, the container runtime's defaults. */
        public static final Limits DEFAULT = new Limits(4096, Duration.ofSeconds(30));

        public Limits {
            if (memoryPages < 1 || memoryPages > 65536) {
                throw new IllegalArgumentException("limits.memoryPages must be 1..65536, was " + memoryPages);
            }
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.getNano() % 1_000_000 != 0) {
                throw new IllegalArgumentException("limits.timeout must be whole milliseconds, not negative: " + timeout);
            }
        }
    }

    /**
     * How the package asks to be run. The node's policy and configuration have the last word.
     *
     * @param engine the engine to run it on ({@code chicory}, {@code wasmtime}, {@code auto}, or any installed
     *        engine's name: 1..32 of {@code [a-z0-9-]} starting with a letter); null leaves the choice to the node
     * @param onDeploy whether dropping the package into the node's deploy folder also runs it
     * @param rollover whether a newer version replacing it in the deploy folder may start before the old one stops
     *        (two instances run side by side for a moment); when false the old one stops first
     * @param snapshot the path of an entry holding a pre-initialised snapshot of the entry point to start from
     *        (see the observer's snapshots); null when the package ships none
     */
    public record Run(String engine, boolean onDeploy, boolean rollover, String snapshot) {
        private static final Pattern ENGINE = Pattern.compile("[a-z][a-z0-9-]{0,31}");

        public Run {
            if (engine != null && !ENGINE.matcher(engine).matches()) {
                throw new IllegalArgumentException("run.engine must be 1..32 of [a-z0-9-] starting with a letter, was '"
                        + engine + "'");
            }
            if (snapshot != null) {
                Optional<String> problem = pathProblem(snapshot);
                if (problem.isPresent()) {
                    throw new IllegalArgumentException("run.snapshot '" + snapshot + "': " + problem.get());
                }
            }
        }

        /** The engine the package asks for, if any. */
        public Optional<String> engineName() {
            return Optional.ofNullable(engine);
        }

        /** The snapshot entry's path, if the package ships one. */
        public Optional<String> snapshotEntry() {
            return Optional.ofNullable(snapshot);
        }
    }

    /**
     * The publisher.
     *
     * @param name the publisher's name, which the trust store's keys for it carry (same syntax as a package name)
     * @param keys ids of the keys that may sign this package (at least one, distinct)
     */
    public record Publisher(String name, List<String> keys) {
        public Publisher {
            requireName(name, "publisher.name");
            keys = List.copyOf(Objects.requireNonNull(keys, "keys"));
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("publisher.keys must list at least one key id");
            }
            if (new HashSet<>(keys).size() != keys.size()) {
                throw new IllegalArgumentException("publisher.keys lists a key twice: " + keys);
            }
            keys.forEach(PublicKeyInfo::requireKeyId);
        }
    }

    /**
     * A pinned entry.
     *
     * @param path the entry's name in the zip (see {@link PackageManifest#pathProblem(String)})
     * @param sha256 lowercase hex SHA-256 of its content
     * @param size its content's length in bytes
     */
    public record Entry(String path, String sha256, long size) {
        public Entry {
            Optional<String> problem = pathProblem(path);
            if (problem.isPresent()) {
                throw new IllegalArgumentException("bad entry path '" + path + "': " + problem.get());
            }
            Objects.requireNonNull(sha256, "sha256");
            if (!SHA256.matcher(sha256).matches()) {
                throw new IllegalArgumentException("sha256 of '" + path + "' must be 64 lowercase hex digits");
            }
            if (size < 0) {
                throw new IllegalArgumentException("size of '" + path + "' must not be negative");
            }
        }
    }
}
