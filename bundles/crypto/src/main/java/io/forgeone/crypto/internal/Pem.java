package io.forgeone.crypto.internal;

import io.forgeone.api.crypto.CryptoException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * PEM (RFC 7468) over ASCII bytes, so that private key text never becomes a {@code String} and every buffer that
 * held key material can be zeroed.
 */
final class Pem {
    static final String PUBLIC_KEY = "PUBLIC KEY";
    static final String PRIVATE_KEY = "PRIVATE KEY";
    private static final byte[] BEGIN = "-----BEGIN ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "-----END ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DASHES = "-----".getBytes(StandardCharsets.US_ASCII);

    /** One block: its label and the DER it holds (zero it when it is key material). */
    record Block(String label, byte[] der) {
    }

    private Pem() {
    }

    /** Every block in the text, in order; text between blocks is ignored. */
    static List<Block> read(byte[] text) {
        List<Block> blocks = new ArrayList<>();
        int pos = 0;
        int lineNo = 0;
        String label = null;
        int beginLine = 0;
        ByteArrayOutputStream base64 = null;
        byte[] scratch = null;
        try {
            while (pos < text.length) {
                int end = pos;
                while (end < text.length && text[end] != '\n') {
                    end++;
                }
                int lineEnd = end;
                while (lineEnd > pos && (text[lineEnd - 1] == '\r' || text[lineEnd - 1] == ' ' || text[lineEnd - 1] == '\t')) {
                    lineEnd--;
                }
                int lineStart = pos;
                while (lineStart < lineEnd && (text[lineStart] == ' ' || text[lineStart] == '\t')) {
                    lineStart++;
                }
                lineNo++;
                if (label == null) {
                    if (startsWith(text, lineStart, lineEnd, BEGIN) && endsWith(text, lineStart, lineEnd, DASHES)) {
                        label = new String(text, lineStart + BEGIN.length, lineEnd - lineStart - BEGIN.length - DASHES.length,
                                StandardCharsets.US_ASCII);
                        beginLine = lineNo;
                        base64 = new ByteArrayOutputStream();
                    }
                } else if (startsWith(text, lineStart, lineEnd, END)) {
                    String endLabel = new String(text, lineStart + END.length,
                            Math.max(0, lineEnd - lineStart - END.length - DASHES.length), StandardCharsets.US_ASCII);
                    if (!endLabel.equals(label) || !endsWith(text, lineStart, lineEnd, DASHES)) {
                        throw new CryptoException("PEM block '" + label + "' begun on line " + beginLine
                                + " ends with a different END line on line " + lineNo);
                    }
                    scratch = base64.toByteArray();
                    zero(base64);
                    try {
                        blocks.add(new Block(label, Base64.getDecoder().decode(scratch)));
                    } catch (IllegalArgumentException e) {
                        throw new CryptoException("PEM block '" + label + "' begun on line " + beginLine
                                + " is not valid base64", e);
                    }
                    Arrays.fill(scratch, (byte) 0);
                    label = null;
                    base64 = null;
                } else {
                    for (int i = lineStart; i < lineEnd; i++) {
                        if (text[i] == ':') {
                            throw new CryptoException("PEM block '" + label + "' has headers (line " + lineNo
                                    + "): encrypted legacy PEM is not supported");
                        }
                    }
                    base64.write(text, lineStart, lineEnd - lineStart);
                }
                pos = end + 1;
            }
            if (label != null) {
                throw new CryptoException("PEM block '" + label + "' begun on line " + beginLine + " has no END line");
            }
            return blocks;
        } catch (RuntimeException e) {
            blocks.forEach(b -> Arrays.fill(b.der(), (byte) 0));
            throw e;
        } finally {
            if (base64 != null) {
                zero(base64);
            }
            if (scratch != null) {
                Arrays.fill(scratch, (byte) 0);
            }
        }
    }

    /** The block as PEM text: 64 characters a line, each line ending in a newline (as openssl writes it). */
    static byte[] write(String label, byte[] der) {
        byte[] body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encode(der);
        byte[] begin = ("-----BEGIN " + label + "-----\n").getBytes(StandardCharsets.US_ASCII);
        byte[] end = ("\n-----END " + label + "-----\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[begin.length + body.length + end.length];
        System.arraycopy(begin, 0, out, 0, begin.length);
        System.arraycopy(body, 0, out, begin.length, body.length);
        System.arraycopy(end, 0, out, begin.length + body.length, end.length);
        Arrays.fill(body, (byte) 0);
        return out;
    }

    private static boolean startsWith(byte[] text, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (text[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean endsWith(byte[] text, int from, int to, byte[] suffix) {
        if (to - from < suffix.length) {
            return false;
        }
        for (int i = 0; i < suffix.length; i++) {
            if (text[to - suffix.length + i] != suffix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Overwrites a buffer's internal array (reset only rewinds it). */
    private static void zero(ByteArrayOutputStream buffer) {
        int size = buffer.size();
        buffer.reset();
        buffer.write(new byte[size], 0, size);
        buffer.reset();
    }
}
