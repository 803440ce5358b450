package io.forgeone.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "ForgeOne REST control plane", description = "The HTTP API under /v1 (PID io.forgeone.rest)")
public @interface RestConfig {

    @AttributeDefinition(description = "Address to listen on; only loopback unless you mean to expose the node")
    String host() default "127.0.0.1";

    @AttributeDefinition(description = "Port to listen on (0: any free port, logged at start)")
    int port() default 8080;

    @AttributeDefinition(description = "Worker threads (each open log stream holds one)")
    int threads() default 16;

    @AttributeDefinition(description = "Largest JSON request body in bytes")
    int max_json_bytes() default 1 << 20;

    @AttributeDefinition(description = "Largest package or module upload in bytes")
    long max_upload_bytes() default 64L << 20;

    @AttributeDefinition(description = "Folder of the package store; a relative path is taken from forge.var. Must be the "
            + "folder of PID io.forgeone.pkg.store (default: that service's 'directory' property, else 'packages')")
    String package_directory() default "";

    @AttributeDefinition(description = "Accept bare .wasm modules (POST /v1/modules) that no signature vouches for")
    boolean allow_modules() default false;

    @AttributeDefinition(description = "Failed authentications from one address within the window before it gets 429")
    int auth_max_failures() default 10;

    @AttributeDefinition(description = "The failure window in seconds; also how long an address is refused")
    int auth_window_seconds() default 60;

    @AttributeDefinition(description = "Log streams (follow=true) open at once")
    int max_streams() default 8;

    @AttributeDefinition(description = "Uploads read at once; each holds its body in memory until it is stored")
    int max_uploads() default 2;

    @AttributeDefinition(description = "Seconds a client may take to send a request body")
    int request_timeout_seconds() default 30;

    @AttributeDefinition(description = "Serve HTTPS with the node's own certificate, issued by the node's CA in "
            + "${forge.home}/etc/tls")
    boolean tls() default false;

    @AttributeDefinition(description = "With tls: client certificates from the node's CA are required (need), asked "
            + "for (want) or not asked for (none)", options = {
                @org.osgi.service.metatype.annotations.Option(value = "need"),
                @org.osgi.service.metatype.annotations.Option(value = "want"),
                @org.osgi.service.metatype.annotations.Option(value = "none")})
    String client_auth() default "need";

    @AttributeDefinition(description = "Serve GET /metrics (Prometheus text) without a token; by default it needs a "
            + "viewer token like the rest of the API")
    boolean metrics_open() default false;
}
