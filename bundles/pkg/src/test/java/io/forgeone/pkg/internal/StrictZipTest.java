package io.forgeone.pkg.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.pkg.PackageException.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class StrictZipTest {
    private static final StrictZip.Limits LIMITS = new StrictZip.Limits(100, 1 << 20, 1 << 21);
    private static final byte[] TEXT = "hello hello hello hello".getBytes(StandardCharsets.UTF_8);

    private static byte[] simple() {
        return new ZipWriter().add("a.txt", TEXT).add("b.bin", new byte[] {1, 2, 3}).finish();
    }

    private static ZipFormatException refused(byte[] zip) {
        return assertThrows(ZipFormatException.class, () -> {
            StrictZip z = StrictZip.read(zip, LIMITS);
            for (StrictZip.Entry e : z.entries()) {
                z.content(e, e.size());
            }
        });
    }

    @Test
    void readsWhatTheWriterWrites() throws Exception {
        StrictZip zip = StrictZip.read(simple(), LIMITS);
        assertEquals(2, zip.entries().size());
        assertEquals(StrictZip.DEFLATED, zip.entries().get(0).method());
        assertEquals(StrictZip.STORED, zip.entries().get(1).method(), "too small to gain from deflating");
        assertArrayEquals(TEXT, zip.content(zip.entries().get(0), TEXT.length));
    }

    @Test
    void readsJavasZipOutputStreamWithDataDescriptors() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            out.putNextEntry(new ZipEntry("a.txt"));
            out.write(TEXT);
            out.closeEntry();
        }
        StrictZip zip = StrictZip.read(bytes.toByteArray(), LIMITS);
        assertArrayEquals(TEXT, zip.content(zip.entries().get(0), TEXT.length));
    }

    @Test
    void trailingOrLeadingBytesAndCommentsAreRefused() {
        byte[] zip = simple();
        byte[] trailing = Arrays.copyOf(zip, zip.length + 1);
        assertTrue(refused(trailing).getMessage().contains("no end of central directory record at the end"));
        byte[] leading = new byte[zip.length + 4];
        System.arraycopy(zip, 0, leading, 4, zip.length);
        assertEquals(Reason.MALFORMED, refused(leading).reason);
        byte[] comment = zip.clone();
        comment[comment.length - 2] = 1;
        assertTrue(refused(comment).getMessage().contains("comment"));
    }

    @Test
    void localHeaderThatDisagreesIsRefused() {
        byte[] zip = simple();
        zip[30] = 'x'; // first local header's name: "x.txt" while the directory says "a.txt"
        assertTrue(refused(zip).getMessage().contains("local header and central directory disagree"));
    }

    @Test
    void encryptedAndUnknownMethodsAreRefused() {
        byte[] zip = simple();
        int cen = cenOffset(zip);
        byte[] encrypted = zip.clone();
        encrypted[6] |= 1;
        encrypted[cen + 8] |= 1;
        assertTrue(refused(encrypted).getMessage().contains("encrypted"));
        byte[] bzip = zip.clone();
        bzip[8] = 12;
        bzip[cen + 10] = 12;
        assertTrue(refused(bzip).getMessage().contains("compression method 12"));
    }

    @Test
    void aCorruptedEntryFailsItsCrc() {
        byte[] zip = new ZipWriter().add("s", new byte[] {1, 2, 3}).finish();
        zip[31] ^= 1; // the stored data right after the 30-byte header and the 1-byte name
        ZipFormatException e = refused(zip);
        assertEquals(Reason.TAMPERED, e.reason);
        assertTrue(e.getMessage().contains("CRC"));
    }

    @Test
    void totalDeclaredSizeIsLimited() {
        ZipWriter w = new ZipWriter();
        for (int i = 0; i < 3; i++) {
            w.add("e" + i, ZipWriter.deflate(new byte[1 << 20]), StrictZip.DEFLATED, 1 << 20, ZipWriter.crc(new byte[1 << 20]));
        }
        ZipFormatException e = refused(w.finish());
        assertEquals(Reason.TOO_LARGE, e.reason);
        assertTrue(e.getMessage().contains("more than 2097152 bytes in all"), e.getMessage());
    }

    @Test
    void aDeclaredSizeTheDataCannotReachIsNotAllocatedUpFront() throws Exception {
        // 1 MiB declared, a few bytes of deflate data that hold 10 bytes: refused without a 1 MiB buffer per se
        byte[] ten = new byte[10];
        byte[] zip = new ZipWriter().add("short", ZipWriter.deflate(ten), StrictZip.DEFLATED, 1 << 20, ZipWriter.crc(ten)).finish();
        ZipFormatException e = refused(zip);
        assertEquals(Reason.MALFORMED, e.reason);
        assertTrue(e.getMessage().contains("inflates to 10 bytes, not its declared 1048576"), e.getMessage());
    }

    private static int cenOffset(byte[] zip) {
        int eocd = zip.length - 22;
        return (zip[eocd + 16] & 0xff) | (zip[eocd + 17] & 0xff) << 8 | (zip[eocd + 18] & 0xff) << 16 | (zip[eocd + 19] & 0xff) << 24;
    }
}
