package io.forgeone.cli.internal;

import io.forgeone.api.auth.CertificateInfo;
import io.forgeone.api.auth.IssuedCertificate;
import io.forgeone.api.auth.NodeCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code forge cert ca|issue|list}: the node's certificate authority for mutual TLS (etc/tls), through the
 * {@link NodeCertificates} service of this command's own framework, with or without the node running.
 */
final class CertCommand {
    static final String HINT = "see 'forge cert --help'";
    private static final int DEFAULT_DAYS = 365;

    private final OptionalServices services;
    private final Terminal terminal;
    private final Path workDir;

    CertCommand(OptionalServices services, Terminal terminal, Path workDir) {
        this.services = Objects.requireNonNull(services, "services");
        this.terminal = Objects.requireNonNull(terminal, "terminal");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
    }

    int execute(List<String> args) {
        if (args.isEmpty()) {
            return usage("cert needs a command: ca, issue or list");
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        try {
            switch (command) {
                case "-h":
                case "--help":
                    terminal.print(help());
                    return 0;
                case "ca":
                    return ca(rest);
                case "issue":
                    return issue(rest);
                case "list":
                    return list(rest);
                default:
                    return usage("unknown cert command '" + command + "' (expected ca, issue or list)");
            }
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        } catch (OptionalServices.Unavailable | UncheckedIOException | IllegalStateException e) {
            terminal.error(Outcome.PREFIX + Outcome.oneLine(e.getMessage()));
            return Outcome.FAILED;
        }
    }

    private int usage(String problem) {
        terminal.error(Outcome.PREFIX + problem + " (" + HINT + ")");
        return Outcome.USAGE;
    }

    private int ca(List<String> args) {
        CommandLine line = CommandLine.parse(args, Set.of(), Set.of(), Set.of());
        if (line.help()) {
            terminal.print(help());
            return 0;
        }
        line.noOperands("cert ca");
        NodeCertificates ca = services.get(NodeCertificates.class);
        terminal.print(ca.caCertificatePem());
        terminal.error("forge: the node's CA is " + ca.directory().resolve("ca.pem") + " (made at first use)");
        return 0;
    }

    private int issue(List<String> args) {
        CommandLine line = CommandLine.parse(args, Set.of("--client", "--days", "--out"), Set.of(), Set.of());
        if (line.help()) {
            terminal.print(help());
            return 0;
        }
        line.noOperands("cert issue");
        String name = line.required("--client");
        int days = DEFAULT_DAYS;
        if (line.value("--days") != null) {
            try {
                days = Integer.parseInt(line.value("--days"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--days must be a whole number of days, was '"
                        + line.value("--days") + "'", e);
            }
        }
        Path out = line.value("--out") == null ? workDir : workDir.resolve(line.value("--out"));
        if (!Files.isDirectory(out)) {
            terminal.error(Outcome.PREFIX + "--out " + out + " is not a directory");
            return Outcome.FAILED;
        }
        Path certFile = out.resolve(name + ".pem");
        Path keyFile = out.resolve(name + ".key");
        Path caFile = out.resolve("ca.pem");
        for (Path p : List.of(certFile, keyFile)) {
            if (Files.exists(p)) {
                terminal.error(Outcome.PREFIX + p + " exists already; move it away or choose another --out");
                return Outcome.FAILED;
            }
        }
        NodeCertificates ca = services.get(NodeCertificates.class);
        IssuedCertificate issued = ca.issueClient(name, Duration.ofDays(days));
        try {
            writeNew(keyFile, issued.privateKeyPem(), true);
            writeNew(certFile, issued.certificatePem(), false);
            Files.writeString(caFile, ca.caCertificatePem(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the certificate files in " + out + ": " + e.getMessage(), e);
        }
        terminal.print("certificate " + certFile + "\nkey " + keyFile + " (owner-only)\nca " + caFile + "\n");
        terminal.error("forge: issued client certificate " + name + " (serial " + issued.serial() + ") until "
                + issued.notAfter());
        return 0;
    }

    private static void writeNew(Path file, String content, boolean secret) throws IOException {
        try {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(file + " appeared meanwhile", e);
        }
        if (secret) {
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the key is as safe as the folder it is in
            }
        }
        Files.writeString(file, content, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private int list(List<String> args) {
        CommandLine line = CommandLine.parse(args, Set.of(), Set.of(), Set.of());
        if (line.help()) {
            terminal.print(help());
            return 0;
        }
        line.noOperands("cert list");
        List<CertificateInfo> issued = services.get(NodeCertificates.class).issued();
        StringBuilder out = new StringBuilder(String.format("%-32s  %-20s  %-20s  %s%n", "SERIAL", "ISSUED", "EXPIRES",
                "NAME"));
        for (CertificateInfo c : issued) {
            out.append(String.format("%-32s  %-20s  %-20s  %s%n", c.serial(), c.notBefore(), c.notAfter(), c.name()));
        }
        terminal.print(out.toString());
        return 0;
    }

    static String help() {
        return "Usage: forge cert COMMAND [ARGS...]\n"
                + "\n"
                + "The node's own certificate authority for mutual TLS on its REST API (etc/tls: ca.pem and the\n"
                + "owner-only ca.key, made at first use). With tls=true in etc/io.forgeone.rest.cfg the node serves\n"
                + "HTTPS and admits only clients holding a certificate from this CA; a bearer token is still needed.\n"
                + "These commands work with or without the node running.\n"
                + "\n"
                + "Commands:\n"
                + "  ca                                 Print the CA certificate (PEM) that clients should trust\n"
                + "  issue --client NAME [--days N] [--out DIR]\n"
                + "                                     Issue a client certificate: writes DIR/NAME.pem, the\n"
                + "                                     owner-only DIR/NAME.key (kept nowhere else) and DIR/ca.pem\n"
                + "                                     [default: 365 days, the current directory]\n"
                + "  list                               The client certificates issued: serial, dates, name\n"
                + "\n"
                + "Examples:\n"
                + "  forge cert issue --client alice --out ~/.forge\n"
                + "  curl --cacert ~/.forge/ca.pem --cert ~/.forge/alice.pem --key ~/.forge/alice.key \\\n"
                + "       -H \"Authorization: Bearer $TOKEN\" https://127.0.0.1:8080/v1/version\n"
                + "\n"
                + "Exit status: 0 done, 1 the files cannot be written (or exist already), 2 usage.\n";
    }
}
