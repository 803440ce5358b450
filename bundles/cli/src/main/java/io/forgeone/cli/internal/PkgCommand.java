package io.forgeone.cli.internal;

import io.forgeone.api.crypto.CryptoException;
import io.forgeone.api.crypto.KeyCodec;
import io.forgeone.api.crypto.SignatureScheme;
import io.forgeone.api.pkg.PackageBuilder;
import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.pkg.PackageInfo;
import io.forgeone.api.pkg.PackageManifest;
import io.forgeone.api.pkg.PackageVerifier;
import io.forgeone.api.pkg.VerificationReport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code forge pkg keygen|build|sign|verify|inspect}. Output for people goes to stdout (or one JSON object with
 * {@code --json}); a failure is one line on stderr and an exit code: {@link Outcome#USAGE} for the command line,
 * {@link Outcome#exitCode(PackageException.Reason)} for the package layer's refusals, {@link Outcome#FAILED} for
 * the rest.
 */
final class PkgCommand {
    private static final Logger LOG = LoggerFactory.getLogger(PkgCommand.class);
    private static final Set<String> JSON = Set.of("--json");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final String SUFFIX = ".forgepkg";

    private final OptionalServices services;
    private final Terminal terminal;
    private final Path workDir;

    /** Why a subcommand stops early: its exit code and the line already made for stderr. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Outcome outcome;

        Stop(Outcome outcome) {
            super(outcome.message(), null, false, false);
            this.outcome = outcome;
        }
    }

    PkgCommand(OptionalServices services, Terminal terminal, Path workDir) {
        this.services = Objects.requireNonNull(services, "services");
        this.terminal = Objects.requireNonNull(terminal, "terminal");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
    }

    /** Runs the arguments after {@code pkg}; returns the process exit code. */
    int execute(List<String> args) {
        if (args.isEmpty()) {
            return usage("pkg needs a command: keygen, build, sign, verify or inspect", HelpText.PKG_HINT);
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        switch (command) {
            case "-h":
            case "--help":
                terminal.print(HelpText.pkg());
                return 0;
            case "keygen":
                return guarded(rest, "keygen", this::keygen);
            case "build":
                return guarded(rest, "build", this::build);
            case "sign":
                return guarded(rest, "sign", this::sign);
            case "verify":
                return guarded(rest, "verify", this::verify);
            case "inspect":
                return guarded(rest, "inspect", this::inspect);
            default:
                return usage("unknown pkg command '" + command + "' (expected keygen, build, sign, verify or inspect)",
                        HelpText.PKG_HINT);
        }
    }

    /** The page of a subcommand, or {@code null} when there is none. */
    String help(String command) {
        switch (command) {
            case "keygen":
                return HelpText.keygen(services.schemeNames(false));
            case "build":
                return HelpText.build();
            case "sign":
                return HelpText.sign();
            case "verify":
                return HelpText.verify();
            case "inspect":
                return HelpText.inspect();
            default:
                return null;
        }
    }

    private interface Body {
        int run(List<String> args);
    }

    private int guarded(List<String> args, String command, Body body) {
        try {
            return body.run(args);
        } catch (Stop e) {
            return report(e.outcome);
        } catch (PackageException e) {
            LOG.debug("forge pkg {} refused", command, e);
            return report(Outcome.of(e));
        } catch (CryptoException | OptionalServices.Unavailable e) {
            LOG.debug("forge pkg {} failed", command, e);
            return report(new Outcome(Outcome.FAILED, Outcome.PREFIX + Outcome.oneLine(e.getMessage())));
        }
    }

    private CommandLine parse(List<String> args, String command, Set<String> valued, Set<String> repeatable,
            Set<String> switches) {
        try {
            return CommandLine.parse(args, valued, repeatable, switches);
        } catch (IllegalArgumentException e) {
            throw usageStop(e.getMessage(), command);
        }
    }

    private int keygen(List<String> args) {
        CommandLine line = parse(args, "keygen", Set.of("--alg", "--out", "--name"), Set.of(),
                Set.of("--json", "--force"));
        if (line.help()) {
            terminal.print(help("keygen"));
            return 0;
        }
        String alg;
        Path out;
        try {
            line.noOperands("keygen");
            alg = line.required("--alg").toLowerCase(Locale.ROOT);
            out = workDir.resolve(line.required("--out"));
        } catch (IllegalArgumentException e) {
            throw usageStop(e.getMessage(), "keygen");
        }
        Path pub = publicKeyPath(out);
        String name = line.value("--name") != null ? line.value("--name") : stem(out);
        boolean force = line.flag("--force");
        SignatureScheme scheme = services.scheme(alg).orElseThrow(() -> {
            List<String> installed = services.schemeNames();
            return usageStop("unknown algorithm '" + alg + "' (installed: "
                    + (installed.isEmpty() ? "none" : String.join(", ", installed)) + ")", "keygen");
        });
        KeyCodec codec = services.get(KeyCodec.class);
        if (!force) {
            for (Path p : List.of(out, pub)) {
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw failStop(p + ": already exists (use --force to replace it)");
                }
            }
        }
        KeyPair pair = scheme.generate();
        String id;
        try {
            PublicKey publicKey = pair.getPublic();
            id = codec.keyId(publicKey);
            byte[] pem = codec.writePrivateKey(pair.getPrivate());
            try {
                writeNew(out, pem, true, force);
            } finally {
                Arrays.fill(pem, (byte) 0);
            }
            try {
                writeNew(pub, codec.writePublicKey(publicKey).getBytes(StandardCharsets.US_ASCII), false, force);
            } catch (RuntimeException e) {
                // half a pair is of no use and the private half should not linger
                deleteQuietly(out);
                throw e;
            }
        } finally {
            codec.destroy(pair.getPrivate());
        }
        if (line.flag("--json")) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", id);
            json.put("algorithm", scheme.name());
            json.put("postQuantum", scheme.isPostQuantum());
            json.put("name", name);
            json.put("privateKey", out.toString());
            json.put("publicKey", pub.toString());
            terminal.print(Json.write(json) + "\n");
        } else {
            terminal.print("key id     " + id + "\n"
                    + "algorithm  " + scheme.name() + (scheme.isPostQuantum() ? " (post-quantum)" : "") + "\n"
                    + "name       " + name + "\n"
                    + "private    " + out + " (owner only; keep it off the nodes)\n"
                    + "public     " + pub + "\n"
                    + "next: list the key id under publisher.keys in forge.json; on a node:"
                    + " forge trust add --name " + name + " " + pub + "\n");
        }
        return 0;
    }

    /** KEY.pem gives KEY.pub.pem; any other name gets .pub.pem added. */
    static Path publicKeyPath(Path privateKey) {
        String file = privateKey.getFileName().toString();
        String base = file.endsWith(".pem") ? file.substring(0, file.length() - 4) : file;
        return privateKey.resolveSibling(base + ".pub.pem");
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /**
     * Writes a file that must not exist (or is replaced with {@code force}); a secret one is created owner-only
     * from the start, so that its content is never readable by others, not even for a moment.
     */
    private static void writeNew(Path file, byte[] content, boolean secret, boolean force) {
        try {
            if (force) {
                Files.deleteIfExists(file);
            }
            boolean posix = Files.getFileStore(file.toAbsolutePath().getParent()).supportsFileAttributeView(
                    PosixFileAttributeView.class);
            FileAttribute<?>[] attrs = secret && posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                    : new FileAttribute<?>[0];
            try (SeekableByteChannel ch = Files.newByteChannel(file,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
            } catch (IOException e) {
                if (!(e instanceof FileAlreadyExistsException)) {
                    deleteQuietly(file);
                }
                throw e;
            }
            if (secret && !posix) {
                // no POSIX permissions here (Windows): the closest the JDK offers
                java.io.File f = file.toFile();
                boolean ok = f.setReadable(false, false) & f.setReadable(true, true)
                        & f.setWritable(false, false) & f.setWritable(true, true);
                if (!ok) {
                    LOG.warn("Cannot restrict the permissions of {} to its owner", file);
                }
            }
        } catch (FileAlreadyExistsException e) {
            throw failStop(file + ": already exists (use --force to replace it)");
        } catch (IOException e) {
            throw failStop("cannot write " + file + ": " + e.getMessage());
        }
    }

    private int build(List<String> args) {
        CommandLine line = parse(args, "build", Set.of("--out"), Set.of(), JSON);
        if (line.help()) {
            terminal.print(help("build"));
            return 0;
        }
        Path folder;
        try {
            folder = workDir.resolve(line.single("FOLDER"));
        } catch (IllegalArgumentException e) {
            throw usageStop(e.getMessage(), "build");
        }
        if (!Files.isDirectory(folder)) {
            throw new Stop(new Outcome(Outcome.exitCode(PackageException.Reason.IO), Outcome.PREFIX + folder
                    + (Files.exists(folder) ? ": not a folder" : ": no such folder") + " ["
                    + Outcome.label(PackageException.Reason.IO) + "]"));
        }
        PackageBuilder builder = services.get(PackageBuilder.class);
        PackageManifest manifest;
        Path out;
        if (line.value("--out") != null) {
            out = workDir.resolve(line.value("--out"));
            manifest = builder.build(folder, out);
        } else {
            // the name comes from forge.json, which only the builder reads: build beside, then name it
            Path temp = workDir.resolve(".forge-build-" + UUID.randomUUID() + SUFFIX);
            try {
                manifest = builder.build(folder, temp);
                out = workDir.resolve(defaultName(manifest));
                Files.move(temp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw failStop("cannot write the package in " + workDir + ": " + e.getMessage());
            } finally {
                deleteQuietly(temp);
            }
        }
        if (line.flag("--json")) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("package", out.toString());
            json.put("manifest", manifestJson(manifest));
            terminal.print(Json.write(json) + "\n");
        } else {
            terminal.print("built " + out + ": " + manifest.name() + " " + manifest.version() + ", "
                    + manifest.entries().size() + (manifest.entries().size() == 1 ? " entry" : " entries")
                    + ", entrypoint " + manifest.entrypoint() + ", expires " + manifest.expires() + "\n"
                    + "next: forge pkg sign " + out + " --key KEY.pem (a key of publisher "
                    + manifest.publisher().name() + ": " + String.join(", ", manifest.publisher().keys()) + ")\n");
        }
        return 0;
    }

    /** NAME-VERSION.forgepkg, with any character of the version that does not belong in a file name as '_'. */
    static String defaultName(PackageManifest manifest) {
        return manifest.name() + "-" + manifest.version().replaceAll("[^A-Za-z0-9._+-]", "_") + SUFFIX;
    }

    private int sign(List<String> args) {
        CommandLine line = parse(args, "sign", Set.of("--key"), Set.of("--key"), JSON);
        if (line.help()) {
            terminal.print(help("sign"));
            return 0;
        }
        Path pkg;
        List<Path> keys = new ArrayList<>();
        try {
            pkg = workDir.resolve(line.single("APP.forgepkg"));
            for (String key : line.values("--key")) {
                keys.add(workDir.resolve(key));
            }
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("--key is required");
            }
        } catch (IllegalArgumentException e) {
            throw usageStop(e.getMessage(), "sign");
        }
        PackageBuilder builder = services.get(PackageBuilder.class);
        PackageInfo info = null;
        for (Path key : keys) {
            warnIfExposed(key);
            info = builder.sign(pkg, key);
        }
        if (line.flag("--json")) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("package", pkg.toString());
            json.put("id", info.id());
            json.put("signatures", signaturesJson(info));
            terminal.print(Json.write(json) + "\n");
        } else {
            StringBuilder text = new StringBuilder("signed " + pkg + " (" + info.signatures().size()
                    + (info.signatures().size() == 1 ? " signature" : " signatures") + ")\n");
            appendSignatures(text, info);
            terminal.print(text.toString());
        }
        return 0;
    }

    /** As ssh does for its keys: a private key others can read is no longer private; say so, but go on. */
    private void warnIfExposed(Path key) {
        try {
            if (Files.getFileAttributeView(key, PosixFileAttributeView.class) != null) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(key);
                if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                    terminal.error("forge: warning: " + key + " is readable by others (chmod 600 " + key + ")");
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            // the builder reads the key next and reports a missing or unreadable file itself
            LOG.debug("Cannot read the permissions of {}", key, e);
        }
    }

    private int verify(List<String> args) {
        CommandLine line = parse(args, "verify", Set.of(), Set.of(), JSON);
        if (line.help()) {
            terminal.print(help("verify"));
            return 0;
        }
        Path pkg;
        try {
            pkg = workDir.resolve(line.single("APP.forgepkg"));
        } catch (IllegalArgumentException e) {
            throw usageStop(e.getMessage(), "verify");
        }
        byte[] bytes = read(pkg);
        VerificationReport report = services.get(PackageVerifier.class).verify(bytes);
        if (line.flag("--json")) {
            terminal.print(Json.write(reportJson(pkg, report)) + "\n");
        } else {
            terminal.print(reportText(pkg, report));
        }
        Outcome outcome = verdictOutcome(pkg, report);
        if (outcome.message() != null) {
            terminal.error(outcome.message());
        }
        return outcome.exitCode();
    }

    /** 0 only when verified; otherwise the first failed check's reason, or 1 when nothing was checked. */
    static Outcome verdictOutcome(Path pkg, VerificationReport report) {
        if (report.verdict() == VerificationReport.Verdict.VERIFIED) {
            return new Outcome(0, null);
        }
        if (report.verdict() == VerificationReport.Verdict.UNVERIFIED) {
            return new Outcome(Outcome.FAILED, Outcome.PREFIX + pkg + ": authenticity not checked: the node's"
                    + " verification mode is off (configuration io.forgeone.pkg.verifier)");
        }
        String what = report.verdict() == VerificationReport.Verdict.AUDITED
                ? " accepted only because the verification mode is audit: " : " rejected: ";
        return report.firstFailure()
                .map(c -> new Outcome(Outcome.exitCode(c.reason()), Outcome.PREFIX + pkg + what + "check " + c.name()
                        + " failed: " + Outcome.oneLine(c.detail()) + " [" + Outcome.label(c.reason()) + "]"))
                .orElse(new Outcome(Outcome.FAILED, Outcome.PREFIX + pkg + what + "no failed check was reported"));
    }

    private int inspect(List<String> args) {
        CommandLine line = parse(args, "inspect", Set.of(), Set.of(), JSON);
        if (line.help()) {
            terminal.print(help("inspect"));
            return 0;
        }
        Path pkg;
        try {
            pkg = workDir.resolve(line.single("APP.forgepkg"));
        } catch (IllegalArgumentException e) {
            throw usageStop(e.getMessage(), "inspect");
        }
        PackageInfo info = services.get(PackageBuilder.class).inspect(pkg);
        if (line.flag("--json")) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("package", pkg.toString());
            json.put("id", info.id());
            json.put("size", info.size());
            json.put("manifest", manifestJson(info.manifest()));
            json.put("signatures", signaturesJson(info));
            terminal.print(Json.write(json) + "\n");
            return 0;
        }
        PackageManifest m = info.manifest();
        StringBuilder text = new StringBuilder();
        field(text, "package", pkg.toString());
        field(text, "id", info.id());
        field(text, "size", info.size() + " bytes");
        manifestText(text, m);
        text.append("entries:\n");
        for (PackageManifest.Entry e : m.entries()) {
            text.append(String.format("  %s  %10d  %s%n", e.sha256(), e.size(), e.path()));
        }
        text.append("signatures:").append(info.signatures().isEmpty() ? " none (unsigned)\n" : "\n");
        appendSignatures(text, info);
        terminal.print(text.toString());
        return 0;
    }

    private byte[] read(Path pkg) {
        try {
            if (Files.size(pkg) > Integer.MAX_VALUE - 16) {
                throw new Stop(new Outcome(Outcome.exitCode(PackageException.Reason.TOO_LARGE), Outcome.PREFIX + pkg
                        + ": too large to verify [" + Outcome.label(PackageException.Reason.TOO_LARGE) + "]"));
            }
            return Files.readAllBytes(pkg);
        } catch (IOException e) {
            String why = e instanceof NoSuchFileException ? "no such file" : e.toString();
            throw new Stop(new Outcome(Outcome.exitCode(PackageException.Reason.IO), Outcome.PREFIX + pkg
                    + ": cannot read: " + why + " [" + Outcome.label(PackageException.Reason.IO) + "]"));
        }
    }

    static String reportText(Path pkg, VerificationReport report) {
        StringBuilder text = new StringBuilder();
        field(text, "package", pkg.toString());
        field(text, "id", report.packageId());
        if (report.manifest() != null) {
            PackageManifest m = report.manifest();
            field(text, "manifest", m.name() + " " + m.version() + ", publisher " + m.publisher().name());
        }
        field(text, "mode", report.mode().name().toLowerCase(Locale.ROOT) + (report.fromStore()
                ? " (digests and signatures from the node's store)" : ""));
        text.append("checks:\n");
        for (VerificationReport.Check c : report.checks()) {
            text.append(String.format("  %-17s %-8s %s%n", c.name(), c.outcome().name().toLowerCase(Locale.ROOT),
                    Outcome.oneLine(c.detail())));
        }
        field(text, "verdict", report.verdict().name().toLowerCase(Locale.ROOT));
        return text.toString();
    }

    static Map<String, Object> reportJson(Path pkg, VerificationReport report) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("package", pkg.toString());
        json.put("id", report.packageId());
        json.put("mode", report.mode().name().toLowerCase(Locale.ROOT));
        json.put("verdict", report.verdict().name().toLowerCase(Locale.ROOT));
        json.put("fromStore", report.fromStore());
        List<Object> checks = new ArrayList<>();
        for (VerificationReport.Check c : report.checks()) {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("name", c.name());
            check.put("outcome", c.outcome().name().toLowerCase(Locale.ROOT));
            check.put("detail", c.detail());
            check.put("reason", c.reason() == null ? null : Outcome.label(c.reason()));
            checks.add(check);
        }
        json.put("checks", checks);
        json.put("manifest", report.manifest() == null ? null : manifestJson(report.manifest()));
        return json;
    }

    private static void manifestText(StringBuilder text, PackageManifest m) {
        field(text, "name", m.name());
        field(text, "version", m.version());
        field(text, "publisher", m.publisher().name());
        field(text, "publisher keys", String.join(", ", m.publisher().keys()));
        field(text, "entrypoint", m.entrypoint());
        field(text, "capabilities", m.capabilities().isEmpty() ? "none" : String.join(", ", m.capabilities()));
        field(text, "limits", "memory " + Outcome.formatPages(m.limits().memoryPages()) + " ("
                + m.limits().memoryPages() + " pages), timeout " + Outcome.formatDuration(m.limits().timeout()));
        m.run().ifPresent(run -> field(text, "run", "engine " + run.engineName().orElse("(node default)")
                + ", on deploy " + (run.onDeploy() ? "yes" : "no") + ", rollover " + (run.rollover() ? "yes" : "no")
                + run.snapshotEntry().map(snap -> ", snapshot " + snap).orElse("")));
        field(text, "created", m.created().toString());
        field(text, "expires", m.expires().toString());
    }

    static Map<String, Object> manifestJson(PackageManifest m) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", m.name());
        json.put("version", m.version());
        json.put("entrypoint", m.entrypoint());
        json.put("capabilities", m.capabilities());
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("memoryPages", m.limits().memoryPages());
        limits.put("timeoutMs", m.limits().timeout().toMillis());
        json.put("limits", limits);
        m.run().ifPresent(run -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("engine", run.engine());
            r.put("onDeploy", run.onDeploy());
            r.put("rollover", run.rollover());
            r.put("snapshot", run.snapshot());
            json.put("run", r);
        });
        Map<String, Object> publisher = new LinkedHashMap<>();
        publisher.put("name", m.publisher().name());
        publisher.put("keys", m.publisher().keys());
        json.put("publisher", publisher);
        json.put("created", m.created().toString());
        json.put("expires", m.expires().toString());
        List<Object> entries = new ArrayList<>();
        for (PackageManifest.Entry e : m.entries()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("path", e.path());
            entry.put("sha256", e.sha256());
            entry.put("size", e.size());
            entries.add(entry);
        }
        json.put("entries", entries);
        return json;
    }

    private static List<Object> signaturesJson(PackageInfo info) {
        List<Object> list = new ArrayList<>();
        for (PackageInfo.SignatureEntry s : info.signatures()) {
            Map<String, Object> sig = new LinkedHashMap<>();
            sig.put("keyId", s.keyId());
            sig.put("scheme", s.scheme());
            sig.put("entry", s.entry());
            sig.put("length", s.length());
            list.add(sig);
        }
        return list;
    }

    private static void appendSignatures(StringBuilder text, PackageInfo info) {
        for (PackageInfo.SignatureEntry s : info.signatures()) {
            text.append(String.format("  %s  %-18s %5d bytes%n", s.keyId(), s.scheme(), s.length()));
        }
    }

    private static void field(StringBuilder text, String name, String value) {
        text.append(String.format("%-15s %s%n", name, value));
    }

    private int report(Outcome outcome) {
        if (outcome.message() != null) {
            terminal.error(outcome.message());
        }
        return outcome.exitCode();
    }

    private int usage(String problem, String hint) {
        terminal.error(Outcome.PREFIX + problem + " (" + hint + ")");
        return Outcome.USAGE;
    }

    private static Stop usageStop(String problem, String command) {
        return new Stop(new Outcome(Outcome.USAGE, Outcome.PREFIX + problem + " (see 'forge pkg " + command
                + " --help')"));
    }

    private static Stop failStop(String problem) {
        return new Stop(new Outcome(Outcome.FAILED, Outcome.PREFIX + problem));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", file, e.getMessage());
        }
    }
}
