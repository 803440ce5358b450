package io.forgeone.pkg.internal;

import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.pkg.PackageException.Reason;
import io.forgeone.api.pkg.PackageManifest;
import io.forgeone.api.pkg.PackageStore;
import io.forgeone.api.pkg.VerificationReport;
import io.forgeone.api.pkg.VerifiedPackage;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packages by the SHA-256 of their bytes, as {@code <id>.forgepkg} files in a folder. A package is written there
 * only after it was accepted, whole (temporary file, then move).
 *
 * <p>Opening bytes the folder already holds skips inflating and digesting every entry up front; each entry is
 * still checked against its pin whenever it is read, so a file planted in the folder gains nothing. Signature
 * results are remembered in memory for the life of the component (they never change for the same bytes and key);
 * the trust decisions are made afresh at every open.
 */
@Component(service = PackageStore.class, configurationPid = "io.forgeone.pkg.store")
@Designate(ocd = StoreConfig.class)
public final class PackageStoreImpl implements PackageStore {
    private static final String SUFFIX = ".forgepkg";
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
    private static final Logger LOG = LoggerFactory.getLogger(PackageStoreImpl.class);

    private final Path directory;
    private final PackageVerifierImpl verifier;
    private final Map<String, Map<String, Boolean>> signatureResults;

    @Activate
    public PackageStoreImpl(StoreConfig config, @Reference PackageVerifierImpl verifier, BundleContext context) {
        this(TrustStoreImpl.resolve(config.directory(), context.getProperty("forge.var")), verifier,
                config.remembered_packages());
    }

    PackageStoreImpl(Path directory, PackageVerifierImpl verifier, int remembered) {
        this.directory = directory.toAbsolutePath().normalize();
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        int capacity = Math.max(1, remembered);
        this.signatureResults = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Map<String, Boolean>> eldest) {
                return size() > capacity;
            }
        });
    }

    @Override
    public VerifiedPackage open(Path pkg) {
        return open(PackageFiles.read(pkg, verifier.options().maxPackageSize()));
    }

    @Override
    public VerifiedPackage open(byte[] pkg) {
        String id = SafetyChecks.sha256Hex(pkg);
        Path file = directory.resolve(id + SUFFIX);
        boolean stored = Files.isRegularFile(file);
        PackageVerifierImpl.Outcome outcome = verifier.verify(pkg, id, stored,
                signatureResults.getOrDefault(id, Map.of()));
        VerificationReport report = outcome.report();
        if (!report.verdict().accepted()) {
            VerificationReport.Check failed = report.firstFailure().orElseThrow();
            throw new PackageException(failed.reason(), "package " + id.substring(0, 16) + "… refused: " + failed.name()
                    + ": " + failed.detail(), report, null);
        }
        signatureResults.put(id, outcome.signatureResults());
        PackageFacts facts = outcome.facts().orElseThrow();
        if (!stored) {
            try {
                Files.createDirectories(directory);
                PackageFiles.writeAtomically(file, pkg);
            } catch (IOException e) {
                throw new PackageException(Reason.IO, "cannot keep package " + id + " in " + directory + ": "
                        + e.getMessage(), e);
            }
            LOG.info("Stored package {} {} ({})", facts.manifest().name(), facts.manifest().version(), id);
        }
        return new Stored(facts, report);
    }

    @Override
    public List<String> list() {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return ids;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String id = name.substring(0, name.length() - SUFFIX.length());
                if (ID.matcher(id).matches()) {
                    ids.add(id);
                }
            }
        } catch (IOException e) {
            throw new PackageException(Reason.IO, "cannot list the package store " + directory + ": " + e.getMessage(), e);
        }
        Collections.sort(ids);
        return ids;
    }

    @Override
    public boolean remove(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a package id (64 lowercase hex digits): '" + id + "'");
        }
        signatureResults.remove(id);
        try {
            return Files.deleteIfExists(directory.resolve(id + SUFFIX));
        } catch (IOException e) {
            throw new PackageException(Reason.IO, "cannot remove package " + id + ": " + e.getMessage(), e);
        }
    }

    Path directory() {
        return directory;
    }

    /** A package the store accepted, read from memory. */
    private static final class Stored implements VerifiedPackage {
        private final PackageFacts facts;
        private final VerificationReport report;

        Stored(PackageFacts facts, VerificationReport report) {
            this.facts = facts;
            this.report = report;
        }

        @Override
        public String id() {
            return facts.id();
        }

        @Override
        public PackageManifest manifest() {
            return facts.manifest();
        }

        @Override
        public VerificationReport report() {
            return report;
        }

        @Override
        public byte[] read(String path) {
            return SafetyChecks.read(facts, path);
        }

        @Override
        public String toString() {
            return "VerifiedPackage[" + facts.manifest().name() + " " + facts.manifest().version() + ", " + facts.id() + "]";
        }
    }

    /** File reading and writing shared by the store and the builder. */
    static final class PackageFiles {
        private PackageFiles() {
        }

        static byte[] read(Path pkg, long maxSize) {
            try {
                long size = Files.size(pkg);
                if (size > maxSize) {
                    throw new PackageException(Reason.TOO_LARGE, pkg + " is " + size + " bytes, more than the limit of "
                            + maxSize);
                }
                byte[] bytes;
                try (java.io.InputStream in = Files.newInputStream(pkg)) {
                    bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, maxSize + 1));
                }
                if (bytes.length > maxSize) {
                    throw new PackageException(Reason.TOO_LARGE, pkg + " grew past the limit of " + maxSize + " bytes");
                }
                return bytes;
            } catch (NoSuchFileException e) {
                throw new PackageException(Reason.IO, "no such package file: " + pkg, e);
            } catch (IOException e) {
                throw new PackageException(Reason.IO, "cannot read " + pkg + ": " + e.getMessage(), e);
            }
        }

        static void writeAtomically(Path file, byte[] content) throws IOException {
            Path parent = file.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
            try {
                Files.write(tmp, content);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
