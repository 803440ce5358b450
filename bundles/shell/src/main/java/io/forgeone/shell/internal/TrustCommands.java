package io.forgeone.shell.internal;

import io.forgeone.api.crypto.PublicKeyInfo;
import io.forgeone.api.pkg.Revocation;
import io.forgeone.api.pkg.TrustStore;
import io.forgeone.api.pkg.TrustedKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Gogo commands for the node's trust store: {@code forge:trust list|add|revoke}. Listing is always there; adding
 * and revoking keys change what the node will run, so they stay off until configuration
 * ({@value #PID}, {@code enabled=true}) turns them on.
 */
@Component(service = TrustCommands.class, configurationPid = TrustCommands.PID, property = {
    "osgi.command.scope=forge",
    "osgi.command.function=trust"
})
@Designate(ocd = TrustCommandsConfig.class)
public final class TrustCommands {
    static final String PID = "io.forgeone.shell.trust";

    private final TrustStore store;
    private volatile boolean enabled;

    @Activate
    public TrustCommands(TrustCommandsConfig config, @Reference TrustStore store) {
        this.store = store;
        this.enabled = config.enabled();
    }

    @Modified
    void modified(TrustCommandsConfig config) {
        enabled = config.enabled();
    }

    @Descriptor("The node's trusted publisher keys: 'trust list', 'trust add --name PUBLISHER KEY.pub.pem',"
            + " 'trust revoke KEYID [--reason TEXT]' (add and revoke only when enabled in configuration " + PID + ")")
    public String trust(@Descriptor("list | add | revoke, then its arguments") String... args) {
        if (args == null || args.length == 0) {
            throw new IllegalArgumentException("forge:trust needs a subcommand: list, add or revoke");
        }
        switch (args[0]) {
            case "list":
                ShellArgs.parse(args, 1, Set.of(), Set.of()).operands().stream().findAny().ifPresent(x -> {
                    throw new IllegalArgumentException("usage: forge:trust list");
                });
                return list();
            case "add":
                requireEnabled("add");
                return add(ShellArgs.parse(args, 1, Set.of("--name"), Set.of()));
            case "revoke":
                requireEnabled("revoke");
                return revoke(ShellArgs.parse(args, 1, Set.of("--reason"), Set.of()));
            default:
                throw new IllegalArgumentException("unknown subcommand '" + args[0] + "' (expected list, add or revoke)");
        }
    }

    private void requireEnabled(String command) {
        if (!enabled) {
            throw new IllegalStateException("forge:trust " + command + " is off in the shell: it changes which"
                    + " packages this node runs. Turn it on with enabled=true in configuration " + PID
                    + " (a file deploy/" + PID + ".cfg), or run 'forge trust " + command
                    + "' on the node's command line");
        }
    }

    private String list() {
        List<TrustedKey> keys = store.list();
        StringBuilder out = new StringBuilder(String.format("%-20s %-18s %-64s %s%n", "PUBLISHER", "ALGORITHM",
                "KEY ID", "STATUS"));
        for (TrustedKey k : keys) {
            out.append(String.format("%-20s %-18s %s %s%n", k.name(), k.info().algorithm(), k.id(),
                    k.revoked() ? "revoked" : "trusted"));
        }
        for (Revocation r : store.revocations()) {
            if (keys.stream().noneMatch(k -> k.id().equals(r.keyId()))) {
                out.append("revoked, not in the store: ").append(r.keyId())
                        .append(r.reason().isEmpty() ? "" : "  " + r.reason()).append('\n');
            }
        }
        return out.toString();
    }

    private String add(ShellArgs a) {
        String usage = "forge:trust add --name PUBLISHER KEY.pub.pem";
        String name = a.required("--name", usage);
        Path file = Path.of(a.single(usage)).toAbsolutePath();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        // a private key handed here by mistake is refused before it becomes a String nobody can zero
        if (new String(bytes, StandardCharsets.ISO_8859_1).contains("PRIVATE KEY-----")) {
            Arrays.fill(bytes, (byte) 0);
            throw new IllegalArgumentException(file + " holds a private key; trust its public half (KEY.pub.pem)");
        }
        String pem = new String(bytes, StandardCharsets.US_ASCII);
        TrustedKey key = store.add(name, pem);
        return "trusted " + key.id() + " (" + key.info().algorithm() + ") for publisher " + key.name() + "\n";
    }

    private String revoke(ShellArgs a) {
        String keyId = PublicKeyInfo.requireKeyId(a.single("forge:trust revoke KEYID [--reason TEXT]"));
        String reason = a.value("--reason") == null ? "" : a.value("--reason");
        Revocation r = store.revoke(keyId, reason);
        return "revoked " + r.keyId() + (r.reason().isEmpty() ? "" : ": " + r.reason()) + "\n";
    }
}
