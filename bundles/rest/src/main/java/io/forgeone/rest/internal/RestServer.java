package io.forgeone.rest.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.observe.TraceService;
import io.forgeone.api.pkg.PackageStore;
import io.forgeone.api.pkg.PackageVerifier;
import io.forgeone.api.policy.PolicyService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's HTTP server: the JDK's {@code com.sun.net.httpserver} on the configured address (loopback
 * by default), a bounded worker pool, and one handler that hands every request to the {@link Dispatcher}. A
 * configuration change restarts the server. The node's services are optional references: the server stays up
 * while they come and go and answers 503 for what is missing.
 */
@Component(service = {}, configurationPid = "io.forgeone.rest", immediate = true,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = RestConfig.class)
public final class RestServer {
    private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);

    private final RestOptions options;
    private final NodeServices services;
    private final HttpServer server;
    private final ThreadPoolExecutor workers;
    private final Dispatcher dispatcher;

    @Activate
    public RestServer(RestConfig config, @Reference FileTokenStore tokens, @Reference NodeCa ca, BundleContext context)
            throws IOException {
        this.options = options(config, context.getProperty("forge.var"));
        this.services = new NodeServices(tokens);
        this.dispatcher = dispatcher(services, options, context.getBundle().getVersion().toString());
        services.certificates = ca;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(options.threads(), options.threads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(256), r -> {
                    Thread t = new Thread(r, "forge-rest-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        limitRequestTime(options.requestTimeout());
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(options.host()), options.port());
        if (options.tls()) {
            SSLContext tls = ca.serverContext(options.host());
            HttpsServer https = HttpsServer.create(address, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters p = tls.getDefaultSSLParameters();
                    p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                    p.setNeedClientAuth(options.clientAuth().equals("need"));
                    if (options.clientAuth().equals("want")) {
                        p.setWantClientAuth(true);
                    }
                    params.setSSLParameters(p);
                }
            });
            this.server = https;
        } else {
            this.server = HttpServer.create(address, 64);
        }
        server.setExecutor(workers);
        server.createContext("/", this::serve);
        server.start();
        InetSocketAddress bound = server.getAddress();
        if (!bound.getAddress().isLoopbackAddress()) {
            LOG.warn("The REST control plane listens on {}:{}, beyond this machine", bound.getAddress().getHostAddress(),
                    bound.getPort());
        }
        LOG.info("REST control plane on {}://{}:{}/v1 ({} routes{})", options.tls() ? "https" : "http",
                bound.getAddress().getHostAddress(), bound.getPort(), dispatcher.routes().size(),
                options.tls() ? ", client certificates: " + options.clientAuth() : "");
        Optional<Path> adminToken = tokens.bootstrapIfAllowed();
        this.endpoint = context.registerService(URI.class, endpointUri(bound), endpointProperties(bound, adminToken));
    }

    /** The service property that marks the {@link URI} service this server registers. */
    static final String ENDPOINT_PROPERTY = "forge.endpoint";
    /** The service property naming the file the first admin token was written to, when this start made one. */
    static final String ADMIN_TOKEN_PROPERTY = "forge.admin.token.file";

    private final ServiceRegistration<URI> endpoint;

    /**
     * Where the API is, as a {@code java.net.URI} service ({@value #ENDPOINT_PROPERTY}=rest): a {@code java.*} type,
     * so that the launcher (outside OSGi) can tell the operator where the node listens and where the first admin
     * token went, without a class of this bundle.
     */
    private URI endpointUri(InetSocketAddress bound) {
        String host = bound.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create((options.tls() ? "https" : "http") + "://" + host + ":" + bound.getPort() + "/v1");
    }

    private static Dictionary<String, Object> endpointProperties(InetSocketAddress bound, Optional<Path> adminToken) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(ENDPOINT_PROPERTY, "rest");
        props.put("forge.endpoint.port", bound.getPort());
        adminToken.ifPresent(p -> props.put(ADMIN_TOKEN_PROPERTY, p.toString()));
        return props;
    }

    /** The JDK server's one knob for clients that stall mid-request; a JVM-wide system property. */
    static final String MAX_REQ_TIME = "sun.net.httpserver.maxReqTime";

    /**
     * Closes connections whose request line, headers or body have not all arrived within {@code timeout}. The
     * JDK server reads this system property once, when the JVM makes its first server, and has no per-server
     * setting; so it is set here unless the launcher set it, and a later change of the timeout needs a restart.
     * It does not limit responses, so log streams are not cut.
     */
    static void limitRequestTime(Duration timeout) {
        String set = System.getProperty(MAX_REQ_TIME);
        if (set == null) {
            System.setProperty(MAX_REQ_TIME, Long.toString(Math.max(1, timeout.toSeconds())));
        } else if (!set.equals(Long.toString(timeout.toSeconds()))) {
            LOG.info("Requests that stall are cut after {} s ({}), not request.timeout.seconds={}", set, MAX_REQ_TIME,
                    timeout.toSeconds());
        }
    }

    static Dispatcher dispatcher(NodeServices services, RestOptions options, String version) {
        Routes routes = new Routes();
        new NodeRoutes(services, version).register(routes);
        new ContainerRoutes(services, options).register(routes);
        new PackageRoutes(services, options).register(routes);
        new PolicyRoutes(services).register(routes);
        new TokenRoutes(services).register(routes);
        new CertificateRoutes(services).register(routes);
        new MetricsRoute(services, options.metricsOpen()).register(routes);
        new QuarantineRoutes(services).register(routes);
        new TraceRoutes(services).register(routes);
        new SnapshotRoutes(services).register(routes);
        return new Dispatcher(routes.all(), services, options,
                new AuthFailures(options.maxAuthFailures(), options.authWindow(), System::nanoTime));
    }

    static RestOptions options(RestConfig config, String var) {
        Path base = (var == null || var.isBlank() ? Path.of("") : Path.of(var)).toAbsolutePath().normalize();
        Path modules = config.allow_modules() ? base.resolve("rest").resolve("modules") : null;
        return new RestOptions(config.host(), config.port(), config.threads(), config.max_json_bytes(),
                config.max_upload_bytes(), base, config.package_directory(), modules, config.auth_max_failures(),
                Duration.ofSeconds(Math.max(1, config.auth_window_seconds())), config.max_streams(),
                Duration.ofMillis(200), Duration.ofSeconds(Math.max(1, config.request_timeout_seconds())), config.max_uploads(), config.tls(),
                config.client_auth().trim().toLowerCase(java.util.Locale.ROOT), config.metrics_open());
    }

    @Deactivate
    void stop() {
        try {
            endpoint.unregister();
        } catch (IllegalStateException e) {
            LOG.debug("The endpoint service was already gone: {}", e.getMessage()); // the bundle is stopping
        }
        server.stop(0);
        workers.shutdownNow();
        LOG.info("REST control plane stopped");
    }

    private void serve(HttpExchange exchange) {
        try (exchange) {
            Reply reply = dispatcher.dispatch(new ExchangeRequest(exchange));
            var headers = exchange.getResponseHeaders();
            headers.set("Cache-Control", "no-store");
            headers.set("X-Content-Type-Options", "nosniff");
            if (reply.status() == 401) {
                headers.set("WWW-Authenticate", "Bearer realm=\"forgeone\"");
            }
            if (reply.json() instanceof Map<?, ?> body && body.get("error") instanceof Map<?, ?> error
                    && error.get("retryAfterSeconds") instanceof Long seconds) {
                headers.set("Retry-After", seconds.toString());
            }
            headers.set("Content-Type", reply.contentType());
            if (reply.stream() != null) {
                exchange.sendResponseHeaders(reply.status(), 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    reply.stream().write(out);
                }
                return;
            }
            byte[] body = reply.raw() != null ? reply.raw() : Json.canonical(reply.json());
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(reply.status(), head ? -1 : body.length == 0 ? -1 : body.length);
            if (!head && body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            // the client went away mid-answer: nothing to tell it
            LOG.debug("Client {} went away: {}", exchange.getRemoteAddress(), e.getMessage());
        }
    }

    /** A JDK exchange seen as a {@link Dispatcher.Request}. */
    private static final class ExchangeRequest implements Dispatcher.Request {
        private final HttpExchange exchange;

        ExchangeRequest(HttpExchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public String method() {
            return exchange.getRequestMethod();
        }

        @Override
        public String rawPath() {
            return exchange.getRequestURI().getRawPath();
        }

        @Override
        public String rawQuery() {
            return exchange.getRequestURI().getRawQuery();
        }

        @Override
        public String header(String name) {
            return exchange.getRequestHeaders().getFirst(name);
        }

        @Override
        public String remoteAddress() {
            InetSocketAddress remote = exchange.getRemoteAddress();
            return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
        }

        @Override
        public long contentLength() {
            String v = exchange.getRequestHeaders().getFirst("Content-Length");
            if (v == null) {
                return exchange.getRequestHeaders().containsKey("Transfer-Encoding") ? -1 : 0;
            }
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new ApiError(400, "invalid_header", "Content-Length is not a number");
            }
        }

        @Override
        public InputStream body() {
            return exchange.getRequestBody();
        }
    }

    // the node's services, any of which may come and go (greedy: a better one replaces the bound one)

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setContainers(ContainerRuntime runtime) {
        services.containers = runtime;
    }

    void unsetContainers(ContainerRuntime runtime) {
        if (services.containers == runtime) {
            services.containers = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setPackages(PackageStore store, Map<String, Object> properties) {
        services.packageDirectory = options.packageDirectory(properties.get("directory"));
        services.packages = store;
    }

    void unsetPackages(PackageStore store) {
        if (services.packages == store) {
            services.packages = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setVerifier(PackageVerifier verifier) {
        services.verifier = verifier;
    }

    void unsetVerifier(PackageVerifier verifier) {
        if (services.verifier == verifier) {
            services.verifier = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setTraces(TraceService traces) {
        services.traces = traces;
    }

    void unsetTraces(TraceService traces) {
        if (services.traces == traces) {
            services.traces = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setSnapshots(io.forgeone.api.observe.SnapshotService snapshots, Map<String, Object> properties) {
        services.snapshotDirectory = options.snapshotDirectory(properties.get("snapshot.dir"));
        services.snapshots = snapshots;
    }

    void unsetSnapshots(io.forgeone.api.observe.SnapshotService snapshots) {
        if (services.snapshots == snapshots) {
            services.snapshots = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setPolicies(PolicyService policies) {
        services.policies = policies;
    }

    void unsetPolicies(PolicyService policies) {
        if (services.policies == policies) {
            services.policies = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setMetrics(io.forgeone.api.metrics.MetricsExposition metrics) {
        services.metrics = metrics;
    }

    void unsetMetrics(io.forgeone.api.metrics.MetricsExposition metrics) {
        if (services.metrics == metrics) {
            services.metrics = null;
        }
    }
}
