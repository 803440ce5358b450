package io.forgeone.engine.chicory.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "ForgeOne Chicory engine",
        description = "WebAssembly engine on Chicory (PID " + ChicoryEngine.PID + ")")
public @interface ChicoryEngineConfig {

    @AttributeDefinition(description = "Most compiled modules kept in memory; the least recently used is dropped first",
            min = "1")
    int cache_size() default 64;

    @AttributeDefinition(description = "Compile modules to JVM bytecode; when false every module runs in the "
            + "interpreter (about a hundred times slower, for diagnosis)")
    boolean compiler_enabled() default true;

    @AttributeDefinition(description = "Directory that keeps compiled modules (generated JVM classes) across "
            + "restarts, so that a module run before is not compiled again. Empty: the node's state directory "
            + "(framework property forge.var) + /cache/chicory, or no disk cache outside a node. The classes in it "
            + "are run as code: it must be writable by the node's user only (it is created rwx------, and one that "
            + "group or others can write is not used)")
    String compiled_cache_dir() default "";

    @AttributeDefinition(description = "Most MiB the disk cache of compiled modules takes; the least recently used "
            + "modules are deleted beyond it. 0 turns the disk cache off", min = "0")
    int compiled_cache_max_mib() default 256;
}
