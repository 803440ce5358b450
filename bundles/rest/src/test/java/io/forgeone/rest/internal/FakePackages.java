package io.forgeone.rest.internal;

import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.pkg.PackageManifest;
import io.forgeone.api.pkg.PackageStore;
import io.forgeone.api.pkg.PackageVerifier;
import io.forgeone.api.pkg.VerificationMode;
import io.forgeone.api.pkg.VerificationReport;
import io.forgeone.api.pkg.VerifiedPackage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A mock package store and verifier: bytes starting with {@code GOOD} are accepted (and written to the folder as
 * the real store does), anything else is refused as tampered.
 */
final class FakePackages implements PackageStore, PackageVerifier {
    private final Path directory;

    FakePackages(Path directory) {
        this.directory = directory;
    }

    static PackageManifest manifest() {
        return new PackageManifest("hello", "1.0.0", "hello.wasm", List.of("wasi:stdout"), PackageManifest.Limits.DEFAULT,
                new PackageManifest.Publisher("acme", List.of("5c".repeat(32))), Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2027-01-01T00:00:00Z"), List.of(new PackageManifest.Entry("hello.wasm", "9f".repeat(32), 10)));
    }

    @Override
    public VerificationReport verify(byte[] pkg) {
        String id = PackageRoutes.sha256(pkg);
        boolean good = new String(pkg, StandardCharsets.ISO_8859_1).startsWith("GOOD");
        VerificationReport.Check check = good ? VerificationReport.Check.passed("signatures", "signed by acme")
                : VerificationReport.Check.failed("entries-pinned", PackageException.Reason.TAMPERED, "hello.wasm differs");
        return new VerificationReport(id, good ? manifest() : null, VerificationMode.ENFORCE, List.of(check),
                good ? VerificationReport.Verdict.VERIFIED : VerificationReport.Verdict.REJECTED, false);
    }

    @Override
    public VerificationMode mode() {
        return VerificationMode.ENFORCE;
    }

    @Override
    public VerifiedPackage open(Path pkg) {
        try {
            return open(Files.readAllBytes(pkg));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public VerifiedPackage open(byte[] pkg) {
        VerificationReport report = verify(pkg);
        if (!report.verdict().accepted()) {
            throw new PackageException(PackageException.Reason.TAMPERED, "package refused: entries-pinned", report, null);
        }
        try {
            Files.createDirectories(directory);
            Files.write(directory.resolve(report.packageId() + ".forgepkg"), pkg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new VerifiedPackage() {
            @Override
            public String id() {
                return report.packageId();
            }

            @Override
            public PackageManifest manifest() {
                return report.manifest();
            }

            @Override
            public VerificationReport report() {
                return report;
            }

            @Override
            public byte[] read(String path) {
                return new byte[0];
            }
        };
    }

    @Override
    public List<String> list() {
        List<String> ids = new ArrayList<>();
        try (var files = Files.list(directory)) {
            files.forEach(f -> ids.add(f.getFileName().toString().replace(".forgepkg", "")));
        } catch (IOException e) {
            return ids;
        }
        ids.sort(null);
        return ids;
    }

    @Override
    public boolean remove(String id) {
        try {
            return Files.deleteIfExists(directory.resolve(id + ".forgepkg"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
