package io.forgeone.trust.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "ForgeOne policy gate", description = "Policies and the decision log (PID io.forgeone.trust)")
public @interface TrustConfig {

    @AttributeDefinition(description = "Folder of policy files; empty: etc/policies of the node (framework property forge.home)")
    String policy_dir() default "";

    @AttributeDefinition(description = "Decision log file; empty: log/decisions.log in the node's state folder (forge.var)")
    String decision_log() default "";

    @AttributeDefinition(description = "Node mode: enforce, or audit / permissive to weaken every policy")
    String mode() default "enforce";

    @AttributeDefinition(description = "How often policy files are checked for changes, in ms")
    long reload_ms() default 1000;

    @AttributeDefinition(description = "Decision log size before rotation, in MiB")
    int log_max_mib() default 16;

    @AttributeDefinition(description = "Rotated decision logs kept")
    int log_keep() default 5;
}
