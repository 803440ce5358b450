package io.forgeone.pkg.internal;

import static io.forgeone.api.pkg.VerificationReport.Check.ARCHIVE;
import static io.forgeone.api.pkg.VerificationReport.Check.LIMITS;

import io.forgeone.api.pkg.PackageException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads a zip held in memory by its central directory, strictly, and inflates entries under a hard cap.
 *
 * <p>Refused: anything before the first entry or after the end record (including a zip comment), ZIP64,
 * multi-disk archives, encryption, methods other than stored and deflated, a local header that disagrees with the
 * central directory, entries that overlap or reach into the directory, and non-ASCII names without the UTF-8 flag.
 * The entry count and every declared size are checked against the limits from the central directory before
 * anything is inflated; inflating then stops at the declared size, so an entry that claims to be small and
 * inflates large (a zip bomb) is caught after at most one byte too many.
 */
final class StrictZip {
    private static final int EOCD = 0x06054b50;
    private static final int CEN = 0x02014b50;
    private static final int LOC = 0x04034b50;
    private static final int EOCD_SIZE = 22;
    private static final int CEN_SIZE = 46;
    private static final int LOC_SIZE = 30;
    private static final int FLAG_ENCRYPTED = 0x1;
    private static final int FLAG_DESCRIPTOR = 0x8;
    private static final int FLAG_STRONG_ENCRYPTION = 0x40;
    private static final int FLAG_UTF8 = 0x800;
    static final int STORED = 0;
    static final int DEFLATED = 8;

    /** Limits applied from the central directory and while inflating. */
    record Limits(int maxEntries, long maxEntrySize, long maxTotalSize) {
    }

    /** An entry as the central directory declares it (after checking its local header). */
    record Entry(String name, int method, long crc, long compressedSize, long size, int dataOffset) {
    }

    private final byte[] zip;
    private final List<Entry> entries;

    private StrictZip(byte[] zip, List<Entry> entries) {
        this.zip = zip;
        this.entries = entries;
    }

    List<Entry> entries() {
        return entries;
    }

