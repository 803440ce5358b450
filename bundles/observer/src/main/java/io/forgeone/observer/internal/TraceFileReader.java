package io.forgeone.observer.internal;

import io.forgeone.api.observe.TraceException;
import io.forgeone.api.observe.TraceFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads trace files back, checking everything: the preamble, each frame's length and checksum, each record's
 * fields, the order of sequence numbers, and that the files of one run follow each other. Anything wrong is a
 * {@link TraceFormatException} naming the file, the byte offset and why; nothing else escapes.
 */
final class TraceFileReader {
    /** Largest trace file read (the writer rotates far below this). */
    static final long MAX_FILE = 1L << 30;

    private TraceFileReader() {
    }

    /** The end of a run as its trace has it. */
    record End(long calls, int exitCode, String outcome) {
    }

    /**
     * A run's trace as read: the header of its first file, the calls in order, and its end if the trace has it.
     *
     * @param lost calls the recorder could not keep, by its own count
     */
    record Trace(TraceHeader header, List<RawCall> calls, long lost, End end, List<Path> files) {
    }

    /** Reads a trace file, or every {@code *.trace} file in a run's folder in order. */
    static Trace read(Path path) {
        if (Files.isDirectory(path)) {
            List<Path> parts;
            try (Stream<Path> list = Files.list(path)) {
                parts = list.filter(p -> p.getFileName().toString().endsWith(".trace")).sorted().toList();
            } catch (IOException e) {
                throw new TraceException("cannot list trace folder " + path + ": " + e.getMessage(), e);
            }
            if (parts.isEmpty()) {
                throw new TraceException(path + ": no .trace files in this folder");
            }
            return read(parts);
        }
        return read(List.of(path));
    }

    static Trace read(List<Path> parts) {
        return read(parts, false);
    }

    /**
     * Reads the files of a run that is still being written: the last file may end in a frame the writer has only
     * partly flushed, which is left out (a complete but damaged frame is still an error).
     */
    static Trace readLive(List<Path> parts) {
        return read(parts, true);
    }

    private static Trace read(List<Path> parts, boolean live) {
        TraceHeader first = null;
        List<RawCall> calls = new ArrayList<>();
        long lost = 0;
        End end = null;
        long expected = -1;
        for (int i = 0; i < parts.size(); i++) {
            Path part = parts.get(i);
            FileContent content = readFile(part, live && i == parts.size() - 1);
            TraceHeader h = content.header;
            if (first == null) {
                first = h;
            } else {
                if (!h.containerId().equals(first.containerId())) {
                    throw new TraceFormatException(part, TraceFormat.PREAMBLE, "belongs to container "
                            + h.containerId() + ", not " + first.containerId() + " as the files before it");
                }
                if (end != null) {
                    throw new TraceFormatException(part, TraceFormat.PREAMBLE,
                            "follows a file that already ended the run");
                }
                if (h.firstSequence() != expected) {
                    throw new TraceFormatException(part, TraceFormat.PREAMBLE, "starts at call #" + h.firstSequence()
                            + " but the file before it ended before call #" + expected
                            + " (a file in between is missing)");
                }
            }
            calls.addAll(content.calls);
            lost += content.lost;
            end = content.end;
            expected = content.next;
        }
        return new Trace(first, calls, lost, end, List.copyOf(parts));
    }

