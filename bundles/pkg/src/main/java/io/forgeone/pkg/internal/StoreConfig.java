package io.forgeone.pkg.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "ForgeOne package store", description = "Verified packages by SHA-256 (PID io.forgeone.pkg.store)")
public @interface StoreConfig {

    @AttributeDefinition(description = "Folder of the stored packages; a relative path is taken from the forge.var "
            + "framework property (else the working directory)")
    String directory() default "packages";

    @AttributeDefinition(description = "How many packages' signature results are remembered in memory")
    int remembered_packages() default 256;
}
