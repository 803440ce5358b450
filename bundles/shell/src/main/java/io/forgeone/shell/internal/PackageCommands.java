package io.forgeone.shell.internal;

import io.forgeone.api.crypto.KeyCodec;
import io.forgeone.api.crypto.SignatureScheme;
import io.forgeone.api.pkg.PackageBuilder;
import io.forgeone.api.pkg.PackageInfo;
import io.forgeone.api.pkg.PackageManifest;
import io.forgeone.api.pkg.PackageVerifier;
import io.forgeone.api.pkg.VerificationReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Gogo commands for signed packages: {@code forge:pkg keygen|build|sign|verify|inspect}. Present when the package
 * and key services are. They return text; bad input is IllegalArgumentException, and the package layer's
 * PackageException (whose message names the entry, key or check) reaches the shell as it is.
 */
@Component(service = PackageCommands.class, property = {
    "osgi.command.scope=forge",
    "osgi.command.function=pkg"
})
public final class PackageCommands {
    static final String USAGE = "pkg keygen --alg ALG --out KEY.pem [--name NAME] [--force] | pkg build FOLDER"
            + " [--out APP.forgepkg] | pkg sign APP.forgepkg --key KEY.pem [--key KEY.pem]... | pkg verify"
            + " APP.forgepkg | pkg inspect APP.forgepkg";

    private final PackageBuilder builder;
    private final PackageVerifier verifier;
    private final KeyCodec codec;
    private final Map<SignatureScheme, String> schemes = new ConcurrentHashMap<>();

    @Activate
    public PackageCommands(@Reference PackageBuilder builder, @Reference PackageVerifier verifier,
            @Reference KeyCodec codec) {
        this.builder = builder;
        this.verifier = verifier;
        this.codec = codec;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindScheme(SignatureScheme scheme, Map<String, Object> properties) {
        Object name = properties.get(SignatureScheme.NAME_PROPERTY);
        schemes.put(scheme, name instanceof String s && !s.isEmpty() ? s : scheme.name());
    }

    void unbindScheme(SignatureScheme scheme) {
        schemes.remove(scheme);
    }

    @Descriptor("Signed packages (.forgepkg): 'pkg keygen --alg ALG --out KEY.pem [--name NAME] [--force]',"
            + " 'pkg build FOLDER [--out APP.forgepkg]', 'pkg sign APP.forgepkg --key KEY.pem...',"
            + " 'pkg verify APP.forgepkg', 'pkg inspect APP.forgepkg'")
    public String pkg(@Descriptor("keygen | build | sign | verify | inspect, then its arguments") String... args) {
        if (args == null || args.length == 0) {
            throw new IllegalArgumentException("forge:pkg needs a subcommand: " + USAGE);
        }
        switch (args[0]) {
            case "keygen":
                return keygen(ShellArgs.parse(args, 1, Set.of("--alg", "--out", "--name"), Set.of("--force")));
            case "build":
                return build(ShellArgs.parse(args, 1, Set.of("--out"), Set.of()));
            case "sign":
                return sign(ShellArgs.parse(args, 1, Set.of("--key"), Set.of()));
            case "verify":
                return verify(ShellArgs.parse(args, 1, Set.of(), Set.of()));
            case "inspect":
                return inspect(ShellArgs.parse(args, 1, Set.of(), Set.of()));
            default:
                throw new IllegalArgumentException("unknown subcommand '" + args[0]
                        + "' (expected keygen, build, sign, verify or inspect)");
        }
    }

    private String keygen(ShellArgs a) {
        String usage = "forge:pkg keygen --alg ALG --out KEY.pem [--name NAME] [--force]";
        if (!a.operands().isEmpty()) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        String alg = a.required("--alg", usage).toLowerCase(Locale.ROOT);
        Path out = Path.of(a.required("--out", usage)).toAbsolutePath();
        boolean force = a.flag("--force");
        SignatureScheme scheme = schemes.entrySet().stream().filter(e -> e.getValue().equals(alg))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown algorithm '" + alg + "' (installed: "
                        + String.join(", ", invert().keySet()) + ")"));
        String file = out.getFileName().toString();
        Path pub = out.resolveSibling((file.endsWith(".pem") ? file.substring(0, file.length() - 4) : file)
                + ".pub.pem");
        String name = a.value("--name") != null ? a.value("--name") : file.split("\\.", 2)[0];
        for (Path p : List.of(out, pub)) {
            if (!force && Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException(p + " already exists (add --force to replace it)");
            }
        }
        KeyPair pair = scheme.generate();
        try {
            byte[] pem = codec.writePrivateKey(pair.getPrivate());
            try {
                write(out, pem, true, force);
            } finally {
                Arrays.fill(pem, (byte) 0);
            }
            write(pub, codec.writePublicKey(pair.getPublic()).getBytes(StandardCharsets.US_ASCII), false, force);
        } finally {
            codec.destroy(pair.getPrivate());
        }
        return "key id     " + codec.keyId(pair.getPublic()) + "\n"
                + "algorithm  " + scheme.name() + "\n"
                + "name       " + name + "\n"
                + "private    " + out + " (owner only)\n"
                + "public     " + pub + "\n";
    }

