package io.forgeone.cli.internal;

import io.forgeone.api.crypto.CryptoException;
import io.forgeone.api.crypto.PublicKeyInfo;
import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.pkg.Revocation;
import io.forgeone.api.pkg.TrustStore;
import io.forgeone.api.pkg.TrustedKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code forge trust add|list|revoke}: the node's trust store, changed directly by the operator who runs the
 * command (the Gogo versions that change it are off until configured; this one is the operator's own hand).
 */
final class TrustCommand {
    private static final Logger LOG = LoggerFactory.getLogger(TrustCommand.class);
    /** A publisher's name becomes a file name in the trust store, so it is checked here, with the manifest's rule. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Set<String> JSON = Set.of("--json");

    private final OptionalServices services;
    private final Terminal terminal;
    private final Path workDir;

    TrustCommand(OptionalServices services, Terminal terminal, Path workDir) {
        this.services = Objects.requireNonNull(services, "services");
        this.terminal = Objects.requireNonNull(terminal, "terminal");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
    }

    int execute(List<String> args) {
        if (args.isEmpty()) {
            return usage("trust needs a command: add, list or revoke", HelpText.TRUST_HINT);
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        try {
            switch (command) {
                case "-h":
                case "--help":
                    terminal.print(HelpText.trust());
                    return 0;
                case "add":
                    return add(rest);
                case "list":
                    return list(rest);
                case "revoke":
                    return revoke(rest);
                default:
                    return usage("unknown trust command '" + command + "' (expected add, list or revoke)",
                            HelpText.TRUST_HINT);
            }
        } catch (PackageException e) {
            LOG.debug("forge trust {} refused", command, e);
            return report(Outcome.of(e));
        } catch (CryptoException | OptionalServices.Unavailable e) {
            LOG.debug("forge trust {} failed", command, e);
            return report(new Outcome(Outcome.FAILED, Outcome.PREFIX + Outcome.oneLine(e.getMessage())));
        }
    }

    static String help(String command) {
        switch (command) {
            case "add":
                return HelpText.trustAdd();
            case "list":
                return HelpText.trustList();
            case "revoke":
                return HelpText.trustRevoke();
            default:
                return null;
        }
    }

    private int add(List<String> args) {
        CommandLine line;
        String name;
        Path file;
        try {
            line = CommandLine.parse(args, Set.of("--name"), Set.of(), JSON);
            if (line.help()) {
                terminal.print(HelpText.trustAdd());
                return 0;
            }
            name = line.required("--name");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("publisher name must be 1..128 of [A-Za-z0-9._-] starting with a"
                        + " letter or digit, was '" + name + "'");
            }
            file = workDir.resolve(line.single("KEY.pub.pem"));
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage(), "see 'forge trust add --help'");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            String why = e instanceof NoSuchFileException ? "no such file" : e.toString();
            return report(new Outcome(Outcome.exitCode(PackageException.Reason.IO), Outcome.PREFIX + file
                    + ": cannot read: " + why + " [" + Outcome.label(PackageException.Reason.IO) + "]"));
        }
        if (contains(bytes, "PRIVATE KEY-----".getBytes(StandardCharsets.US_ASCII))) {
            // never hand a private key to the store, whose files are meant to be shared; nor keep it as a String
            Arrays.fill(bytes, (byte) 0);
            return report(new Outcome(Outcome.exitCode(PackageException.Reason.MALFORMED), Outcome.PREFIX + file
                    + ": holds a private key; trust its public half (KEY.pub.pem from forge pkg keygen) ["
                    + Outcome.label(PackageException.Reason.MALFORMED) + "]"));
        }
        String pem = new String(bytes, StandardCharsets.US_ASCII);
        TrustStore store = services.get(TrustStore.class);
        TrustedKey key = store.add(name, pem);
        if (line.flag("--json")) {
            Map<String, Object> json = keyJson(key);
            json.put("directory", store.directory().toString());
            terminal.print(Json.write(json) + "\n");
        } else {
            terminal.print("trusted " + key.id() + " (" + key.info().algorithm() + ") for publisher " + key.name()
                    + " in " + store.directory() + (key.revoked() ? "\nwarning: this key id is revoked; packages it"
                    + " signs are still refused" : "") + "\n");
        }
        return 0;
    }

    private int list(List<String> args) {
        CommandLine line;
        try {
            line = CommandLine.parse(args, Set.of(), Set.of(), JSON);
            if (line.help()) {
                terminal.print(HelpText.trustList());
                return 0;
            }
            line.noOperands("trust list");
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage(), "see 'forge trust list --help'");
        }
        TrustStore store = services.get(TrustStore.class);
        List<TrustedKey> keys = store.list();
        List<Revocation> revocations = store.revocations();
        if (line.flag("--json")) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("directory", store.directory().toString());
            List<Object> list = new ArrayList<>();
            keys.forEach(k -> list.add(keyJson(k)));
            json.put("keys", list);
            List<Object> revoked = new ArrayList<>();
            for (Revocation r : revocations) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("keyId", r.keyId());
                entry.put("reason", r.reason());
                revoked.add(entry);
            }
            json.put("revocations", revoked);
            terminal.print(Json.write(json) + "\n");
            return 0;
        }
        terminal.print(listText(store.directory(), keys, revocations));
        return 0;
    }

    static String listText(Path directory, List<TrustedKey> keys, List<Revocation> revocations) {
        StringBuilder text = new StringBuilder();
        if (keys.isEmpty()) {
            text.append("no trusted keys in ").append(directory).append('\n');
        } else {
            text.append(String.format("%-20s %-18s %-64s %s%n", "PUBLISHER", "ALGORITHM", "KEY ID", "STATUS"));
            for (TrustedKey k : keys) {
                text.append(String.format("%-20s %-18s %s %s%n", k.name(), k.info().algorithm(), k.id(),
                        k.revoked() ? "revoked" : "trusted"));
            }
        }
        if (!revocations.isEmpty()) {
            Set<String> stored = keys.stream().map(TrustedKey::id).collect(Collectors.toSet());
            text.append("revoked:\n");
            for (Revocation r : revocations) {
                text.append("  ").append(r.keyId()).append(stored.contains(r.keyId()) ? "" : " (not in the store)")
                        .append(r.reason().isEmpty() ? "" : "  " + r.reason()).append('\n');
            }
        }
        return text.toString();
    }

    private int revoke(List<String> args) {
        CommandLine line;
        String keyId;
        String reason;
        try {
            line = CommandLine.parse(args, Set.of("--reason"), Set.of(), JSON);
            if (line.help()) {
                terminal.print(HelpText.trustRevoke());
                return 0;
            }
            keyId = PublicKeyInfo.requireKeyId(line.single("KEYID"));
            reason = line.value("--reason") == null ? "" : line.value("--reason");
            if (reason.indexOf('\n') >= 0 || reason.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("--reason must be one line");
            }
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage(), "see 'forge trust revoke --help'");
        }
        TrustStore store = services.get(TrustStore.class);
        Revocation revocation = store.revoke(keyId, reason);
        String owner = store.find(keyId).map(TrustedKey::name).orElse(null);
        if (line.flag("--json")) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("keyId", revocation.keyId());
            json.put("reason", revocation.reason());
            json.put("publisher", owner);
            json.put("directory", store.directory().toString());
            terminal.print(Json.write(json) + "\n");
        } else {
            terminal.print("revoked " + revocation.keyId() + (owner == null ? " (not in the store)"
                    : " (publisher " + owner + ")") + (revocation.reason().isEmpty() ? "" : ": " + revocation.reason())
                    + "\npackages it signs are refused from now on\n");
        }
        return 0;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static Map<String, Object> keyJson(TrustedKey k) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", k.id());
        json.put("name", k.name());
        json.put("algorithm", k.info().algorithm());
        json.put("revoked", k.revoked());
        return json;
    }

    private int report(Outcome outcome) {
        terminal.error(outcome.message());
        return outcome.exitCode();
    }

    private int usage(String problem, String hint) {
        terminal.error(Outcome.PREFIX + problem + " (" + hint + ")");
        return Outcome.USAGE;
    }
}
