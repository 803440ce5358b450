package io.forgeone.cli.internal;

import io.forgeone.api.auth.IssuedToken;
import io.forgeone.api.auth.Role;
import io.forgeone.api.auth.TokenInfo;
import io.forgeone.api.auth.TokenService;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code forge token create|list|revoke}: the node's bearer tokens in etc/tokens, through the
 * {@link TokenService} of this command's own framework (the rest bundle's token store), so it works whether or
 * not the node runs; a running node sees the change at its next request.
 */
final class TokenCommand {
    static final String HINT = "see 'forge token --help'";

    private final OptionalServices services;
    private final Terminal terminal;

    TokenCommand(OptionalServices services, Terminal terminal) {
        this.services = Objects.requireNonNull(services, "services");
        this.terminal = Objects.requireNonNull(terminal, "terminal");
    }

    int execute(List<String> args) {
        if (args.isEmpty()) {
            return usage("token needs a command: create, list or revoke");
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        try {
            switch (command) {
                case "-h":
                case "--help":
                    terminal.print(help());
                    return 0;
                case "create":
                    return create(rest);
                case "list":
                    return list(rest);
                case "revoke":
                    return revoke(rest);
                default:
                    return usage("unknown token command '" + command + "' (expected create, list or revoke)");
            }
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        } catch (OptionalServices.Unavailable | UncheckedIOException e) {
            terminal.error(Outcome.PREFIX + Outcome.oneLine(e.getMessage()));
            return Outcome.FAILED;
        }
    }

    private int usage(String problem) {
        terminal.error(Outcome.PREFIX + problem + " (" + HINT + ")");
        return Outcome.USAGE;
    }

    private int create(List<String> args) {
        CommandLine line = CommandLine.parse(args, Set.of("--role", "--name"), Set.of(), Set.of());
        if (line.help()) {
            terminal.print(help());
            return 0;
        }
        line.noOperands("token create");
        Role role = Role.parse(line.required("--role"));
        String name = line.value("--name") == null ? "" : line.value("--name");
        IssuedToken issued = services.get(TokenService.class).create(role, name);
        terminal.print(issued.token() + "\n");
        terminal.error("forge: created " + role.id() + " token " + issued.info().id()
                + (name.isEmpty() ? "" : " (" + name + ")") + "; it is shown only now, the node keeps its hash");
        return 0;
    }

    private int list(List<String> args) {
        CommandLine line = CommandLine.parse(args, Set.of(), Set.of(), Set.of());
        if (line.help()) {
            terminal.print(help());
            return 0;
        }
        line.noOperands("token list");
        List<TokenInfo> tokens = services.get(TokenService.class).list();
        StringBuilder out = new StringBuilder(String.format("%-16s  %-8s  %-20s  %s%n", "ID", "ROLE", "CREATED", "NAME"));
        for (TokenInfo t : tokens) {
            out.append(String.format("%-16s  %-8s  %-20s  %s%n", t.id(), t.role().id(), t.created(), t.name()));
        }
        terminal.print(out.toString());
        return 0;
    }

    private int revoke(List<String> args) {
        CommandLine line = CommandLine.parse(args, Set.of(), Set.of(), Set.of());
        if (line.help()) {
            terminal.print(help());
            return 0;
        }
        String id = TokenInfo.requireId(line.single("token id"));
        if (!services.get(TokenService.class).revoke(id)) {
            terminal.error(Outcome.PREFIX + "no token " + id + " ('forge token list' shows them)");
            return Outcome.FAILED;
        }
        terminal.print("revoked " + id + "\n");
        return 0;
    }

    static String help() {
        return "Usage: forge token COMMAND [ARGS...]\n"
                + "\n"
                + "The node's bearer tokens for its REST API, kept as SHA-256 hashes in etc/tokens (owner-only).\n"
                + "These commands work on that file whether or not the node runs; a running node sees a change at\n"
                + "its next request.\n"
                + "\n"
                + "Commands:\n"
                + "  create --role ROLE [--name NAME]   Create a token and print it on stdout, once; ROLE is\n"
                + "                                     viewer (read), operator (also run, stop, upload) or admin\n"
                + "                                     (also tokens and certificates); NAME labels it [default: none]\n"
                + "  list                               Every token: id, role, created, name (never the secret)\n"
                + "  revoke ID                          Revoke a token by its id\n"
                + "\n"
                + "Examples:\n"
                + "  TOKEN=$(forge token create --role operator --name ci)\n"
                + "  curl -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:8080/v1/containers\n"
                + "  forge token revoke 3f0c1a2b4d5e6f70\n"
                + "\n"
                + "Exit status: 0 done, 1 the token file cannot be written or no such token, 2 usage.\n";
    }
}
