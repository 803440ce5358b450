package io.forgeone.kernel.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "ForgeOne kernel", description = "Container runtime settings (PID io.forgeone.kernel)")
public @interface KernelConfig {

    @AttributeDefinition(description = "Engine used when a container names none: an engine's name, or auto (this"
            + " node's choice among the installed engines: chicory first, then wasmtime)")
    String default_engine() default "chicory";

    @AttributeDefinition(description = "Most containers running at once; each runs on its own pool thread")
    int max_running() default 64;

    @AttributeDefinition(description = "Most containers kept (created, running or stopped) before create is refused")
    int max_containers() default 10000;

    @AttributeDefinition(description = "Stack size of container threads, in KiB (deep guest recursion needs more)")
    int thread_stack_kib() default 4096;

    @AttributeDefinition(description = "Largest module file accepted, in MiB")
    int max_module_mib() default 256;

    @AttributeDefinition(description = "SPIFFE trust domain of this node: packages run as spiffe://DOMAIN/pkg/PUBLISHER/NAME")
    String trust_domain() default "forge.local";

    @AttributeDefinition(description = "How long kill waits for a guest to stop before it is marked stopped anyway, in ms")
    long kill_grace_ms() default 2000;

    @AttributeDefinition(description = "When an engine's bundle stops, is updated or uninstalled: 'stop' stops its running"
            + " containers (reason removed, message 'engine removed'); 'finish' lets them run to their end")
    String engine_removal() default "stop";

    @AttributeDefinition(description = "The node's state folder handed to capability providers; empty: ${forge.var}/state")
    String state_dir() default "";
}
