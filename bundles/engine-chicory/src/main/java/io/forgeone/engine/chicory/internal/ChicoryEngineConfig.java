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
}
