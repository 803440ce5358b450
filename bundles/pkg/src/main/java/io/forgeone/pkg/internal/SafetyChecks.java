package io.forgeone.pkg.internal;

import static io.forgeone.api.pkg.VerificationReport.Check.ARCHIVE;
import static io.forgeone.api.pkg.VerificationReport.Check.ENTRIES_PINNED;
import static io.forgeone.api.pkg.VerificationReport.Check.ENTRY_NAMES;
import static io.forgeone.api.pkg.VerificationReport.Check.LIMITS;
import static io.forgeone.api.pkg.VerificationReport.Check.MANIFEST;
import static io.forgeone.api.pkg.VerificationReport.Check.NO_EXTRA_ENTRIES;

import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.pkg.PackageException.Reason;
import io.forgeone.api.pkg.PackageManifest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks that make a package safe to open, whatever the verification mode: zip structure, entry names,
 * limits, the manifest, the pins and nothing extra. All in memory; nothing touches the disk.
 */
final class SafetyChecks {
    private static final Pattern SIGNATURE_ENTRY = Pattern.compile("signatures/([0-9a-f]{64})\\.([a-z0-9-]{1,64})\\.sig");

    private SafetyChecks() {
    }

    /**
     * Runs the safety checks into {@code checks}.
     *
     * @param digests whether to inflate and digest every pinned entry; {@code false} when the store already holds
     *        these exact bytes (same SHA-256), so only the directory, manifest and signatures are read
     * @return the facts, or empty when a check failed
     */
    static Optional<PackageFacts> run(byte[] pkg, String id, VerifierOptions options, CheckList checks, boolean digests) {
        if (pkg.length > options.maxPackageSize()) {
            checks.fail(LIMITS, Reason.TOO_LARGE, "the package is " + pkg.length + " bytes, more than the limit of "
                    + options.maxPackageSize());
            return Optional.empty();
        }
        try {
            StrictZip zip = StrictZip.read(pkg, options.zip());
            checks.pass(ARCHIVE, zip.entries().size() + " entries; central directory and local headers agree");
            Map<String, StrictZip.Entry> byName = names(zip, checks);
            if (byName == null) {
                return Optional.empty();
            }
            long declared = zip.entries().stream().mapToLong(StrictZip.Entry::size).sum();
            checks.pass(LIMITS, zip.entries().size() + " entries declaring " + declared + " bytes, within limits ("
                    + options.zip().maxEntries() + " entries, " + options.zip().maxEntrySize() + " bytes each, "
                    + options.zip().maxTotalSize() + " in all)");

            StrictZip.Entry manifestEntry = byName.get(PackageManifest.MANIFEST_ENTRY);
            if (manifestEntry == null) {
                checks.fail(MANIFEST, Reason.MALFORMED, "no " + PackageManifest.MANIFEST_ENTRY + " entry");
                return Optional.empty();
            }
            if (manifestEntry.size() > options.maxManifestSize()) {
                checks.fail(MANIFEST, Reason.TOO_LARGE, PackageManifest.MANIFEST_ENTRY + " declares "
                        + manifestEntry.size() + " bytes, more than the limit of " + options.maxManifestSize());
                return Optional.empty();
            }
            byte[] manifestBytes = zip.content(manifestEntry, manifestEntry.size());
            PackageManifest manifest;
            try {
                manifest = parseCanonical(manifestBytes, PackageManifest.MANIFEST_ENTRY);
            } catch (PackageException e) {
                checks.fail(MANIFEST, e.reason(), e.getMessage());
                return Optional.empty();
            }
            checks.pass(MANIFEST, manifest.name() + " " + manifest.version() + " by " + manifest.publisher().name()
                    + "; canonical JSON");

            if (!pins(zip, byName, manifest, checks, digests)) {
                return Optional.empty();
            }
            List<PackageFacts.SignatureFile> signatures = new ArrayList<>();
            List<String> extra = new ArrayList<>();
            for (StrictZip.Entry e : zip.entries()) {
                if (e.name().equals(PackageManifest.MANIFEST_ENTRY) || manifest.entry(e.name()).isPresent()) {
                    continue;
                }
                Matcher m = SIGNATURE_ENTRY.matcher(e.name());
                if (!m.matches()) {
                    extra.add(e.name());
                    continue;
                }
                if (e.size() > options.maxSignatureSize()) {
                    checks.fail(LIMITS, Reason.TOO_LARGE, "signature entry '" + e.name() + "' declares " + e.size()
                            + " bytes, more than the limit of " + options.maxSignatureSize());
                    return Optional.empty();
                }
                signatures.add(new PackageFacts.SignatureFile(m.group(1), m.group(2), e.name(), zip.content(e, e.size())));
            }
            if (!extra.isEmpty()) {
                checks.fail(NO_EXTRA_ENTRIES, Reason.TAMPERED, "entries not listed in the manifest: " + extra);
                return Optional.empty();
            }
            checks.pass(NO_EXTRA_ENTRIES, "only the manifest, " + manifest.entries().size() + " pinned entries and "
                    + signatures.size() + " signature entries");
            signatures.sort((a, b) -> a.entry().compareTo(b.entry()));
            return Optional.of(new PackageFacts(id, zip, manifest, manifestBytes, List.copyOf(signatures)));
        } catch (ZipFormatException e) {
            checks.fail(e.check, e.reason, e.getMessage());
            return Optional.empty();
        }
    }

