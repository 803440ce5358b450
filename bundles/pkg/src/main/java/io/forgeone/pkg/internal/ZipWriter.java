package io.forgeone.pkg.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes a zip in memory the way {@link StrictZip} reads it: sizes and CRC in the local headers (no data
 * descriptors), UTF-8 names, one fixed timestamp, no comment. The same entries in the same order give the same
 * bytes.
 */
final class ZipWriter {
    /** 1980-01-01 00:00, the earliest DOS time: packages carry their times in the manifest, not in the zip. */
    private static final int DOS_TIME = 0;
    private static final int DOS_DATE = (1 << 5) | 1;
    private static final int FLAG_UTF8 = 0x800;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream central = new ByteArrayOutputStream();
    private int count;

    /** Adds an entry, deflated unless deflating does not make it smaller. */
    ZipWriter add(String name, byte[] content) {
        byte[] deflated = deflate(content);
        boolean store = deflated.length >= content.length;
        return add(name, store ? content : deflated, store ? StrictZip.STORED : StrictZip.DEFLATED, content.length,
                crc(content));
    }

    /** Adds an entry exactly as given: already compressed data, and the sizes and CRC to declare. */
    ZipWriter add(String name, byte[] data, int method, long declaredSize, long crc) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        int offset = out.size();
        ByteBuffer local = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
        local.putInt(0x04034b50).putShort((short) 20).putShort((short) FLAG_UTF8).putShort((short) method)
                .putShort((short) DOS_TIME).putShort((short) DOS_DATE).putInt((int) crc).putInt(data.length)
                .putInt((int) declaredSize).putShort((short) nameBytes.length).putShort((short) 0);
        out.writeBytes(local.array());
        out.writeBytes(nameBytes);
        out.writeBytes(data);
        ByteBuffer cen = ByteBuffer.allocate(46).order(ByteOrder.LITTLE_ENDIAN);
        cen.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) FLAG_UTF8)
                .putShort((short) method).putShort((short) DOS_TIME).putShort((short) DOS_DATE).putInt((int) crc)
                .putInt(data.length).putInt((int) declaredSize).putShort((short) nameBytes.length).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0).putInt(offset);
        central.writeBytes(cen.array());
        central.writeBytes(nameBytes);
        count++;
        return this;
    }

    byte[] finish() {
        int cenOffset = out.size();
        out.writeBytes(central.toByteArray());
        ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) count).putShort((short) count)
                .putInt(central.size()).putInt(cenOffset).putShort((short) 0);
        out.writeBytes(end.array());
        return out.toByteArray();
    }

    static byte[] deflate(byte[] content) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            deflater.setInput(content);
            deflater.finish();
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(content.length / 2 + 64);
            byte[] chunk = new byte[8192];
            while (!deflater.finished()) {
                buffer.write(chunk, 0, deflater.deflate(chunk));
            }
            return buffer.toByteArray();
        } finally {
            deflater.end();
        }
    }

    static long crc(byte[] content) {
        CRC32 crc = new CRC32();
        crc.update(content);
        return crc.getValue();
    }
}
