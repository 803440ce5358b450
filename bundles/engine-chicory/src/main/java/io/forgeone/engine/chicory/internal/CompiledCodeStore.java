package io.forgeone.engine.chicory.internal;

import com.dylibso.chicory.wasm.Version;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chicory's compiled output for a module (its generated JVM classes, in the form Chicory stores them), kept on disk
 * by the module's SHA-256, so that a fresh JVM running a module that ran before defines its classes instead of
 * generating them again: generating them is most of the time a cold JVM takes to get a module running.
 *
 * <p>The classes read from here are defined in this JVM with this bundle's rights, so the directory must be writable
 * by the node's user only, like the rest of the node's state: it is created owner-only ({@code rwx------} where the
 * file system has POSIX permissions), and one that group or others may write is not used at all. The checksums in
 * each entry catch damage (a truncated or corrupted file, an entry filed under another module), not tampering:
 * whoever can write the directory can run code in the node. (The JVM still verifies the classes as it does generated
 * ones.)
 *
 * <p>An entry is written whole to a temporary file that is then moved into place atomically, so readers and
 * concurrent writers (other processes on the same directory) only ever see complete entries; there is no fsync, as a
 * file a crash damaged fails its checksum and is replaced. Nothing here fails a compilation: I/O problems and damaged
 * entries are logged at debug level and count as misses. The least recently used entries are deleted when the
 * directory grows past its bound. Thread-safe.
 */
final class CompiledCodeStore {

    private static final Logger LOG = LoggerFactory.getLogger(CompiledCodeStore.class);

    /**
     * Raise when the entry layout or anything that shapes the compiled code and is not in Chicory's version changes
     * (the compiler options {@link ModuleCompiler} uses): entries of other format versions are not read.
     */
    static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = "ForgeOne compiled wasm\n".getBytes(StandardCharsets.US_ASCII);
    private static final int SHA256_SIZE = 32;
    private static final int MAX_VERSION_SIZE = 200;
    private static final String SUFFIX = ".classes";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final String ENGINE_PART = "-chicory-";
    private static final int HEX_SHA256_SIZE = 2 * SHA256_SIZE;
    /** A temporary file this old was left by a writer that died; live writers take milliseconds. */
    private static final long STALE_TEMP_MILLIS = 60 * 60 * 1000;
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private final Path dir;
    private final long maxBytes;
    private final String chicoryVersion;
    /** {@code -chicory-VERSION-fFORMAT.classes}: entries of other versions are other files, never misread. */
    private final String nameSuffix;

