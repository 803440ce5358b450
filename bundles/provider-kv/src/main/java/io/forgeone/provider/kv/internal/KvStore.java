package io.forgeone.provider.kv.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One package's store: a folder with a file per key (the file name is the key's UTF-8 bytes in hex, the content
 * its value). A put writes a temporary file, forces it to disk and moves it over the old one atomically, so a
 * crash leaves the old value or the new, never a torn one. Sizes are kept in memory to enforce the limits and list
 * keys without touching the disk. Thread-safe: containers of one package share it.
 */
final class KvStore {
    private static final Logger LOG = LoggerFactory.getLogger(KvStore.class);
    private static final String TEMP = ".tmp-";
    private static final HexFormat HEX = HexFormat.of();

    private final Path dir;
    private final Limits limits;
    private final TreeMap<String, Integer> sizes = new TreeMap<>();
    private final AtomicLong temps = new AtomicLong();
    private long bytes;

    KvStore(Path dir, Limits limits) {
        this.dir = dir;
        this.limits = limits;
        try {
            Files.createDirectories(dir);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    if (name.startsWith(TEMP)) {
                        // a put cut short by a crash: its value never became the key's
                        Files.deleteIfExists(f);
                        continue;
                    }
                    String key;
                    try {
                        key = decodeKey(HEX.parseHex(name));
                    } catch (IllegalArgumentException | KvException e) {
                        LOG.warn("Ignoring {} in the key-value store {}: not a key this store wrote", name, dir);
                        continue;
                    }
                    int size = (int) Files.size(f);
                    sizes.put(key, size);
                    bytes += cost(key, size);
                }
            }
        } catch (IOException e) {
            throw new KvException(Errno.IO, "cannot open the key-value store " + dir + ": " + e.getMessage(), e);
        }
    }

    Path dir() {
        return dir;
    }

    /** The key as text, checked: not empty, UTF-8, no NUL, not longer than the limit. */
    String key(byte[] raw) {
        if (raw.length > limits.maxKeyBytes()) {
            throw new KvException(Errno.NAME_TOO_LONG, "key is " + raw.length + " bytes; the most is "
                    + limits.maxKeyBytes());
        }
        if (raw.length == 0) {
            throw new KvException(Errno.INVALID, "key is empty");
        }
        return decodeKey(raw);
    }

    private static String decodeKey(byte[] raw) {
        for (byte b : raw) {
            if (b == 0) {
                throw new KvException(Errno.INVALID, "key holds a NUL byte");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new KvException(Errno.INVALID, "key is not UTF-8", e);
        }
    }

    private static long cost(String key, int valueBytes) {
        return key.getBytes(StandardCharsets.UTF_8).length + (long) valueBytes;
    }

    private Path file(String key) {
        return dir.resolve(HEX.formatHex(key.getBytes(StandardCharsets.UTF_8)));
    }

    /** The value, or null when there is no such key. */
    synchronized byte[] get(String key) {
        if (!sizes.containsKey(key)) {
            return null;
        }
        try {
            return Files.readAllBytes(file(key));
        } catch (NoSuchFileException e) {
            // removed behind the store's back: it is gone
            bytes -= cost(key, sizes.remove(key));
            return null;
        } catch (IOException e) {
            throw new KvException(Errno.IO, "cannot read key '" + key + "': " + e.getMessage(), e);
        }
    }

    synchronized void put(String key, byte[] value) {
        if (value.length > limits.maxValueBytes()) {
            throw new KvException(Errno.FILE_TOO_LARGE, "value is " + value.length + " bytes; the most is "
                    + limits.maxValueBytes());
        }
        Integer old = sizes.get(key);
        if (old == null && sizes.size() >= limits.maxKeys()) {
            throw new KvException(Errno.NO_SPACE, "the store holds " + sizes.size() + " keys, its most");
        }
        long after = bytes - (old == null ? 0 : cost(key, old)) + cost(key, value.length);
        if (after > limits.maxPackageBytes()) {
            throw new KvException(Errno.NO_SPACE, "the store would hold " + after + " bytes; its most is "
                    + limits.maxPackageBytes());
        }
        Path temp = dir.resolve(TEMP + temps.incrementAndGet() + "-" + System.nanoTime());
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(value);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            Files.move(temp, file(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw new KvException(Errno.IO, "cannot write key '" + key + "': " + e.getMessage(), e);
        }
        sizes.put(key, value.length);
        bytes = after;
    }

    /** False when there was no such key. */
    synchronized boolean delete(String key) {
        Integer old = sizes.get(key);
        if (old == null) {
            return false;
        }
        try {
            Files.deleteIfExists(file(key));
        } catch (IOException e) {
            throw new KvException(Errno.IO, "cannot delete key '" + key + "': " + e.getMessage(), e);
        }
        sizes.remove(key);
        bytes -= cost(key, old);
        return true;
    }

    /** Keys starting with {@code prefix}, in order. */
    synchronized List<String> keys(String prefix) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Integer> e : sizes.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            out.add(e.getKey());
        }
        return out;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return sizes.size();
    }
}
