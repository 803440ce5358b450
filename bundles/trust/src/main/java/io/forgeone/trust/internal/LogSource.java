package io.forgeone.trust.internal;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One decision log file open for reading, read in whole lines: a line counts once its line break is there, so a
 * record the writer is still writing is never read half. The file is opened once and read through that handle,
 * so a rotation (a rename) while reading changes nothing for the reader; {@link #key()} tells which file it is,
 * so that a follower can see that the log's name now belongs to another file.
 *
 * <p>Uses {@link RandomAccessFile}: an interrupt does not close it under the reader, as it would a channel.
 */
final class LogSource implements Closeable {
    /** A line longer than this is not a record the gate wrote; it is skipped without being kept in memory. */
    static final int MAX_LINE = 1 << 20;

    /** Receives the lines read: the line's number in its file, and its text or why it has none. */
    interface Lines {
        void line(String file, long number, String text);

        void bad(String file, long number, String why);
    }

    private final Path path;
    private final Object key;
    private final RandomAccessFile file;
    private final byte[] buffer = new byte[64 * 1024];
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    /** Where the next read starts; bytes before it are consumed or in {@link #partial}. */
    private long readAt;
    private long lines;
    private boolean oversize;

    private LogSource(Path path, Object key, RandomAccessFile file) {
        this.path = path;
        this.key = key;
        this.file = file;
    }

    /**
     * Opens {@code path}, making sure the handle is the file the name stood for before and after opening (a
     * rotation may rename it in between).
     *
     * @return the source, or {@code null} when there is no such file
     */
    static LogSource open(Path path) throws IOException {
        for (int attempt = 0; attempt < 10; attempt++) {
            Object before = key(path);
            if (before == null) {
                return null;
            }
            RandomAccessFile file;
            try {
                file = new RandomAccessFile(path.toFile(), "r");
            } catch (FileNotFoundException e) {
                continue; // renamed away just now: look again
            }
            if (before.equals(key(path))) {
                return new LogSource(path, before, file);
            }
            file.close();
        }
        throw new IOException("cannot open " + path + ": it is renamed over and over (rotating faster than it can"
                + " be opened)");
    }

    /** The log's files kept changing names while they were being opened; trying again a little later helps. */
    static final class Unsettled extends IOException {
        private static final long serialVersionUID = 1L;

        Unsettled(String message) {
            super(message);
        }
    }

    /**
     * The log's files that exist, oldest first ({@code FILE.N} ... {@code FILE.1}, then {@code FILE}), as they
     * were at one moment: the names and files are checked again after opening, and opened again if a rotation
     * came in between. With {@code after} (a {@link #key()}), only the files newer than that one are opened (all of
     * them when it is gone: then every file there is newer).
     */
    static List<LogSource> openAll(Path file, Object after) throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            List<Path> paths = existing(file);
            List<Object> keys = keys(paths);
            int start = after == null ? 0 : keys.indexOf(after) + 1;
            List<LogSource> sources = new ArrayList<>();
            boolean same = true;
            try {
                for (int i = start; i < paths.size() && same; i++) {
                    LogSource s = open(paths.get(i));
                    if (s == null || !s.key.equals(keys.get(i))) {
                        same = false;
                        if (s != null) {
                            s.close();
                        }
                    } else {
                        sources.add(s);
                    }
                }
                if (same && paths.equals(existing(file)) && keys.equals(keys(paths))) {
                    return sources;
                }
            } catch (IOException | RuntimeException e) {
                closeAll(sources);
                throw e;
            }
            closeAll(sources);
            // a burst of rotations: give the writer a moment (uninterruptibly; this is short)
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1 + attempt));
        }
        throw new Unsettled("cannot open " + file + " and its rotated files: they rotate faster than they can be"
                + " opened");
    }

    /** {@code FILE.N} (highest N first) ... {@code FILE.1}, then {@code FILE}, those that exist. */
    static List<Path> existing(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        String name = file.getFileName().toString();
        TreeMap<Integer, Path> rotated = new TreeMap<>((a, b) -> Integer.compare(b, a));
        boolean current = false;
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, globQuote(name) + "*")) {
                for (Path p : stream) {
                    String n = p.getFileName().toString();
                    if (n.equals(name)) {
                        current = true;
                    } else if (n.length() > name.length() + 1 && n.charAt(name.length()) == '.'
                            && n.substring(name.length() + 1).matches("[1-9][0-9]{0,8}")) {
                        rotated.put(Integer.parseInt(n.substring(name.length() + 1)), file.resolveSibling(n));
                    }
                }
            }
        }
        List<Path> out = new ArrayList<>(rotated.values());
        if (current) {
            out.add(file);
        }
        return out;
    }

    private static String globQuote(String name) {
        return name.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }

    private static List<Object> keys(List<Path> paths) throws IOException {
        List<Object> keys = new ArrayList<>();
        for (Path p : paths) {
            keys.add(key(p));
        }
        return keys;
    }

    /** What identifies the file a name stands for now (device and inode), or {@code null} when there is none. */
    static Object key(Path path) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
        Object key = attributes.fileKey();
        // without inodes (some file systems), the creation time is the best there is
        return key != null ? key : Map.entry(path.toString(), attributes.creationTime());
    }

    static void closeAll(List<LogSource> sources) {
        for (LogSource s : sources) {
            s.close();
        }
    }

    Path path() {
        return path;
    }

    Object key() {
        return key;
    }

    /** The name the file had when it was opened, for messages ({@code decisions.log.2:17}). */
    String name() {
        return path.toString();
    }

    /** The file's size now. */
    long length() throws IOException {
        return file.length();
    }

    /** Bytes consumed: the offset just after the last whole line read. */
    long consumed() {
        return readAt - partial.size();
    }

    /** Whether the last read ended inside a line (the rest of it not written yet, or never to be). */
    boolean inLine() {
        return partial.size() > 0 || oversize;
    }

    /**
     * Reads the whole lines that are there now, from where the last read stopped.
     *
     * @return how many lines were read
     */
    int read(Lines out) throws IOException {
        int count = 0;
        while (true) {
            file.seek(readAt);
            int n = file.read(buffer);
            if (n <= 0) {
                return count;
            }
            readAt += n;
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buffer[i] != '\n') {
                    continue;
                }
                lines++;
                count++;
                if (oversize) {
                    out.bad(name(), lines, "longer than " + MAX_LINE + " bytes");
                    oversize = false;
                } else {
                    partial.write(buffer, start, i - start);
                    emit(out);
                }
                partial.reset();
                start = i + 1;
            }
            if (!oversize) {
                partial.write(buffer, start, n - start);
                if (partial.size() > MAX_LINE) {
                    oversize = true;
                    partial.reset();
                }
            }
        }
    }

    /** Reports a last line without its line break: in a file nobody writes to any more, it never gets one. */
    void finish(Lines out) {
        if (inLine()) {
            lines++;
            out.bad(name(), lines, oversize ? "longer than " + MAX_LINE + " bytes"
                    : "the last line is cut short (no line break)");
            partial.reset();
            oversize = false;
        }
    }

    private void emit(Lines out) {
        byte[] bytes = partial.toByteArray();
        if (bytes.length == 0) {
            return; // an empty line (a line break the writer added after a crash) is no record and no problem
        }
        String text;
        try {
            CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(bytes));
            text = chars.toString();
        } catch (CharacterCodingException e) {
            out.bad(name(), lines, "not UTF-8 text");
            return;
        }
        out.line(name(), lines, text);
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            // only read from: nothing is lost by a failed close
            org.slf4j.LoggerFactory.getLogger(LogSource.class).debug("Closing {} failed", path, e);
        }
    }

    @Override
    public String toString() {
        return Objects.toString(path);
    }
}
