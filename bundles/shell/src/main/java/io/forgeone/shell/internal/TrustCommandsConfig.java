package io.forgeone.shell.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "ForgeOne shell: trust store commands",
        description = "Gogo commands that change the node's trust store (PID " + TrustCommands.PID + ")")
public @interface TrustCommandsConfig {

    @AttributeDefinition(description = "Allow forge:trust add and forge:trust revoke from the shell. Off by default:"
            + " whoever reaches the shell could otherwise make the node run packages signed by any key. Listing is"
            + " always allowed; the operator's own 'forge trust' command line is not affected")
    boolean enabled() default false;
}
