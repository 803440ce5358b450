package io.forgeone.provider.http.internal;

import io.forgeone.api.capability.CapabilityProvider;
import io.forgeone.api.capability.ProvidedFunction;
import io.forgeone.api.capability.ProviderContext;
import io.forgeone.api.capability.ProviderSession;
import io.forgeone.api.engine.HostFunction;
import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The {@code forge:http} capability: outbound HTTP requests through the JDK client. Which hosts a workload may
 * reach is the policy's {@code net} grants, decided by the gate from the host and port the call's URL names.
 */
@Component(service = CapabilityProvider.class, configurationPid = "io.forgeone.provider.http",
        property = CapabilityProvider.MODULE_PROPERTY + "=" + RequestFunction.MODULE)
@Designate(ocd = HttpConfig.class)
public final class HttpProvider implements CapabilityProvider {
    private static final List<ProvidedFunction> FUNCTIONS = List.of(
            new ProvidedFunction(RequestFunction.NAME, RequestFunction.SIGNATURE, ProvidedFunction.NET));

    private final RequestFunction.HttpOptions options;
    /** The client's own threads, so that stopping the bundle leaves none behind. */
    private final ExecutorService executor;
    /**
     * Made when the first workload that imports {@code forge:http} starts, not when the provider does: building a
     * JDK client sets up TLS (the default SSL context, the CA certificates), 100 to 200 ms that every node and every
     * {@code forge run} paid, used or not.
     */
    private HttpClient client;

    @Activate
    public HttpProvider(HttpConfig config) {
        this.options = RequestFunction.HttpOptions.of(config);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "forge-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().executor(executor).connectTimeout(options.connectTimeout())
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return client;
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    @Override
    public String module() {
        return RequestFunction.MODULE;
    }

    @Override
    public String description() {
        return "outbound HTTP through the JDK client to hosts the policy's net grants name (timeout "
                + options.requestTimeout().toMillis() + " ms, responses up to " + options.maxResponseBytes() + " B)";
    }

    @Override
    public List<ProvidedFunction> functions() {
        return FUNCTIONS;
    }

    @Override
    public ProviderSession open(ProviderContext context) {
        RequestFunction request = new RequestFunction(client(), options, context.containerName());
        return new ProviderSession() {
            @Override
            public List<HostFunction> hostFunctions() {
                return List.of(request);
            }

            @Override
            public void close() {
                request.close();
            }
        };
    }
}
