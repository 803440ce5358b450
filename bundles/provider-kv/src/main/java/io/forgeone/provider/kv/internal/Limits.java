package io.forgeone.provider.kv.internal;

/** The store's size limits, copied once from the configuration. */
record Limits(int maxKeyBytes, int maxValueBytes, long maxPackageBytes, int maxKeys) {
    /** Keys are hex-encoded into file names, which most file systems cap at 255 bytes. */
    static final int KEY_BYTES_CAP = 127;

    Limits {
        if (maxKeyBytes < 1 || maxKeyBytes > KEY_BYTES_CAP) {
            throw new IllegalArgumentException("max_key_bytes is " + maxKeyBytes + "; it must be 1.." + KEY_BYTES_CAP);
        }
        if (maxValueBytes < 0 || maxPackageBytes < 0 || maxKeys < 1) {
            throw new IllegalArgumentException("max_value_bytes, max_package_bytes and max_keys must be positive");
        }
    }

    static Limits of(KvConfig config) {
        return new Limits(config.max_key_bytes(), config.max_value_bytes(), config.max_package_bytes(),
                config.max_keys());
    }
}
