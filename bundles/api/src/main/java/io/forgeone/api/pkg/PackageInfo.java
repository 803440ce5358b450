package io.forgeone.api.pkg;

import java.util.List;
import java.util.Objects;

/**
 * What a package holds, read without any trust decision.
 *
 * @param id lowercase hex SHA-256 of the package's bytes
 * @param size the package's length in bytes
 * @param manifest its manifest
 * @param signatures its signature entries, sorted by entry name
 */
public record PackageInfo(String id, long size, PackageManifest manifest, List<SignatureEntry> signatures) {
    public PackageInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(manifest, "manifest");
        signatures = List.copyOf(Objects.requireNonNull(signatures, "signatures"));
    }

    /**
     * A signature entry.
     *
     * @param keyId the signing key's id
     * @param scheme the signature scheme's name
     * @param entry the entry's name, {@code signatures/<keyId>.<scheme>.sig}
     * @param length the signature's length in bytes
     */
    public record SignatureEntry(String keyId, String scheme, String entry, int length) {
        public SignatureEntry {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(scheme, "scheme");
            Objects.requireNonNull(entry, "entry");
        }
    }
}