    private Map<String, SignatureScheme> invert() {
        Map<String, SignatureScheme> byName = new TreeMap<>();
        schemes.forEach((s, n) -> byName.put(n, s));
        return byName;
    }

    /** Creates the file (owner-only from the start when secret, where POSIX permissions exist). */
    static void write(Path file, byte[] content, boolean secret, boolean force) {
        try {
            if (force) {
                Files.deleteIfExists(file);
            }
            boolean posix = Files.getFileStore(file.getParent()).supportsFileAttributeView(PosixFileAttributeView.class);
            FileAttribute<?>[] attrs = secret && posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------"))}
                    : new FileAttribute<?>[0];
            try (SeekableByteChannel ch = Files.newByteChannel(file,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private String build(ShellArgs a) {
        Path folder = Path.of(a.single("forge:pkg build FOLDER [--out APP.forgepkg]")).toAbsolutePath();
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(folder + ": no such folder");
        }
        PackageManifest m;
        Path out;
        if (a.value("--out") != null) {
            out = Path.of(a.value("--out")).toAbsolutePath();
            m = builder.build(folder, out);
        } else {
            // a shell has no working folder of its own: the package goes beside FOLDER, named after its manifest
            Path temp = folder.resolveSibling("." + folder.getFileName() + ".forgepkg.tmp");
            m = builder.build(folder, temp);
            out = folder.resolveSibling(m.name() + "-" + m.version().replaceAll("[^A-Za-z0-9._+-]", "_")
                    + ".forgepkg");
            try {
                Files.move(temp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
            }
        }
        return "built " + out + ": " + m.name() + " " + m.version() + ", " + m.entries().size() + " entries\n";
    }

    private String sign(ShellArgs a) {
        String usage = "forge:pkg sign APP.forgepkg --key KEY.pem [--key KEY.pem]...";
        Path pkg = Path.of(a.single(usage)).toAbsolutePath();
        List<String> keys = a.all("--key");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("--key is required (usage: " + usage + ")");
        }
        PackageInfo info = null;
        for (String key : keys) {
            info = builder.sign(pkg, Path.of(key).toAbsolutePath());
        }
        return "signed " + pkg + "\n" + signatures(info);
    }

    private String verify(ShellArgs a) {
        Path pkg = Path.of(a.single("forge:pkg verify APP.forgepkg")).toAbsolutePath();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(pkg);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + pkg + ": " + e.getMessage(), e);
        }
        return report(verifier.verify(bytes));
    }

    static String report(VerificationReport r) {
        StringBuilder out = new StringBuilder();
        out.append("id       ").append(r.packageId()).append('\n');
        out.append("mode     ").append(r.mode().name().toLowerCase(Locale.ROOT)).append('\n');
        for (VerificationReport.Check c : r.checks()) {
            out.append(String.format("  %-17s %-8s %s%n", c.name(), c.outcome().name().toLowerCase(Locale.ROOT),
                    c.detail()));
        }
        out.append("verdict  ").append(r.verdict().name().toLowerCase(Locale.ROOT));
        r.firstFailure().ifPresent(c -> out.append(" (").append(c.name()).append(": ").append(c.detail())
                .append(")"));
        return out.append('\n').toString();
    }

    private String inspect(ShellArgs a) {
        PackageInfo info = builder.inspect(Path.of(a.single("forge:pkg inspect APP.forgepkg")).toAbsolutePath());
        PackageManifest m = info.manifest();
        StringBuilder out = new StringBuilder();
        out.append("id           ").append(info.id()).append(" (").append(info.size()).append(" bytes)\n");
        out.append("name         ").append(m.name()).append(' ').append(m.version()).append('\n');
        out.append("publisher    ").append(m.publisher().name()).append(" (keys ")
                .append(String.join(", ", m.publisher().keys())).append(")\n");
        out.append("entrypoint   ").append(m.entrypoint()).append('\n');
        out.append("capabilities ").append(String.join(", ", m.capabilities())).append('\n');
        out.append("limits       ").append(m.limits().memoryPages()).append(" pages, timeout ")
                .append(m.limits().timeout().toMillis()).append(" ms\n");
        out.append("valid        ").append(m.created()).append(" to ").append(m.expires()).append('\n');
        out.append("entries:\n");
        for (PackageManifest.Entry e : m.entries()) {
            out.append(String.format("  %s  %10d  %s%n", e.sha256(), e.size(), e.path()));
        }
        out.append("signatures:\n").append(signatures(info));
        return out.toString();
    }

    private static String signatures(PackageInfo info) {
        if (info.signatures().isEmpty()) {
            return "  none (unsigned)\n";
        }
        StringBuilder out = new StringBuilder();
        for (PackageInfo.SignatureEntry s : info.signatures()) {
            out.append(String.format("  %s  %-18s %5d bytes%n", s.keyId(), s.scheme(), s.length()));
        }
        return out.toString();
    }
}
