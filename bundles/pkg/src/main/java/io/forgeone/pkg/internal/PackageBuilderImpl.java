package io.forgeone.pkg.internal;

import io.forgeone.api.crypto.CryptoException;
import io.forgeone.api.crypto.KeyCodec;
import io.forgeone.api.crypto.SignatureScheme;
import io.forgeone.api.pkg.PackageBuilder;
import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.pkg.PackageException.Reason;
import io.forgeone.api.pkg.PackageInfo;
import io.forgeone.api.pkg.PackageManifest;
import io.forgeone.api.pkg.VerificationReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds packages from folders, signs them and inspects them. Packages are laid out as the verifier wants them:
 * {@code forge.json} first, then the pinned entries and the signatures, each group sorted by name, all with one
 * fixed timestamp, so the same input gives the same bytes.
 */
@Component(service = PackageBuilder.class, configurationPid = "io.forgeone.pkg.builder")
@Designate(ocd = BuilderConfig.class)
public final class PackageBuilderImpl implements PackageBuilder {
    private static final byte[] WASM_MAGIC = {0, 'a', 's', 'm'};
    private static final Logger LOG = LoggerFactory.getLogger(PackageBuilderImpl.class);

    private final Duration defaultValidity;
    private final KeyCodec codec;
    private final PackageVerifierImpl verifier;
    private final Clock clock;

    @Activate
    public PackageBuilderImpl(BuilderConfig config, @Reference KeyCodec codec, @Reference PackageVerifierImpl verifier) {
        this(Duration.ofDays(Math.max(1, config.default_validity_days())), codec, verifier, Clock.systemUTC());
    }

