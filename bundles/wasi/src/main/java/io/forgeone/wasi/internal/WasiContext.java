package io.forgeone.wasi.internal;

import io.forgeone.api.wasi.Preopen;
import io.forgeone.api.wasi.WasiConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One guest's WASI state: its arguments and environment (only what the configuration gives, never the
 * host's), its descriptors, and the per-guest secrets and clocks the functions share. Used by one guest
 * thread at a time, except {@link DescriptorTable#closeAll()}, which may come from another thread.
 */
final class WasiContext {
    static final int DEFAULT_DESCRIPTOR_LIMIT = 1024;

    final List<byte[]> args;
    final List<byte[]> env;
    final DescriptorTable descriptors;
    final FileStats stats;
    final SecureRandom random;
    /** The monotonic clock's zero: wasmtime's monotonic clock counts from the context's creation too. */
    /** Set again when a snapshot's state is restored, so that the clock continues from the snapshot's reading. */
    volatile long monotonicOrigin;
    /** What the configuration gave, kept to name and restore descriptors in a snapshot's state. */
    final Descriptor.Stdin stdin;
    final Descriptor.Output stdout;
    final Descriptor.Output stderr;
    final List<Descriptor.Dir> preopens;
    private byte[] scratch = new byte[0];
    private final int initialDescriptors;

    WasiContext(WasiConfig config, int descriptorLimit) {
        this.args = utf8(config.args());
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<String, String> entry : config.env().entrySet()) {
            pairs.add(entry.getKey() + "=" + entry.getValue());
        }
        this.env = utf8(pairs);
        this.random = new SecureRandom();
        this.stats = new FileStats(random.nextLong(), random.nextLong());
        this.monotonicOrigin = System.nanoTime();
        this.descriptors = new DescriptorTable(descriptorLimit);
        if (config.preopens().size() > descriptorLimit - 3) {
            throw new IllegalArgumentException(config.preopens().size() + " preopens do not fit the limit of "
                    + descriptorLimit + " descriptors");
        }
        List<Descriptor.Dir> preopens = new ArrayList<>();
        for (Preopen preopen : config.preopens()) {
            preopens.add(preopen(preopen));
        }
        InputStream stdin = config.stdin() == null ? InputStream.nullInputStream() : config.stdin();
        this.stdin = new Descriptor.Stdin(stdin);
        this.stdout = new Descriptor.Output(config.stdout());
        this.stderr = new Descriptor.Output(config.stderr());
        this.preopens = List.copyOf(preopens);
        descriptors.insert(this.stdin);
        descriptors.insert(this.stdout);
        descriptors.insert(this.stderr);
        for (Descriptor.Dir dir : preopens) {
            descriptors.insert(dir);
        }
        this.initialDescriptors = descriptors.size();
    }

    /** Descriptors the guest holds beyond the ones it started with (stdio and preopens): the files it opened. */
    int openedFiles() {
        return Math.max(0, descriptors.size() - initialDescriptors);
    }

    /** A buffer of at least {@code size} bytes, reused across calls (sinks must not keep it). */
    byte[] scratch(int size) {
        if (scratch.length < size) {
            scratch = new byte[Math.max(size, Math.min(GuestIo.MAX_IO_BYTES, scratch.length * 2))];
        }
        return scratch;
    }

    /**
     * Checks a preopen and pins it to its real path now, from host configuration (trusted input); from
     * then on the guest can only name what lies below that real directory.
     */
    private static Descriptor.Dir preopen(Preopen preopen) {
        Path host = preopen.hostPath();
        if (!Files.exists(host)) {
            throw new IllegalArgumentException("--dir " + host + ": no such directory");
        }
        if (!Files.isDirectory(host)) {
            throw new IllegalArgumentException("--dir " + host + ": not a directory");
        }
        Path real;
        try {
            real = host.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("--dir " + host + ": cannot be resolved: " + e.getMessage(), e);
        }
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new IllegalArgumentException("--dir " + host + ": cannot be read: " + e.getMessage(), e);
        }
        if (!attrs.isDirectory()) {
            throw new IllegalArgumentException("--dir " + host + ": not a directory");
        }
        return new Descriptor.Dir(real, attrs.fileKey(), attrs.fileKey(), List.of(), preopen.guestPath(),
                preopen.guestPath());
    }

    private static List<byte[]> utf8(List<String> strings) {
        List<byte[]> bytes = new ArrayList<>(strings.size());
        for (String s : strings) {
            bytes.add(s.getBytes(StandardCharsets.UTF_8));
        }
        return List.copyOf(bytes);
    }
}
