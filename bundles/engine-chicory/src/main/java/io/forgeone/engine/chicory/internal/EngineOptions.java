package io.forgeone.engine.chicory.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The engine's configuration, copied once out of {@link ChicoryEngineConfig}.
 *
 * @param cacheSize most compiled modules kept in memory (at least 1)
 * @param compilerEnabled whether modules are compiled to JVM bytecode rather than interpreted
 * @param compiledCacheDir the directory that keeps compiled modules across processes; empty for none
 * @param compiledCacheMaxBytes most bytes the entries in {@code compiledCacheDir} take together
 */
record EngineOptions(int cacheSize, boolean compilerEnabled, Optional<Path> compiledCacheDir,
        long compiledCacheMaxBytes) {

    /** Framework property the launcher sets to the node's writable state directory. */
    static final String STATE_DIR_PROPERTY = "forge.var";
    static final int DEFAULT_COMPILED_CACHE_MAX_MIB = 256;
    private static final long MIB = 1024 * 1024;

    EngineOptions {
        if (cacheSize < 1) {
            throw new IllegalArgumentException("cache.size must be at least 1, was " + cacheSize);
        }
        Objects.requireNonNull(compiledCacheDir, "compiledCacheDir");
        if (compiledCacheMaxBytes < 0) {
            throw new IllegalArgumentException("the disk cache bound must not be negative, was " + compiledCacheMaxBytes
                    + " bytes");
        }
    }

    /** Without a disk cache. */
    EngineOptions(int cacheSize, boolean compilerEnabled) {
        this(cacheSize, compilerEnabled, Optional.empty(), DEFAULT_COMPILED_CACHE_MAX_MIB * MIB);
    }

    /**
     * @param stateDir the node's state directory (framework property {@value #STATE_DIR_PROPERTY}), where the disk
     *     cache goes unless the configuration names a directory; null outside a node
     */
    static EngineOptions from(ChicoryEngineConfig config, String stateDir) {
        int maxMib = config.compiled_cache_max_mib();
        if (maxMib < 0) {
            throw new IllegalArgumentException("compiled.cache.max.mib must not be negative, was " + maxMib);
        }
        String configured = config.compiled_cache_dir() == null ? "" : config.compiled_cache_dir().trim();
        Optional<Path> dir;
        if (maxMib == 0) {
            dir = Optional.empty();
        } else if (!configured.isEmpty()) {
            dir = Optional.of(path(configured, "compiled.cache.dir"));
        } else if (stateDir != null && !stateDir.isBlank()) {
            dir = Optional.of(path(stateDir.trim(), STATE_DIR_PROPERTY).resolve("cache").resolve("chicory"));
        } else {
            dir = Optional.empty();
        }
        return new EngineOptions(config.cache_size(), config.compiler_enabled(), dir, maxMib * MIB);
    }

    /** In the configuration's terms, for the log. */
    @Override
    public String toString() {
        return "cache.size=" + cacheSize + ", compiler.enabled=" + compilerEnabled + ", compiled.cache.dir="
                + compiledCacheDir.map(Path::toString).orElse("(none)") + ", compiled.cache.max.mib="
                + compiledCacheMaxBytes / MIB;
    }

    private static Path path(String value, String property) {
        try {
            return Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(property + " is not a valid path: '" + value + "'", e);
        }
    }
}