    /** Parses a package's manifest, which must be in canonical form byte for byte. */
    static PackageManifest parseCanonical(byte[] bytes, String source) {
        Object json;
        try {
            json = Json.parse(bytes);
        } catch (Json.JsonException e) {
            throw new PackageException(Reason.MALFORMED, source + ":" + e.getMessage(), e);
        }
        if (!Arrays.equals(bytes, Json.canonical(json))) {
            throw new PackageException(Reason.MALFORMED, source + ": not in canonical JSON form (sorted keys, no "
                    + "insignificant whitespace, minimal escapes), so signatures over it would be ambiguous");
        }
        return ManifestCodec.fromJson(json, source);
    }

    private static Map<String, StrictZip.Entry> names(StrictZip zip, CheckList checks) {
        Map<String, StrictZip.Entry> byName = new HashMap<>();
        Map<String, String> folded = new HashMap<>();
        for (StrictZip.Entry e : zip.entries()) {
            Optional<String> problem = PackageManifest.pathProblem(e.name());
            if (problem.isPresent()) {
                checks.fail(ENTRY_NAMES, Reason.MALFORMED, "entry '" + e.name() + "': " + problem.get());
                return null;
            }
            if (byName.put(e.name(), e) != null) {
                checks.fail(ENTRY_NAMES, Reason.MALFORMED, "duplicate entry '" + e.name() + "'");
                return null;
            }
            String other = folded.put(e.name().toLowerCase(Locale.ROOT), e.name());
            if (other != null) {
                checks.fail(ENTRY_NAMES, Reason.MALFORMED, "entries '" + other + "' and '" + e.name()
                        + "' differ only in case");
                return null;
            }
        }
        checks.pass(ENTRY_NAMES, "no duplicate, absolute, '..', backslash, drive-letter or directory names");
        return byName;
    }

    private static boolean pins(StrictZip zip, Map<String, StrictZip.Entry> byName, PackageManifest manifest,
            CheckList checks, boolean digests) throws ZipFormatException {
        MessageDigest sha256 = sha256();
        for (PackageManifest.Entry pin : manifest.entries()) {
            StrictZip.Entry e = byName.get(pin.path());
            if (e == null) {
                checks.fail(ENTRIES_PINNED, Reason.TAMPERED, "entry '" + pin.path() + "' is listed but missing");
                return false;
            }
            if (e.size() != pin.size()) {
                checks.fail(ENTRIES_PINNED, Reason.TAMPERED, "entry '" + pin.path() + "' declares " + e.size()
                        + " bytes; the manifest pins " + pin.size());
                return false;
            }
            if (!digests) {
                continue;
            }
            byte[] content = zip.content(e, pin.size());
            String actual = HexFormat.of().formatHex(sha256.digest(content));
            if (!actual.equals(pin.sha256())) {
                checks.fail(ENTRIES_PINNED, Reason.TAMPERED, "entry '" + pin.path() + "' has SHA-256 " + actual
                        + "; the manifest pins " + pin.sha256());
                return false;
            }
        }
        checks.pass(ENTRIES_PINNED, manifest.entries().size() + " entries match their SHA-256 and size"
                + (digests ? "" : " (digests checked when the store took these bytes)"));
        return true;
    }

    /** Reads one pinned entry of verified facts, checking it against its pin again. */
    static byte[] read(PackageFacts facts, String path) {
        PackageManifest.Entry pin = facts.manifest().entry(path).orElseThrow(() -> new PackageException(
                Reason.MALFORMED, "package " + facts.id() + " has no entry '" + path + "'"));
        StrictZip.Entry entry = facts.zip().entries().stream().filter(e -> e.name().equals(path)).findFirst()
                .orElseThrow(() -> new PackageException(Reason.TAMPERED, "package " + facts.id() + ": entry '" + path
                        + "' is missing"));
        try {
            byte[] content = facts.zip().content(entry, pin.size());
            String actual = HexFormat.of().formatHex(sha256().digest(content));
            if (!actual.equals(pin.sha256())) {
                throw new PackageException(Reason.TAMPERED, "package " + facts.id() + ": entry '" + path
                        + "' does not match its pin");
            }
            return content;
        } catch (ZipFormatException e) {
            throw new PackageException(e.reason, "package " + facts.id() + ": " + e.getMessage());
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }
}
