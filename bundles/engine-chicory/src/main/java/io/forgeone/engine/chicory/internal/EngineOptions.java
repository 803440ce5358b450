package io.forgeone.engine.chicory.internal;

/**
 * The engine's configuration, copied once out of {@link ChicoryEngineConfig}.
 *
 * @param cacheSize most compiled modules kept (at least 1)
 * @param compilerEnabled whether modules are compiled to JVM bytecode rather than interpreted
 */
record EngineOptions(int cacheSize, boolean compilerEnabled) {

    EngineOptions {
        if (cacheSize < 1) {
            throw new IllegalArgumentException("cache.size must be at least 1, was " + cacheSize);
        }
    }

    static EngineOptions from(ChicoryEngineConfig config) {
        return new EngineOptions(config.cache_size(), config.compiler_enabled());
    }
}
