package io.forgeone.kernel.internal;

import io.forgeone.api.engine.InstanceImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * A pre-initialised start image ({@code .fimg}), as Wizer makes them: a module and the memory and globals it had
 * after its initialiser export ran with no host call allowed. Starting from it instantiates the module, writes the
 * image into the instance and calls {@code _start}, so the initialisation is skipped.
 *
 * <pre>
 * "FORGEIMG" version:u8 init-export (u16 length, utf-8)
 * DEFLATE(module length:u32, module, memory length:u32, memory, globals count:u32, globals:i64...)
 * sha256 of everything before: 32 bytes
 * </pre>
 */
final class StartImage {
    static final byte[] MAGIC = "FORGEIMG".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final String EXTENSION = ".fimg";
    private static final int MAX_MODULE = 256 << 20;

    /** What an image file holds. */
    record Contents(String initExport, byte[] module, InstanceImage image) {
    }

    private StartImage() {
    }

    static boolean isImage(byte[] bytes) {
        return bytes.length >= MAGIC.length && Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    static byte[] encode(Contents c) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            DataOutputStream head = new DataOutputStream(bytes);
            head.write(MAGIC);
            head.write(VERSION);
            byte[] export = c.initExport().getBytes(StandardCharsets.UTF_8);
            head.writeShort(export.length);
            head.write(export);
            head.flush();
            Deflater deflater = new Deflater(Deflater.BEST_SPEED);
            try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes, deflater, 1 << 16) {
                @Override
                public void close() throws IOException {
                    finish();
                }
            })) {
                out.writeInt(c.module().length);
                out.write(c.module());
                out.writeInt(c.image().memory().length);
                out.write(c.image().memory());
                out.writeInt(c.image().globals().length);
                for (long g : c.image().globals()) {
                    out.writeLong(g);
                }
            } finally {
                deflater.end();
            }
            byte[] content = bytes.toByteArray();
            bytes.write(sha256(content, content.length));
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads an image.
     *
     * @param what the file or package entry, for messages
     * @param maxMemoryPages the instance's memory limit: a larger image is refused before it is inflated
     * @throws IllegalArgumentException naming {@code what} and the problem
     */
    static Contents decode(byte[] all, String what, int maxMemoryPages) {
        if (!isImage(all)) {
            throw new IllegalArgumentException(what + ": not a ForgeOne start image (it does not start with FORGEIMG)");
        }
        if (all.length < MAGIC.length + 3 + 32) {
            throw new IllegalArgumentException(what + ": the image is cut short (" + all.length + " bytes)");
        }
        if (all[MAGIC.length] != VERSION) {
            throw new IllegalArgumentException(what + ": start image version " + (all[MAGIC.length] & 0xFF)
                    + ", this node reads version " + VERSION);
        }
        int end = all.length - 32;
        byte[] stored = Arrays.copyOfRange(all, end, all.length);
        byte[] computed = sha256(all, end);
        if (!MessageDigest.isEqual(stored, computed)) {
            throw new IllegalArgumentException(what + ": checksum mismatch (stored SHA-256 "
                    + HexFormat.of().formatHex(stored) + ", computed " + HexFormat.of().formatHex(computed)
                    + "): the image is corrupted or cut short");
        }
        int exportLength = (all[MAGIC.length + 1] & 0xFF) << 8 | (all[MAGIC.length + 2] & 0xFF);
        int bodyAt = MAGIC.length + 3 + exportLength;
        if (bodyAt > end) {
            throw new IllegalArgumentException(what + ": the image's header is corrupted");
        }
        String export = new String(all, MAGIC.length + 3, exportLength, StandardCharsets.UTF_8);
        try (DataInputStream in = new DataInputStream(new InflaterInputStream(
                new ByteArrayInputStream(all, bodyAt, end - bodyAt)))) {
            byte[] module = bytes(in, MAX_MODULE, "module");
            long maxMemory = Math.min(Integer.MAX_VALUE - 16, (long) maxMemoryPages * InstanceImage.PAGE_BYTES);
            byte[] memory = bytes(in, (int) maxMemory, "memory (more than the memory limit of " + maxMemoryPages
                    + " pages?)");
            int n = in.readInt();
            if (n < 0 || n > 1 << 20) {
                throw new IOException("impossible count of globals: " + n);
            }
            long[] globals = new long[n];
            for (int i = 0; i < n; i++) {
                globals[i] = in.readLong();
            }
            return new Contents(export, module, new InstanceImage(memory, globals));
        } catch (EOFException e) {
            throw new IllegalArgumentException(what + ": the image ends before its last field", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": the image is invalid (" + e.getMessage() + ")", e);
        }
    }

    private static byte[] bytes(DataInputStream in, int max, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > max) {
            throw new IOException("impossible length of " + what + ": " + n);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(n, 1 << 20));
        byte[] chunk = new byte[Math.min(Math.max(n, 1), 1 << 16)];
        int left = n;
        while (left > 0) {
            int r = in.read(chunk, 0, Math.min(chunk.length, left));
            if (r < 0) {
                throw new EOFException(what + " ends early");
            }
            out.write(chunk, 0, r);
            left -= r;
        }
        return out.toByteArray();
    }

    static byte[] sha256(byte[] bytes, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(bytes, 0, length);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