    private CompiledCodeStore(Path dir, long maxBytes, String chicoryVersion) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.chicoryVersion = chicoryVersion;
        this.nameSuffix = ENGINE_PART + fileNamePart(chicoryVersion) + "-f" + FORMAT_VERSION + SUFFIX;
    }

    /**
     * The store in {@code dir}, which is created owner-only if missing; empty (with a warning saying why) when the
     * directory cannot be created or is not safe to load code from: the engine then compiles every time.
     *
     * @param maxBytes most bytes the entries may take together
     */
    static Optional<CompiledCodeStore> open(Path dir, long maxBytes) {
        Objects.requireNonNull(dir, "dir");
        if (maxBytes <= 0) {
            return Optional.empty();
        }
        String problem;
        try {
            createOwnerOnly(dir);
            problem = unsafe(dir);
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            problem = "cannot create or inspect it: " + e;
        }
        if (problem != null) {
            LOG.warn("No disk cache of compiled modules in {}, modules are compiled in every process: {}", dir,
                    problem);
            return Optional.empty();
        }
        return Optional.of(new CompiledCodeStore(dir, maxBytes, Version.version()));
    }

    /** Where the entry for module {@code sha256} is, whether or not there is one. */
    Path entryFile(String sha256) {
        return dir.resolve(sha256 + nameSuffix);
    }

    /**
     * The compiled output stored for module {@code sha256}, checked to be whole and to belong to that module and to
     * this Chicory version; empty if there is none or it is unsound (logged at debug level).
     */
    Optional<byte[]> read(String sha256) {
        Path file = entryFile(sha256);
        byte[] entry;
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                LOG.debug("Ignoring disk cache entry {}: {} bytes, more than the cache may hold", file, size);
                return Optional.empty();
            }
            entry = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | SecurityException e) {
            LOG.debug("Cannot read disk cache entry {}, compiling instead", file, e);
            return Optional.empty();
        }
        Decoded decoded = decode(entry, sha256);
        if (decoded.problem() != null) {
            LOG.debug("Ignoring disk cache entry {} ({} bytes): {}; it is replaced after compiling", file,
                    entry.length, decoded.problem());
            return Optional.empty();
        }
        touch(file);
        return Optional.of(decoded.payload());
    }

    /**
     * Stores {@code payload} as the compiled output of module {@code sha256}, replacing any entry there, then
     * deletes the least recently used entries beyond the bound. Failures are logged at debug level only.
     */
    void write(String sha256, byte[] payload) {
        Path file = entryFile(sha256);
        byte[] entry = encode(sha256, payload);
        if (entry.length > maxBytes) {
            LOG.debug("Not keeping module {} on disk: {} bytes, more than the cache may hold ({} bytes)",
                    sha256, entry.length, maxBytes);
            return;
        }
        Path temp = null;
        try {
            // rw------- where POSIX; unique, so that concurrent writers of the same entry never share a file
            temp = Files.createTempFile(dir, file.getFileName() + ".", TEMP_SUFFIX);
            Files.write(temp, entry);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            temp = null;
            LOG.debug("Kept compiled module {} on disk: {} ({} bytes)", sha256, file, entry.length);
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            // e.g. another process's move got there first where the file system does not replace atomically
            LOG.debug("Cannot write disk cache entry {}; the module is compiled again in the next process", file, e);
        } finally {
            if (temp != null) {
                deleteQuietly(temp);
            }
        }
        evictBeyondBound();
    }

    private byte[] encode(String sha256, byte[] payload) {
        byte[] version = chicoryVersion.getBytes(StandardCharsets.UTF_8);
        ByteBuffer entry = ByteBuffer.allocate(MAGIC.length + Integer.BYTES + Short.BYTES + version.length
                + 2 * SHA256_SIZE + Integer.BYTES + payload.length);
        entry.put(MAGIC)
                .putInt(FORMAT_VERSION)
                .putShort((short) version.length)
                .put(version)
                .put(HexFormat.of().parseHex(sha256))
                .put(Sha256.digest(payload))
                .putInt(payload.length)
                .put(payload);
        return entry.array();
    }

    /** An entry's payload, or why it cannot be used. */
    private record Decoded(byte[] payload, String problem) {
        static Decoded unsound(String problem) {
            return new Decoded(null, problem);
        }
    }

    private Decoded decode(byte[] bytes, String sha256) {
        ByteBuffer entry = ByteBuffer.wrap(bytes);
        try {
            byte[] magic = new byte[MAGIC.length];
            entry.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                return Decoded.unsound("not an entry of this cache");
            }
            int format = entry.getInt();
            if (format != FORMAT_VERSION) {
                return Decoded.unsound("format version " + format + ", not " + FORMAT_VERSION);
            }
            int versionSize = Short.toUnsignedInt(entry.getShort());
            if (versionSize > MAX_VERSION_SIZE) {
                return Decoded.unsound("damaged header");
            }
            byte[] version = new byte[versionSize];
            entry.get(version);
            String written = new String(version, StandardCharsets.UTF_8);
            if (!written.equals(chicoryVersion)) {
                return Decoded.unsound("compiled by Chicory " + written + ", not " + chicoryVersion);
            }
            byte[] module = new byte[SHA256_SIZE];
            entry.get(module);
            if (!Arrays.equals(module, HexFormat.of().parseHex(sha256))) {
                return Decoded.unsound("it belongs to module " + HexFormat.of().formatHex(module));
            }
            byte[] payloadHash = new byte[SHA256_SIZE];
            entry.get(payloadHash);
            int size = entry.getInt();
            if (size != entry.remaining()) {
                return Decoded.unsound("truncated or extended: " + entry.remaining() + " bytes of content, not "
                        + size);
            }
            byte[] payload = new byte[size];
            entry.get(payload);
            if (!Arrays.equals(Sha256.digest(payload), payloadHash)) {
                return Decoded.unsound("content does not match its SHA-256");
            }
            return new Decoded(payload, null);
        } catch (BufferUnderflowException e) {
            return Decoded.unsound("truncated header");
        }
    }

    /** Marks the entry as just used, for eviction; best effort. */
    private static void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException | SecurityException e) {
            LOG.debug("Cannot mark disk cache entry {} as used; it may be evicted early", file, e);
        }
    }

    private record Listed(Path file, long size, FileTime lastUsed) {
    }

    /** Deletes the least recently used entries until the rest fit the bound, and temporary files writers left. */
    private void evictBeyondBound() {
        List<Listed> entries = new ArrayList<>();
        long total = 0;
        FileTime staleBefore = FileTime.fromMillis(System.currentTimeMillis() - STALE_TEMP_MILLIS);
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir)) {
            for (Path file : listing) {
                String name = file.getFileName().toString();
                if (!ours(name)) {
                    continue;
                }
                boolean entry = name.endsWith(SUFFIX);
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException e) {
                    continue; // deleted by another process meanwhile
                }
                if (!attributes.isRegularFile()) {
                    continue;
                }
                if (entry) {
                    entries.add(new Listed(file, attributes.size(), attributes.lastModifiedTime()));
                    total += attributes.size();
                } else if (attributes.lastModifiedTime().compareTo(staleBefore) < 0) {
                    deleteQuietly(file);
                }
            }
        } catch (IOException | DirectoryIteratorException | SecurityException e) {
            LOG.debug("Cannot list the disk cache {} to bound its size", dir, e);
            return;
        }
        if (total <= maxBytes) {
            return;
        }
        entries.sort(Comparator.comparing(Listed::lastUsed));
        for (Listed listed : entries) {
            if (total <= maxBytes) {
                break;
            }
            deleteQuietly(listed.file());
            total -= listed.size();
            LOG.debug("Evicted {} ({} bytes) from the disk cache", listed.file().getFileName(), listed.size());
        }
    }

    /**
     * Whether a file is one this class writes (an entry or a temporary file, of any Chicory or format version), so
     * that it may count and delete it. (No regular expressions: they cost a cold JVM milliseconds on every hit.)
     */
    private static boolean ours(String name) {
        if (name.length() <= HEX_SHA256_SIZE || !name.startsWith(ENGINE_PART, HEX_SHA256_SIZE)
                || !(name.endsWith(SUFFIX) || name.endsWith(TEMP_SUFFIX) && name.contains(SUFFIX + "."))) {
            return false;
        }
        for (int i = 0; i < HEX_SHA256_SIZE; i++) {
            if (Character.digit(name.charAt(i), 16) < 0 || Character.isUpperCase(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Chicory's version as it goes into file names: letters, digits and dots, anything else as {@code _}. */
    private static String fileNamePart(String version) {
        StringBuilder part = new StringBuilder(version.length());
        for (int i = 0; i < version.length(); i++) {
            char c = version.charAt(i);
            part.append(c < 128 && (Character.isLetterOrDigit(c) || c == '.') ? c : '_');
        }
        return part.toString();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException | SecurityException e) {
            LOG.debug("Cannot delete {} from the disk cache", file, e);
        }
    }

    /** Creates {@code dir} owner-only if it is missing; its parents, if missing too, get the default permissions. */
    private static void createOwnerOnly(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            // made by another process at the same moment, or a file in the way: unsafe() tells which
            LOG.debug("{} appeared while being created", dir);
        }
    }

    /** Why code must not be loaded from {@code dir}, or null if it may. */
    private static String unsafe(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return "it is not a directory";
        }
        if (!Files.isWritable(dir)) {
            return "it is not writable";
        }
        PosixFileAttributeView posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        if (posix != null) {
            Set<PosixFilePermission> permissions = posix.readAttributes().permissions();
            if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                    || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                return "group or others may write to it (" + PosixFilePermissions.toString(permissions)
                        + "), and what it holds is run as code; make it the node user's only (chmod 700)";
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "disk cache " + dir + " (at most " + maxBytes / (1024 * 1024) + " MiB)";
    }
}
