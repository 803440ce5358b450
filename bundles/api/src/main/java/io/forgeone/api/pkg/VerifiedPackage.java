package io.forgeone.api.pkg;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A package that passed verification (see {@link VerificationReport#verdict()} for how) and is kept in the store.
 * Its entries are read from the stored bytes, which are checked against the manifest's pins on every read.
 */
@ProviderType
public interface VerifiedPackage {

    /** Lowercase hex SHA-256 of the package's bytes: its address in the store. */
    String id();

    PackageManifest manifest();

    VerificationReport report();

    /**
     * The content of a pinned entry.
     *
     * @throws PackageException when {@code path} is not pinned ({@link PackageException.Reason#MALFORMED}), or the
     *         stored bytes no longer match ({@link PackageException.Reason#TAMPERED})
     */
    byte[] read(String path);

    /** The content of the entrypoint module. */
    default byte[] entrypoint() {
        return read(manifest().entrypoint());
    }
}