    static StrictZip read(byte[] zip, Limits limits) throws ZipFormatException {
        ByteBuffer buf = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        if (zip.length < EOCD_SIZE) {
            throw archive("too short to be a zip (" + zip.length + " bytes)");
        }
        int eocd = zip.length - EOCD_SIZE;
        if (buf.getInt(eocd) != EOCD) {
            throw archive("no end of central directory record at the end (a zip comment or trailing data is not allowed)");
        }
        int disk = u16(buf, eocd + 4);
        int cenDisk = u16(buf, eocd + 6);
        int entriesOnDisk = u16(buf, eocd + 8);
        int totalEntries = u16(buf, eocd + 10);
        long cenSize = u32(buf, eocd + 12);
        long cenOffset = u32(buf, eocd + 16);
        int commentLength = u16(buf, eocd + 20);
        if (totalEntries == 0xFFFF || cenSize == 0xFFFFFFFFL || cenOffset == 0xFFFFFFFFL) {
            throw archive("ZIP64 is not supported");
        }
        if (disk != 0 || cenDisk != 0 || entriesOnDisk != totalEntries) {
            throw archive("multi-disk archives are not supported");
        }
        if (commentLength != 0) {
            throw archive("a zip comment is not allowed");
        }
        if (totalEntries > limits.maxEntries()) {
            throw new ZipFormatException(LIMITS, Reason.TOO_LARGE, "the central directory declares " + totalEntries
                    + " entries, more than the limit of " + limits.maxEntries());
        }
        if (cenOffset + cenSize != eocd) {
            throw archive("the central directory does not end where the end record begins");
        }
        List<Entry> entries = new ArrayList<>(totalEntries);
        List<int[]> extents = new ArrayList<>(totalEntries);
        int pos = (int) cenOffset;
        long total = 0;
        for (int i = 0; i < totalEntries; i++) {
            if (pos + CEN_SIZE > eocd || buf.getInt(pos) != CEN) {
                throw archive("central directory record " + (i + 1) + " is missing or damaged");
            }
            int flags = u16(buf, pos + 8);
            int method = u16(buf, pos + 10);
            long crc = u32(buf, pos + 16);
            long compressedSize = u32(buf, pos + 20);
            long size = u32(buf, pos + 24);
            int nameLength = u16(buf, pos + 28);
            int extraLength = u16(buf, pos + 30);
            int commentLen = u16(buf, pos + 32);
            int startDisk = u16(buf, pos + 34);
            long localOffset = u32(buf, pos + 42);
            int next = pos + CEN_SIZE + nameLength + extraLength + commentLen;
            if (next > eocd) {
                throw archive("central directory record " + (i + 1) + " runs past the directory");
            }
            String name = name(zip, pos + CEN_SIZE, nameLength, flags, i + 1);
            if ((flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) != 0) {
                throw archive("entry '" + name + "' is encrypted");
            }
            if (method != STORED && method != DEFLATED) {
                throw archive("entry '" + name + "' uses compression method " + method + " (only stored and deflated)");
            }
            if (startDisk != 0 || compressedSize == 0xFFFFFFFFL || size == 0xFFFFFFFFL || localOffset == 0xFFFFFFFFL) {
                throw archive("entry '" + name + "' needs ZIP64 or another disk, which is not supported");
            }
            if (method == STORED && compressedSize != size) {
                throw archive("stored entry '" + name + "' has different compressed and uncompressed sizes");
            }
            if (size > limits.maxEntrySize()) {
                throw new ZipFormatException(LIMITS, Reason.TOO_LARGE, "entry '" + name + "' declares " + size
                        + " bytes, more than the limit of " + limits.maxEntrySize());
            }
            total += size;
            if (total > limits.maxTotalSize()) {
                throw new ZipFormatException(LIMITS, Reason.TOO_LARGE, "the entries declare more than "
                        + limits.maxTotalSize() + " bytes in all");
            }
            // the local header must agree with the central directory
            if (localOffset + LOC_SIZE > cenOffset || buf.getInt((int) localOffset) != LOC) {
                throw archive("entry '" + name + "' has no local header at offset " + localOffset);
            }
            int loc = (int) localOffset;
            int locFlags = u16(buf, loc + 6);
            int locNameLength = u16(buf, loc + 26);
            int locExtraLength = u16(buf, loc + 28);
            if (locFlags != flags || u16(buf, loc + 8) != method || locNameLength != nameLength
                    || !ByteBuffer.wrap(zip, loc + LOC_SIZE, nameLength).equals(ByteBuffer.wrap(zip, pos + CEN_SIZE, nameLength))) {
                throw archive("entry '" + name + "': local header and central directory disagree (name, flags or method)");
            }
            boolean descriptor = (flags & FLAG_DESCRIPTOR) != 0;
            long locCrc = u32(buf, loc + 14);
            long locCompressed = u32(buf, loc + 18);
            long locSize = u32(buf, loc + 22);
            boolean zeros = locCrc == 0 && locCompressed == 0 && locSize == 0;
            boolean same = locCrc == crc && locCompressed == compressedSize && locSize == size;
            if (!same && !(descriptor && zeros)) {
                throw archive("entry '" + name + "': local header and central directory disagree (CRC or sizes)");
            }
            long dataOffset = localOffset + LOC_SIZE + locNameLength + locExtraLength;
            long dataEnd = dataOffset + compressedSize;
            if (descriptor) {
                dataEnd += descriptorLength(buf, dataEnd, cenOffset, crc, compressedSize, size, name);
            }
            if (dataEnd > cenOffset) {
                throw archive("entry '" + name + "' runs into the central directory");
            }
            entries.add(new Entry(name, method, crc, compressedSize, size, (int) dataOffset));
            extents.add(new int[] {loc, (int) dataEnd});
            pos = next;
        }
        if (pos != eocd) {
            throw archive("the central directory holds more than its " + totalEntries + " declared records");
        }
        extents.sort(Comparator.comparingInt(e -> e[0]));
        int expected = 0;
        for (int[] extent : extents) {
            if (extent[0] < expected) {
                throw archive("entries overlap at offset " + extent[0]);
            }
            if (extent[0] > expected) {
                throw archive(expected == 0 ? "data before the first entry is not allowed"
                        : "unaccounted bytes between entries at offset " + expected);
            }
            expected = extent[1];
        }
        if (expected != cenOffset) {
            throw archive("unaccounted bytes between the last entry and the central directory");
        }
        return new StrictZip(zip, List.copyOf(entries));
    }

