package io.forgeone.pkg.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "ForgeOne package verifier",
        description = "How packages are verified (PID io.forgeone.pkg.verifier)")
public @interface VerifierConfig {

    @AttributeDefinition(description = "enforce: refuse a package that fails any check; audit: refuse only unsafe "
            + "packages and log authenticity failures; off: check safety only",
            options = {@Option(value = "enforce"), @Option(value = "audit"), @Option(value = "off")})
    String mode() default "enforce";

    @AttributeDefinition(description = "Require valid signatures by both a classical and a post-quantum key of the publisher")
    boolean require_hybrid() default false;

    @AttributeDefinition(description = "How far in the future a package's creation time may be, in seconds")
    long clock_skew_seconds() default 300;

    @AttributeDefinition(description = "Largest package file, in MiB")
    int max_package_mib() default 256;

    @AttributeDefinition(description = "Most entries in a package")
    int max_entries() default 1024;

    @AttributeDefinition(description = "Largest entry after inflating, in MiB")
    int max_entry_mib() default 256;

    @AttributeDefinition(description = "Largest sum of all entries after inflating, in MiB")
    int max_total_mib() default 512;

    @AttributeDefinition(description = "Largest manifest (forge.json), in KiB")
    int max_manifest_kib() default 256;
}
