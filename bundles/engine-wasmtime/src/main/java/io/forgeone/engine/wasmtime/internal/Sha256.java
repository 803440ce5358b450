package io.forgeone.engine.wasmtime.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, which the Java SE specification requires every JVM to have. */
final class Sha256 {

    private Sha256() {
    }

    static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** Lower-case hex, the form the API reports module hashes in. */
    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest(bytes));
    }
}
