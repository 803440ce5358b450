package io.forgeone.pkg.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "ForgeOne trust store", description = "Trusted publisher keys and revocations (PID io.forgeone.pkg.trust)")
public @interface TrustStoreConfig {

    @AttributeDefinition(description = "Folder of <publisher>.pem key files and revoked.txt; a relative path is "
            + "taken from the forge.home framework property (else the working directory)")
    String directory() default "etc/trust";
}
