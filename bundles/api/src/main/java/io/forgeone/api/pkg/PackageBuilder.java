package io.forgeone.api.pkg;

import java.nio.file.Path;
import java.security.PrivateKey;
import org.osgi.annotation.versioning.ProviderType;

/** Builds, signs and inspects packages. Every file is written whole or not at all (temporary file, then move). */
@ProviderType
public interface PackageBuilder {

    /**
     * Builds an unsigned package from a folder holding {@code forge.json} and the modules and assets. Every other
     * regular file under the folder becomes an entry, pinned by SHA-256 and size; symbolic links are refused.
     * In {@code forge.json}, {@code created} defaults to now and {@code expires} to the builder's default
     * validity after it, {@code limits} to {@link PackageManifest.Limits#DEFAULT}; {@code entries} is computed.
     * The same folder and times give the same bytes.
     *
     * @throws PackageException ({@link PackageException.Reason#MALFORMED}) naming the file, line and column of
     *         a bad {@code forge.json}, or a bad file name; ({@link PackageException.Reason#IO}) when a file cannot be
     *         read or written
     */
    PackageManifest build(Path sourceFolder, Path output);

    /**
     * Adds a signature over the manifest by {@code key}, replacing an earlier one by the same key; other signatures
     * are kept, so a package can be signed by several keys. The key must be listed in the manifest's publisher keys.
     *
     * @throws PackageException ({@link PackageException.Reason#UNTRUSTED_KEY}) when the manifest does not list the
     *         key; ({@link PackageException.Reason#MALFORMED}) when the package is not well formed
     */
    PackageInfo sign(Path pkg, PrivateKey key);

    /**
     * As {@link #sign(Path, PrivateKey)}, reading the key from a PKCS#8 PEM file; the key and every copy of its
     * bytes are destroyed or zeroed before this returns.
     */
    PackageInfo sign(Path pkg, Path privateKeyPem);

    /**
     * Reads a package's manifest and signature entries after the safety checks, making no trust decision.
     *
     * @throws PackageException when the package is not well formed, over a limit, or unreadable
     */
    PackageInfo inspect(Path pkg);
}
