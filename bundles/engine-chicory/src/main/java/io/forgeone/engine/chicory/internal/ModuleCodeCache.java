package io.forgeone.engine.chicory.internal;

import com.dylibso.chicory.compiler.Cache;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link CompiledCodeStore} as Chicory's compiler sees it, for one module: the only class that knows Chicory's
 * cache interface. {@link MachineFactoryCompiler.Builder#withCache} asks {@link #get} first and, when that has
 * nothing, generates the classes and hands them to {@link #putIfAbsent} in a serialized form of its own (in 1.7.5 a
 * jar of the class files and the name of the main class), which this class stores without looking into it. On a hit
 * Chicory only defines the classes it gets back: no code generation.
 *
 * <p>The interface is public but has not been stable: Chicory's sources show it taking a {@code CompilerResult}
 * before the byte-array form of 1.7.5, and directories after it. An upgrade that changes it breaks the build here, not
 * at run time; {@link CompiledCodeStore} keys entries by Chicory's version, so code stored by another version is
 * never loaded.
 *
 * <p>Used by one thread, for one compilation.
 */
final class ModuleCodeCache implements Cache {

    private final CompiledCodeStore store;
    private final String sha256;
    private final boolean lookUp;
    private boolean hit;

    /**
     * @param sha256 lower-case hex SHA-256 of the module being compiled
     * @param lookUp whether to offer the stored entry; false to compile and replace it
     */
    ModuleCodeCache(CompiledCodeStore store, String sha256, boolean lookUp) {
        this.store = Objects.requireNonNull(store, "store");
        this.sha256 = Objects.requireNonNull(sha256, "sha256");
        this.lookUp = lookUp;
    }

    /**
     * Chicory's key is the digest its parser took of the same bytes ({@code sha-256:} and Base64, unless a system
     * property picks another algorithm); this object belongs to one module, so the engine's hex SHA-256 is used to
     * find the entry instead.
     */
    @Override
    public byte[] get(String key) {
        if (!lookUp) {
            return null;
        }
        Optional<byte[]> stored = store.read(sha256);
        hit = stored.isPresent();
        return stored.orElse(null);
    }

    @Override
    public void putIfAbsent(String key, byte[] compiled) {
        // Also when an entry is there: it was found unsound or did not load, so replace it.
        store.write(sha256, compiled);
    }

    /** Whether {@link #get} served a stored entry, so that Chicory did not generate code. */
    boolean hit() {
        return hit;
    }
}
