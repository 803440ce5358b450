package io.forgeone.pkg.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "ForgeOne package builder", description = "Building and signing packages (PID io.forgeone.pkg.builder)")
public @interface BuilderConfig {

    @AttributeDefinition(description = "How long a package is valid when its forge.json gives no expiry, in days")
    int default_validity_days() default 365;
}
