package io.forgeone.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "ForgeOne tokens", description = "Bearer tokens, hashed (PID io.forgeone.rest.tokens)")
public @interface TokenStoreConfig {

    @AttributeDefinition(description = "The token file; a relative path is taken from ${forge.home}/etc (else the "
            + "working directory's etc/)")
    String file() default "tokens";

    @AttributeDefinition(description = "When there is no token file at start, create one admin token and write it to "
            + "admin.token beside the token file (owner-only), so that a new node can be reached; delete it once read")
    boolean bootstrap_admin() default true;
}