    PackageBuilderImpl(Duration defaultValidity, KeyCodec codec, PackageVerifierImpl verifier, Clock clock) {
        this.defaultValidity = Objects.requireNonNull(defaultValidity, "defaultValidity");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public PackageManifest build(Path sourceFolder, Path output) {
        Path source = sourceFolder.toAbsolutePath().normalize();
        Path manifestFile = source.resolve(PackageManifest.MANIFEST_ENTRY);
        if (!Files.isRegularFile(manifestFile, LinkOption.NOFOLLOW_LINKS)) {
            throw new PackageException(Reason.MALFORMED, "no " + PackageManifest.MANIFEST_ENTRY + " in " + source);
        }
        VerifierOptions limits = verifier.options();
        Map<String, byte[]> contents = files(source, limits);
        List<PackageManifest.Entry> entries = new ArrayList<>();
        contents.forEach((path, bytes) -> entries.add(new PackageManifest.Entry(path, SafetyChecks.sha256Hex(bytes),
                bytes.length)));
        byte[] sourceJson = readFile(manifestFile, limits.maxManifestSize());
        Object json;
        try {
            json = Json.parse(sourceJson);
        } catch (Json.JsonException e) {
            throw new PackageException(Reason.MALFORMED, manifestFile + ":" + e.getMessage(), e);
        }
        ManifestCodec.Defaults defaults = new ManifestCodec.Defaults(
                clock.instant().truncatedTo(ChronoUnit.SECONDS), defaultValidity);
        PackageManifest manifest = ManifestCodec.fromSource(json, manifestFile.toString(), defaults, entries);
        byte[] module = contents.get(manifest.entrypoint());
        if (module.length < 4 || !Arrays.equals(Arrays.copyOf(module, 4), WASM_MAGIC)) {
            throw new PackageException(Reason.MALFORMED, "entrypoint '" + manifest.entrypoint()
                    + "' is not a WebAssembly module (no \\0asm header)");
        }
        ZipWriter zip = new ZipWriter().add(PackageManifest.MANIFEST_ENTRY, ManifestCodec.canonical(manifest));
        contents.forEach(zip::add);
        byte[] pkg = zip.finish();
        requireSafe(pkg, output);
        write(output, pkg);
        LOG.info("Built {} {} ({} entries) into {}", manifest.name(), manifest.version(), entries.size(), output);
        return manifest;
    }

    @Override
    public PackageInfo sign(Path pkg, PrivateKey key) {
        Objects.requireNonNull(key, "key");
        byte[] bytes = PackageStoreImpl.PackageFiles.read(pkg, verifier.options().maxPackageSize());
        PackageFacts facts = requireSafe(bytes, pkg);
        String schemeName;
        String keyId;
        try {
            schemeName = codec.algorithm(key);
            keyId = codec.keyId(codec.publicKeyOf(key));
        } catch (CryptoException e) {
            throw new PackageException(Reason.MALFORMED, "cannot sign " + pkg + ": " + e.getMessage(), e);
        }
        if (!facts.manifest().publisher().keys().contains(keyId)) {
            throw new PackageException(Reason.UNTRUSTED_KEY, "cannot sign " + pkg + ": key " + keyId
                    + " is not among the publisher keys its manifest lists " + facts.manifest().publisher().keys());
        }
        SignatureScheme scheme = verifier.scheme(schemeName);
        if (scheme == null) {
            throw new PackageException(Reason.UNTRUSTED_KEY, "cannot sign " + pkg + ": no " + schemeName
                    + " signature scheme is available");
        }
        byte[] signature = scheme.sign(key, facts.manifestBytes());

        ZipWriter zip = new ZipWriter().add(PackageManifest.MANIFEST_ENTRY, facts.manifestBytes());
        for (PackageManifest.Entry e : facts.manifest().entries()) {
            zip.add(e.path(), SafetyChecks.read(facts, e.path()));
        }
        Map<String, byte[]> signatures = new TreeMap<>();
        for (PackageFacts.SignatureFile s : facts.signatures()) {
            if (!s.keyId().equals(keyId)) {
                signatures.put(s.entry(), s.signature());
            }
        }
        signatures.put(PackageManifest.SIGNATURES_FOLDER + keyId + "." + schemeName + ".sig", signature);
        signatures.forEach(zip::add);
        byte[] signed = zip.finish();
        PackageFacts after = requireSafe(signed, pkg);
        write(pkg, signed);
        LOG.info("Signed {} with {} key {}", pkg, schemeName, keyId);
        return info(after, signed.length);
    }

    @Override
    public PackageInfo sign(Path pkg, Path privateKeyPem) {
        byte[] pem = readFile(privateKeyPem, 1024 * 1024);
        PrivateKey key = null;
        try {
            key = codec.readPrivateKey(pem);
        } catch (CryptoException e) {
            throw new PackageException(Reason.MALFORMED, privateKeyPem + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(pem, (byte) 0);
        }
        try {
            return sign(pkg, key);
        } finally {
            codec.destroy(key);
        }
    }

    @Override
    public PackageInfo inspect(Path pkg) {
        byte[] bytes = PackageStoreImpl.PackageFiles.read(pkg, verifier.options().maxPackageSize());
        return info(requireSafe(bytes, pkg), bytes.length);
    }

    private static PackageInfo info(PackageFacts facts, long size) {
        List<PackageInfo.SignatureEntry> signatures = facts.signatures().stream()
                .map(s -> new PackageInfo.SignatureEntry(s.keyId(), s.scheme(), s.entry(), s.signature().length)).toList();
        return new PackageInfo(facts.id(), size, facts.manifest(), signatures);
    }

    private PackageFacts requireSafe(byte[] pkg, Path name) {
        CheckList checks = new CheckList();
        Optional<PackageFacts> facts = verifier.safety(pkg, checks);
        if (facts.isEmpty()) {
            VerificationReport.Check failed = checks.firstFailure();
            throw new PackageException(failed.reason(), name + ": " + failed.name() + ": " + failed.detail());
        }
        return facts.get();
    }

    /** Every regular file under the folder but the manifest, by entry path, sorted. */
    private static Map<String, byte[]> files(Path source, VerifierOptions limits) {
        Map<String, byte[]> out = new TreeMap<>();
        long[] total = {0};
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(source)) {
                    continue;
                }
                String path = source.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                if (Files.isSymbolicLink(p)) {
                    throw new PackageException(Reason.MALFORMED, p + " is a symbolic link; packages hold only regular files");
                }
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || path.equals(PackageManifest.MANIFEST_ENTRY)) {
                    continue;
                }
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw new PackageException(Reason.MALFORMED, p + " is not a regular file");
                }
                Optional<String> problem = PackageManifest.pathProblem(path);
                if (problem.isPresent() || path.startsWith(PackageManifest.SIGNATURES_FOLDER)) {
                    throw new PackageException(Reason.MALFORMED, "cannot package " + p + ": "
                            + problem.orElse("signatures/ is reserved for signatures"));
                }
                if (out.size() + 1 >= limits.zip().maxEntries()) {
                    throw new PackageException(Reason.TOO_LARGE, source + " holds more files than a package may ("
                            + (limits.zip().maxEntries() - 1) + ")");
                }
                byte[] content = readFile(p, limits.zip().maxEntrySize());
                total[0] += content.length;
                if (total[0] > limits.zip().maxTotalSize()) {
                    throw new PackageException(Reason.TOO_LARGE, source + " holds more than "
                            + limits.zip().maxTotalSize() + " bytes");
                }
                out.put(path, content);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new PackageException(Reason.IO, "cannot read " + source + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static byte[] readFile(Path file, long max) {
        try {
            long size = Files.size(file);
            if (size > max) {
                throw new PackageException(Reason.TOO_LARGE, file + " is " + size + " bytes, more than the limit of " + max);
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new PackageException(Reason.IO, "no such file: " + file, e);
        } catch (IOException e) {
            throw new PackageException(Reason.IO, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path output, byte[] pkg) {
        try {
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            PackageStoreImpl.PackageFiles.writeAtomically(output, pkg);
        } catch (IOException e) {
            throw new PackageException(Reason.IO, "cannot write " + output + ": " + e.getMessage(), e);
        }
    }

}
