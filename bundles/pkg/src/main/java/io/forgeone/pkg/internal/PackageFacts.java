package io.forgeone.pkg.internal;

import io.forgeone.api.pkg.PackageManifest;
import java.util.List;

/**
 * What the safety checks established about a package's bytes: the facts the trust decisions are made on.
 *
 * @param id lowercase hex SHA-256 of the bytes
 * @param zip the package, read
 * @param manifest its manifest
 * @param manifestBytes the manifest's canonical bytes, which the signatures cover
 * @param signatures its signature entries, sorted by entry name
 */
record PackageFacts(String id, StrictZip zip, PackageManifest manifest, byte[] manifestBytes,
        List<SignatureFile> signatures) {

    /** A signature entry {@code signatures/<keyId>.<scheme>.sig}. */
    record SignatureFile(String keyId, String scheme, String entry, byte[] signature) {
    }
}