    /** Only the header of a trace file (its first frame), for listing traces without reading them whole. */
    static TraceHeader header(Path file) {
        byte[] head;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(TraceFormat.PREAMBLE + TraceFormat.FRAME_HEAD);
            if (head.length == TraceFormat.PREAMBLE + TraceFormat.FRAME_HEAD) {
                long length = readU32(head, TraceFormat.PREAMBLE);
                if (length > 0 && length <= 16 * 1024 * 1024) {
                    byte[] frame = in.readNBytes((int) length);
                    byte[] all = java.util.Arrays.copyOf(head, head.length + frame.length);
                    System.arraycopy(frame, 0, all, head.length, frame.length);
                    head = all;
                }
            }
        } catch (NoSuchFileException e) {
            throw new TraceException(file + ": no such trace file", e);
        } catch (IOException e) {
            throw new TraceException("cannot read trace file " + file + ": " + e.getMessage(), e);
        }
        return parse(file, head, true, false).header;
    }

    private static final class FileContent {
        TraceHeader header;
        final List<RawCall> calls = new ArrayList<>();
        long lost;
        long next;
        End end;
    }

    private static FileContent readFile(Path file, boolean unfinishedTail) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE) {
                throw new TraceFormatException(file, 0, "file is " + size + " bytes, more than the " + MAX_FILE
                        + " a trace file can be");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TraceException(file + ": no such trace file", e);
        } catch (IOException e) {
            throw new TraceException("cannot read trace file " + file + ": " + e.getMessage(), e);
        }
        return parse(file, bytes, false, unfinishedTail);
    }

    private static FileContent parse(Path file, byte[] bytes, boolean headerOnly, boolean unfinishedTail) {
        if (bytes.length < TraceFormat.PREAMBLE) {
            throw new TraceFormatException(file, 0, "file is " + bytes.length + " bytes, shorter than the "
                    + TraceFormat.PREAMBLE + "-byte preamble of a trace");
        }
        for (int i = 0; i < TraceFormat.MAGIC.length; i++) {
            if (bytes[i] != TraceFormat.MAGIC[i]) {
                throw new TraceFormatException(file, i, "not a ForgeOne trace: starts with "
                        + HexFormat.ofDelimiter(" ").formatHex(bytes, 0, TraceFormat.MAGIC.length)
                        + ", a trace starts with \"FORGETRC\"");
            }
        }
        int version = bytes[TraceFormat.MAGIC.length] & 0xFF;
        if (version != TraceFormat.VERSION) {
            throw new TraceFormatException(file, TraceFormat.MAGIC.length, "trace format version " + version
                    + "; this node reads version " + TraceFormat.VERSION);
        }
        FileContent content = new FileContent();
        int at = TraceFormat.PREAMBLE;
        while (at < bytes.length) {
            int frameAt = at;
            if (bytes.length - at < TraceFormat.FRAME_HEAD) {
                if (unfinishedTail && content.header != null) {
                    break;
                }
                throw new TraceFormatException(file, frameAt, "cut short: a frame header needs "
                        + TraceFormat.FRAME_HEAD + " bytes, " + (bytes.length - at) + " left");
            }
            long length = readU32(bytes, at);
            long crc = readU32(bytes, at + 4);
            at += TraceFormat.FRAME_HEAD;
            if (length < 1 || length > TraceFormat.MAX_FRAME) {
                throw new TraceFormatException(file, frameAt, "frame length " + length + " is not between 1 and "
                        + TraceFormat.MAX_FRAME + " (corrupted)");
            }
            if (length > bytes.length - at) {
                if (unfinishedTail && content.header != null) {
                    break;
                }
                throw new TraceFormatException(file, frameAt, "cut short: the frame has " + length + " bytes, only "
                        + (bytes.length - at) + " are left in the file");
            }
            long actual = TraceFormat.crc(bytes, at, (int) length);
            if (actual != crc) {
                throw new TraceFormatException(file, frameAt, String.format("checksum mismatch (stored %08x, "
                        + "computed %08x): the frame is corrupted", crc, actual));
            }
            Codec.In in = new Codec.In(bytes, at, (int) length);
            try {
                frame(file, frameAt, in, content);
                if (!in.atEnd()) {
                    throw new Codec.Malformed(in.position(), "record has bytes left over after its last field");
                }
            } catch (Codec.Malformed e) {
                throw new TraceFormatException(file, e.position, e.getMessage());
            }
            at += (int) length;
            if (headerOnly) {
                break;
            }
        }
        if (content.header == null) {
            throw new TraceFormatException(file, TraceFormat.PREAMBLE, "cut short: the file has no header");
        }
        return content;
    }

    private static void frame(Path file, int frameAt, Codec.In in, FileContent content) throws Codec.Malformed {
        int tagAt = in.position();
        int tag = in.u8();
        if (content.header == null) {
            if (tag != TraceFormat.HEADER) {
                throw new Codec.Malformed(tagAt, "first record is '" + (char) tag + "', expected the header 'H'");
            }
            content.header = TraceFormat.readHeader(in);
            content.next = content.header.firstSequence();
            return;
        }
        if (content.end != null) {
            throw new Codec.Malformed(tagAt, "record after the end of the run");
        }
        switch (tag) {
            case TraceFormat.CALL: {
                RawCall call = TraceFormat.readCall(in, content.header);
                if (call.sequence() != content.next) {
                    throw new Codec.Malformed(tagAt, "call #" + call.sequence() + " where call #" + content.next
                            + " was due: calls are missing or out of order");
                }
                content.calls.add(call);
                content.next++;
                break;
            }
            case TraceFormat.LOST:
                in.varlong();
                content.lost += in.varlong();
                break;
            case TraceFormat.END:
                content.end = new End(in.varlong(), (int) in.zigzag(), in.utf(64 * 1024, "outcome"));
                break;
            case TraceFormat.HEADER:
                throw new Codec.Malformed(tagAt, "a second header in one file");
            default:
                throw new Codec.Malformed(tagAt, String.format("unknown record type 0x%02x", tag));
        }
    }

    private static long readU32(byte[] b, int at) {
        return (b[at] & 0xFFL) << 24 | (b[at + 1] & 0xFFL) << 16 | (b[at + 2] & 0xFFL) << 8 | (b[at + 3] & 0xFFL);
    }
}
