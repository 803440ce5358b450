package io.forgeone.rest.internal;

import io.forgeone.api.auth.IssuedToken;
import io.forgeone.api.auth.Role;
import io.forgeone.api.auth.TokenInfo;
import io.forgeone.api.auth.TokenService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tokens in an owner-only text file, one per line: {@code <id> <role> <sha256> <created> <name>}. A token is
 * {@code fo1_<id>_<secret>} with 256 random bits of secret; the file keeps only the SHA-256 of the whole token, so
 * reading the file does not give a usable token (a slow hash buys nothing for a 256-bit random secret). The file
 * is reread when it changes, so tokens created or revoked by another process take effect at the next request.
 */
@Component(service = {TokenService.class, FileTokenStore.class}, configurationPid = "io.forgeone.rest.tokens")
@Designate(ocd = TokenStoreConfig.class)
public final class FileTokenStore implements TokenService {
    private static final Logger LOG = LoggerFactory.getLogger(FileTokenStore.class);
    private static final Pattern TOKEN = Pattern.compile("fo1_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
    private static final String HEADER = "# ForgeOne bearer tokens: id role sha256(token) created name\n";

    private final Path file;
    private final boolean bootstrapAdmin;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private Map<String, Entry> entries = new LinkedHashMap<>();
    private FileTime loadedTime;
    private long loadedSize = -1;

    private record Entry(TokenInfo info, byte[] hash) {
    }

    @Activate
    public FileTokenStore(TokenStoreConfig config, BundleContext context) {
        this(resolve(config.file(), context.getProperty("forge.home")), Clock.systemUTC(), config.bootstrap_admin());
    }

    /**
     * The first admin token, made by the server when it starts (not when the store is first used: {@code forge
     * token create} on a node that never ran must not leave an admin token behind), if the configuration allows.
     *
     * @return the file the token was written to, when this call made one
     */
    Optional<Path> bootstrapIfAllowed() {
        return bootstrapAdmin ? bootstrap() : Optional.empty();
    }

    /**
     * On a node without an admin token, creates the first admin token and writes it, owner-only, to
     * {@code admin.token} beside the token file: the one way in until someone holds a token. The log names the
     * file, never the token.
     */
    synchronized Optional<Path> bootstrap() {
        Path initial = file.resolveSibling("admin.token");
        // tokens made offline (forge token create) before the first start do not count unless one is an admin's
        if (Files.exists(initial) || list().stream().anyMatch(t -> t.role() == Role.ADMIN)) {
            return Optional.empty();
        }
        IssuedToken admin = create(Role.ADMIN, "bootstrap");
        try {
            Path tmp = Files.createTempFile(file.getParent(), ".admin", ".tmp");
            try {
                restrict(tmp);
                Files.writeString(tmp, admin.token() + "\n", StandardCharsets.UTF_8);
                Files.move(tmp, initial, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            revoke(admin.info().id());
            throw new UncheckedIOException("cannot write the first admin token to " + initial, e);
        }
        LOG.warn("No admin token was found: created admin token {} and wrote it to {} (owner-only). Read it, keep it, "
                + "delete the file.", admin.info().id(), initial);
        return Optional.of(initial);
    }

    private static void restrict(Path f) throws IOException {
        try {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            LOG.warn("{} has no POSIX permissions; protect it by other means", f);
        }
    }

    FileTokenStore(Path file, Clock clock) {
        this(file, clock, false);
    }

    FileTokenStore(Path file, Clock clock, boolean bootstrapAdmin) {
        this.file = file.toAbsolutePath().normalize();
        this.bootstrapAdmin = bootstrapAdmin;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    static Path resolve(String file, String home) {
        Path p = Path.of(file);
        if (p.isAbsolute()) {
            return p;
        }
        return (home == null || home.isBlank() ? Path.of("etc") : Path.of(home, "etc")).resolve(p);
    }

    Path file() {
        return file;
    }

    @Override
    public synchronized IssuedToken create(Role role, String name) {
        Objects.requireNonNull(role, "role");
        reload();
        String id;
        do {
            byte[] idBytes = new byte[8];
            random.nextBytes(idBytes);
            id = HexFormat.of().formatHex(idBytes);
        } while (entries.containsKey(id));
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = "fo1_" + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        java.util.Arrays.fill(secret, (byte) 0);
        TokenInfo info = new TokenInfo(id, name == null ? "" : name, role, clock.instant().truncatedTo(ChronoUnit.SECONDS));
        Map<String, Entry> next = new LinkedHashMap<>(entries);
        next.put(id, new Entry(info, sha256(token)));
        write(next);
        LOG.info("Created {} token {} ({}) in {}", role.id(), id, info.name(), file);
        return new IssuedToken(info, token);
    }

    @Override
    public synchronized List<TokenInfo> list() {
        reload();
        List<TokenInfo> out = new ArrayList<>();
        entries.values().forEach(e -> out.add(e.info()));
        return out;
    }

    @Override
    public synchronized boolean revoke(String id) {
        TokenInfo.requireId(id);
        reload();
        if (!entries.containsKey(id)) {
            return false;
        }
        Map<String, Entry> next = new LinkedHashMap<>(entries);
        next.remove(id);
        write(next);
        LOG.info("Revoked token {} in {}", id, file);
        return true;
    }

    @Override
    public Optional<TokenInfo> authenticate(String bearer) {
        if (bearer == null || bearer.length() > 128) {
            return Optional.empty();
        }
        java.util.regex.Matcher m = TOKEN.matcher(bearer);
        byte[] hash = sha256(bearer);
        Entry entry;
        synchronized (this) {
            reload();
            entry = m.matches() ? entries.get(m.group(1)) : null;
        }
        // compare even when there is no entry, so that the answer takes as long either way
        byte[] expected = entry == null ? new byte[hash.length] : entry.hash();
        boolean equal = MessageDigest.isEqual(hash, expected);
        return entry != null && equal ? Optional.of(entry.info()) : Optional.empty();
    }

    /** Rereads the file when its time or size changed; a bad line is skipped and logged, never fatal. */
    private void reload() {
        FileTime time;
        long size;
        try {
            time = Files.getLastModifiedTime(file);
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            if (!entries.isEmpty() || loadedSize != -1) {
                LOG.warn("Token file {} is gone: no token is valid now", file);
            }
            entries = new LinkedHashMap<>();
            loadedTime = null;
            loadedSize = -1;
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token file " + file, e);
        }
        if (time.equals(loadedTime) && size == loadedSize) {
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token file " + file, e);
        }
        Map<String, Entry> read = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" ", 5);
            try {
                if (f.length < 4 || !f[2].matches("[0-9a-f]{64}")) {
                    throw new IllegalArgumentException("expected: id role sha256 created [name]");
                }
                TokenInfo info = new TokenInfo(f[0], f.length == 5 ? f[4] : "", Role.parse(f[1]), Instant.parse(f[3]));
                read.put(info.id(), new Entry(info, HexFormat.of().parseHex(f[2])));
            } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
                LOG.warn("{}:{}: skipping a bad token line: {}", file, i + 1, e.getMessage());
            }
        }
        entries = read;
        loadedTime = time;
        loadedSize = size;
    }

    private void write(Map<String, Entry> next) {
        StringBuilder out = new StringBuilder(HEADER);
        for (Entry e : next.values()) {
            TokenInfo i = e.info();
            out.append(i.id()).append(' ').append(i.role().id()).append(' ').append(HexFormat.of().formatHex(e.hash()))
                    .append(' ').append(i.created()).append(' ').append(i.name()).append('\n');
        }
        try {
            Path dir = file.getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
            }
            Path tmp = Files.createTempFile(dir, ".tokens", ".tmp");
            try {
                restrict(tmp);
                Files.writeString(tmp, out, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the token file " + file, e);
        }
        entries = next;
        loadedTime = null;
        loadedSize = -1;
        reload();
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