    /**
     * Inflates an entry, stopping as soon as it produces more than {@code cap} bytes (its declared size, or less).
     */
    byte[] content(Entry entry, long cap) throws ZipFormatException {
        long limit = Math.min(cap, entry.size());
        byte[] out;
        if (entry.method() == STORED) {
            if (entry.size() > limit) {
                throw tooLarge(entry, limit);
            }
            out = new byte[(int) entry.size()];
            System.arraycopy(zip, entry.dataOffset(), out, 0, out.length);
        } else {
            // grow towards the declared size rather than trusting it for one allocation: deflate expands at most
            // about 1032:1, so a declared size far above that is found out before much memory is taken
            out = new byte[(int) Math.min(limit, Math.min(Integer.MAX_VALUE - 16L, entry.compressedSize() * 4 + 4096))];
            Inflater inflater = new Inflater(true);
            try {
                inflater.setInput(zip, entry.dataOffset(), (int) entry.compressedSize());
                int n = 0;
                while (!inflater.finished()) {
                    if (n == out.length) {
                        if (out.length == limit) {
                            break;
                        }
                        out = Arrays.copyOf(out, (int) Math.min(limit, (long) out.length * 2));
                    }
                    int got = inflater.inflate(out, n, out.length - n);
                    if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                        throw new ZipFormatException(ARCHIVE, Reason.MALFORMED, "entry '" + entry.name()
                                + "' ends before its declared " + entry.size() + " bytes");
                    }
                    n += got;
                }
                if (!inflater.finished()) {
                    // the output is full; one more byte means the entry inflates past its declared size
                    byte[] probe = new byte[1];
                    if (inflater.inflate(probe) > 0 || !inflater.finished()) {
                        throw tooLarge(entry, limit);
                    }
                }
                if (n != entry.size()) {
                    throw new ZipFormatException(ARCHIVE, Reason.MALFORMED, "entry '" + entry.name() + "' inflates to "
                            + n + " bytes, not its declared " + entry.size());
                }
                if (inflater.getRemaining() != 0) {
                    throw archive("entry '" + entry.name() + "' has data after its deflate stream");
                }
            } catch (DataFormatException e) {
                throw archive("entry '" + entry.name() + "' is not valid deflate data: " + e.getMessage());
            } finally {
                inflater.end();
            }
        }
        CRC32 crc = new CRC32();
        crc.update(out);
        if (crc.getValue() != entry.crc()) {
            throw new ZipFormatException(ARCHIVE, Reason.TAMPERED, "entry '" + entry.name() + "' fails its CRC check");
        }
        return out;
    }

    private static ZipFormatException tooLarge(Entry entry, long limit) {
        return new ZipFormatException(LIMITS, Reason.TOO_LARGE, "entry '" + entry.name() + "' inflates past "
                + limit + " bytes (declared " + entry.size() + "): stopped");
    }

    private static long descriptorLength(ByteBuffer buf, long at, long limit, long crc, long compressed, long size,
            String name) throws ZipFormatException {
        int p = (int) at;
        if (at + 16 <= limit && buf.getInt(p) == 0x08074b50 && u32(buf, p + 4) == crc && u32(buf, p + 8) == compressed
                && u32(buf, p + 12) == size) {
            return 16;
        }
        if (at + 12 <= limit && u32(buf, p) == crc && u32(buf, p + 4) == compressed && u32(buf, p + 8) == size) {
            return 12;
        }
        throw archive("entry '" + name + "': data descriptor missing or disagrees with the central directory");
    }

    private static String name(byte[] zip, int offset, int length, int flags, int index) throws ZipFormatException {
        if ((flags & FLAG_UTF8) == 0) {
            for (int i = offset; i < offset + length; i++) {
                if (zip[i] < 0) {
                    throw archive("entry " + index + " has a non-ASCII name without the UTF-8 flag");
                }
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(zip, offset, length)).toString();
        } catch (CharacterCodingException e) {
            throw archive("entry " + index + " has a name that is not valid UTF-8");
        }
    }

    private static ZipFormatException archive(String message) {
        return new ZipFormatException(ARCHIVE, Reason.MALFORMED, message);
    }

    private static int u16(ByteBuffer buf, int at) {
        return Short.toUnsignedInt(buf.getShort(at));
    }

    private static long u32(ByteBuffer buf, int at) {
        return Integer.toUnsignedLong(buf.getInt(at));
    }
}
