package io.forgeone.api.pkg;

import java.nio.file.Path;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The node's content-addressed store of verified packages, keyed by the SHA-256 of the package's bytes. Opening
 * bytes the store already holds skips the cryptographic work (parsing, digests, signature checks) but always makes
 * the trust decisions afresh: a key revoked or removed since, an expiry passed since, or a hybrid rule turned on
 * since, is honoured.
 */
@ProviderType
public interface PackageStore {

    /**
     * Reads a package file, verifies it (or finds it in the store), keeps it, and returns it.
     *
     * @throws PackageException when it is refused (the exception carries the report), too large, or unreadable
     */
    VerifiedPackage open(Path pkg);

    /** As {@link #open(Path)}, for bytes already in memory. */
    VerifiedPackage open(byte[] pkg);

    /** Ids of the stored packages, sorted. */
    List<String> list();

    /** Removes a stored package; {@code false} when there was none with that id. */
    boolean remove(String id);
}
