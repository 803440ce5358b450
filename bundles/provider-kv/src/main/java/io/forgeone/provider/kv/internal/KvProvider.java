package io.forgeone.provider.kv.internal;

import io.forgeone.api.capability.CapabilityProvider;
import io.forgeone.api.capability.ProvidedFunction;
import io.forgeone.api.capability.ProviderContext;
import io.forgeone.api.capability.ProviderSession;
import io.forgeone.api.engine.HostFunction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code forge:kv} capability: a key-value store per package, kept under the node's state folder
 * ({@code var/state/kv/PACKAGE/}) so that it outlives containers and node restarts. A bare module (not from a
 * package) gets a store of its own by the module's SHA-256 ({@code var/state/kv/module-SHA256/}).
 */
@Component(service = CapabilityProvider.class, configurationPid = "io.forgeone.provider.kv",
        property = CapabilityProvider.MODULE_PROPERTY + "=" + KvFunction.MODULE)
@Designate(ocd = KvConfig.class)
public final class KvProvider implements CapabilityProvider {
    private static final Logger LOG = LoggerFactory.getLogger(KvProvider.class);
    private static final Pattern PACKAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final List<ProvidedFunction> FUNCTIONS = List.of(
            new ProvidedFunction("get", KvFunction.Op.GET.signature, ProvidedFunction.FUNCTIONS),
            new ProvidedFunction("put", KvFunction.Op.PUT.signature, ProvidedFunction.FUNCTIONS),
            new ProvidedFunction("delete", KvFunction.Op.DELETE.signature, ProvidedFunction.FUNCTIONS),
            new ProvidedFunction("list", KvFunction.Op.LIST.signature, ProvidedFunction.FUNCTIONS));

    private final String dir;
    private final Limits limits;
    /** One store per folder, shared by every container of a package. */
    private final Map<Path, KvStore> stores = new ConcurrentHashMap<>();

    @Activate
    public KvProvider(KvConfig config) {
        this.dir = config.dir();
        this.limits = Limits.of(config);
    }

    @Override
    public String module() {
        return KvFunction.MODULE;
    }

    @Override
    public String description() {
        return "key-value store per package (keys up to " + limits.maxKeyBytes() + " B, values up to "
                + limits.maxValueBytes() + " B, " + limits.maxPackageBytes() + " B per package)";
    }

    @Override
    public List<ProvidedFunction> functions() {
        return FUNCTIONS;
    }

    @Override
    public ProviderSession open(ProviderContext context) {
        String namespace;
        if (context.packageName() != null) {
            if (!PACKAGE.matcher(context.packageName()).matches()) {
                throw new IllegalArgumentException("package name '" + context.packageName()
                        + "' cannot name a store folder");
            }
            namespace = context.packageName();
        } else {
            namespace = "module-" + context.moduleSha256();
        }
        Path root = dir == null || dir.isBlank() ? context.stateDir().resolve("kv") : Path.of(dir);
        KvStore store;
        try {
            store = stores.computeIfAbsent(root.resolve(namespace).toAbsolutePath().normalize(),
                    p -> new KvStore(p, limits));
        } catch (KvException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        LOG.debug("Container {} uses key-value store {}", context.containerName(), store.dir());
        List<KvFunction> functions = new ArrayList<>();
        for (KvFunction.Op op : KvFunction.Op.values()) {
            functions.add(new KvFunction(op, store, context.containerName()));
        }
        return new ProviderSession() {
            @Override
            public List<HostFunction> hostFunctions() {
                return List.copyOf(functions);
            }

            @Override
            public void close() {
                functions.forEach(KvFunction::close);
            }
        };
    }
}
