package io.forgeone.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "ForgeOne tokens", description = "Bearer tokens, hashed (PID io.forgeone.rest.tokens)")
public @interface TokenStoreConfig {

    @AttributeDefinition(description = "The token file; a relative path is taken from ${forge.home}/etc (else the "
            + "working directory's etc/)")
    String file() default "tokens";
}
