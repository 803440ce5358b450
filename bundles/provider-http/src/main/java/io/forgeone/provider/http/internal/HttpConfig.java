package io.forgeone.provider.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "ForgeOne forge:http provider",
        description = "Outbound HTTP requests for workloads (PID io.forgeone.provider.http)")
public @interface HttpConfig {

    @AttributeDefinition(description = "How long connecting may take, in ms")
    long connect_timeout_ms() default 5000;

    @AttributeDefinition(description = "How long a whole request may take, response included, in ms")
    long request_timeout_ms() default 30000;

    @AttributeDefinition(description = "Largest response body read, in bytes; a larger one fails with E2BIG")
    int max_response_bytes() default 1048576;

    @AttributeDefinition(description = "Largest request body sent, in bytes")
    int max_request_bytes() default 1048576;
}
