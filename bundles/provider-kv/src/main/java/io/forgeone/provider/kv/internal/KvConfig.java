package io.forgeone.provider.kv.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "ForgeOne forge:kv provider",
        description = "Key-value store per package (PID io.forgeone.provider.kv)")
public @interface KvConfig {

    @AttributeDefinition(description = "Folder of the stores, one subfolder per package; empty: kv/ in the node's"
            + " state folder (var/state/kv)")
    String dir() default "";

    @AttributeDefinition(description = "Longest key, in UTF-8 bytes (at most 127: keys are file names, hex-encoded)")
    int max_key_bytes() default 100;

    @AttributeDefinition(description = "Largest value, in bytes")
    int max_value_bytes() default 1048576;

    @AttributeDefinition(description = "Most bytes (keys and values) one package may store")
    long max_package_bytes() default 16777216;

    @AttributeDefinition(description = "Most keys one package may store")
    int max_keys() default 10000;
}
