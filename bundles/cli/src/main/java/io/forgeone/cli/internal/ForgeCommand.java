package io.forgeone.cli.internal;

import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.engine.WasmEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code forge} executable's commands. The launcher runs outside OSGi and finds this service by its
 * {@code java.*} type ({@link ToIntFunction}, shared by every class loader) and {@code forge.command=main}; it
 * passes the process arguments and exits with the returned code. Everything a person sees goes to file
 * descriptors 1 and 2 (the launcher points {@code System.out}/{@code err} at the log file), and nothing but one
 * line per problem: stack traces only reach the log.
 */
@Component(service = ToIntFunction.class, property = "forge.command=main")
public final class ForgeCommand implements ToIntFunction<String[]> {
    private static final Logger LOG = LoggerFactory.getLogger(ForgeCommand.class);

    private final Terminal terminal;
    private final String version;
    private final String platform;
    /** How long {@code forge pkg} and {@code forge trust} wait for a package service still starting. */
    private static final Duration SERVICE_WAIT = Duration.ofSeconds(3);

    private final RunCommand run;
    private final OptionalServices packages;
    private final PkgCommand pkg;
    private final TrustCommand trust;
    private final OptionalServices policies;
    private final PolicyCommand policy;
    private final AuditCommand audit;
    /** The observer's services, for forge trace, forge replay and forge snapshot. */
    private final OptionalServices observers;
    private final TraceCommand traces;
    /** The token store and the node CA (the rest bundle), for forge token and forge cert. */
    private final OptionalServices auth;
    /**
     * Where the optional services come from in a framework: looked up when a command needs them, never bound up
     * front (binding them started the crypto bundle, the package services and the snapshot signer in every
     * {@code forge run}); null in unit tests, which bind them.
     */
    private final ServiceLookup lookup;
    private final TokenCommand tokens;
    private final CertCommand certs;
    private final SnapshotCommand snapshots;
    private final List<WasmEngine> engines = new CopyOnWriteArrayList<>();
    private final ContainerRuntime runtime;

    @Activate
    public ForgeCommand(BundleContext context, @Reference(name = "runtime") ContainerRuntime runtime) {
        this(runtime, Terminal.process(), context.getBundle().getVersion().toString(), platform(context),
                System::getenv, Path.of("").toAbsolutePath(), new ServiceLookup(context));
    }

    private ForgeCommand(ContainerRuntime runtime, Terminal terminal, String version, String platform,
            UnaryOperator<String> hostEnv, Path workDir, ServiceLookup lookup) {
        this(runtime, terminal, version, platform, hostEnv,
                new OptionalServices(SERVICE_WAIT, OptionalServices.PACKAGE_BUNDLES, lookup),
                new OptionalServices(SERVICE_WAIT, OptionalServices.TRUST_BUNDLE, lookup), workDir, lookup);
    }

    ForgeCommand(ContainerRuntime runtime, Terminal terminal, String version, String platform,
            UnaryOperator<String> hostEnv) {
        this(runtime, terminal, version, platform, hostEnv, new OptionalServices(Duration.ZERO,
                OptionalServices.PACKAGE_BUNDLES), Path.of("").toAbsolutePath());
    }

    ForgeCommand(ContainerRuntime runtime, Terminal terminal, String version, String platform,
            UnaryOperator<String> hostEnv, OptionalServices packages, Path workDir) {
        this(runtime, terminal, version, platform, hostEnv, packages, new OptionalServices(Duration.ZERO,
                OptionalServices.TRUST_BUNDLE), workDir);
    }

    /**
     * @param packages the package and key services (bound by unit tests)
     * @param policies the policy and audit services (bound by unit tests)
     * @param workDir the folder relative paths on the command line are resolved against (the caller's)
     */
    ForgeCommand(ContainerRuntime runtime, Terminal terminal, String version, String platform,
            UnaryOperator<String> hostEnv, OptionalServices packages, OptionalServices policies, Path workDir) {
        this(runtime, terminal, version, platform, hostEnv, packages, policies, workDir, null);
    }

    private ForgeCommand(ContainerRuntime runtime, Terminal terminal, String version, String platform,
            UnaryOperator<String> hostEnv, OptionalServices packages, OptionalServices policies, Path workDir,
            ServiceLookup lookup) {
        this.lookup = lookup;
        this.observers = new OptionalServices(SERVICE_WAIT, OptionalServices.OBSERVER_BUNDLE, lookup);
        this.auth = new OptionalServices(SERVICE_WAIT, OptionalServices.REST_BUNDLE, lookup);
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.terminal = Objects.requireNonNull(terminal, "terminal");
        this.version = Objects.requireNonNull(version, "version");
        this.platform = Objects.requireNonNull(platform, "platform");
        this.run = new RunCommand(runtime, terminal, this::engineNames, hostEnv,
                () -> observers.get(io.forgeone.api.observe.TraceService.class));
        this.packages = Objects.requireNonNull(packages, "packages");
        this.pkg = new PkgCommand(packages, terminal, workDir);
        this.trust = new TrustCommand(packages, terminal, workDir);
        this.policies = Objects.requireNonNull(policies, "policies");
        this.policy = new PolicyCommand(policies, terminal, workDir);
        this.audit = new AuditCommand(policies, terminal, Clock.systemUTC());
        this.traces = new TraceCommand(observers, terminal, workDir);
        this.tokens = new TokenCommand(auth, terminal);
        this.certs = new CertCommand(auth, terminal, workDir);
        this.snapshots = new SnapshotCommand(runtime, observers, terminal, workDir);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEngine(WasmEngine engine) {
        engines.add(engine);
    }

    void unbindEngine(WasmEngine engine) {
        engines.remove(engine);
    }

    @Deactivate
    void deactivate() {
        run.close();
        audit.close();
        if (lookup != null) {
            lookup.close();
        }
    }

    @Override
    public int applyAsInt(String[] args) {
        List<String> all = Arrays.asList(args == null ? new String[0] : args);
        try {
            return dispatch(all);
        } catch (RuntimeException e) {
            // a bug or a runtime in trouble: one line for the person, the whole story in the log
            LOG.error("forge {} failed", String.join(" ", all), e);
            terminal.error(Outcome.PREFIX + "internal error: " + e + " (see the log)");
            return Outcome.FAILED;
        }
    }

    private int dispatch(List<String> args) {
        if (args.isEmpty()) {
            // the launcher starts a node when there are no arguments; reaching here means someone else called
            terminal.error(Outcome.PREFIX + "no command given (" + HelpText.MAIN_HINT + ")");
            return Outcome.USAGE;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        switch (command) {
            case "run":
                return run.execute(rest);
            case "pkg":
                return pkg.execute(rest);
            case "trust":
                return trust.execute(rest);
            case "policy":
                return policy.execute(rest);
            case "audit":
                return audit.execute(rest);
            case "trace":
                return traces.trace(rest);
            case "replay":
                return traces.replay(rest);
            case "engines":
                return table(rest, "engines", ENGINES_USAGE, () -> Tables.engines(runtime.engines()));
            case "providers":
                return table(rest, "providers", PROVIDERS_USAGE, () -> Tables.providers(runtime.providers()));
            case "token":
                return tokens.execute(rest);
            case "cert":
                return certs.execute(rest);
            case "snapshot":
                return snapshots.execute(rest);
            case "-h":
            case "--help":
            case "help":
                return help(rest);
            case "-V":
            case "--version":
            case "version":
                return version(rest);
            default:
                if (command.startsWith("-")) {
                    terminal.error(Outcome.PREFIX + "unknown option '" + command + "' (" + HelpText.MAIN_HINT + ")");
                } else {
                    terminal.error(Outcome.PREFIX + "unknown command '" + command + "'");
                }
                terminal.error("Usage: forge [COMMAND] [ARGS...]    commands: run, pkg, trust, policy, audit, trace,"
                        + " replay, snapshot, engines, providers, token, cert, node, version,"
                        + " help");
                return Outcome.USAGE;
        }
    }

    private int help(List<String> rest) {
        if (rest.isEmpty()) {
            terminal.print(HelpText.main());
            return 0;
        }
        if (rest.size() == 1 && rest.get(0).equals("run")) {
            terminal.print(HelpText.run(engineNames()));
            return 0;
        }
        if (rest.get(0).equals("pkg") && rest.size() <= 2) {
            String page = rest.size() == 1 ? HelpText.pkg() : pkg.help(rest.get(1));
            if (page != null) {
                terminal.print(page);
                return 0;
            }
        }
        if (rest.get(0).equals("trust") && rest.size() <= 2) {
            String page = rest.size() == 1 ? HelpText.trust() : TrustCommand.help(rest.get(1));
            if (page != null) {
                terminal.print(page);
                return 0;
            }
        }
        if (rest.get(0).equals("policy") && rest.size() <= 2) {
            String page = rest.size() == 1 ? HelpText.policy() : PolicyCommand.help(rest.get(1));
            if (page != null) {
                terminal.print(page);
                return 0;
            }
        }
        if (rest.size() == 1 && rest.get(0).equals("audit")) {
            terminal.print(HelpText.audit());
            return 0;
        }
        if (rest.size() == 1 && rest.get(0).equals("token")) {
            terminal.print(TokenCommand.help());
            return 0;
        }
        if (rest.size() == 1 && rest.get(0).equals("cert")) {
            terminal.print(CertCommand.help());
            return 0;
        }
        if (rest.size() == 1 && rest.get(0).equals("node")) {
            terminal.print("Usage: forge node\n\nRun a headless node with the REST API until SIGTERM; "
                    + "'forge node --help' has the whole page.\n");
            return 0;
        }
        if (rest.size() == 1 && rest.get(0).equals("trace")) {
            terminal.print(TraceCommand.TRACE_USAGE + "\n");
            return 0;
        }
        if (rest.size() == 1 && rest.get(0).equals("snapshot")) {
            terminal.print(SnapshotCommand.USAGE + "\n");
            return 0;
        }
        if (rest.size() == 1 && rest.get(0).equals("replay")) {
            terminal.print(TraceCommand.REPLAY_USAGE + "\n");
            return 0;
        }
        if (rest.size() == 1 && rest.get(0).equals("engines")) {
            terminal.print(ENGINES_USAGE);
            return 0;
        }
        if (rest.size() == 1 && rest.get(0).equals("providers")) {
            terminal.print(PROVIDERS_USAGE);
            return 0;
        }
        if (rest.size() == 1 && (rest.get(0).equals("version") || rest.get(0).equals("help"))) {
            terminal.print(HelpText.main());
            return 0;
        }
        terminal.error(Outcome.PREFIX + "no help for '" + String.join(" ", rest) + "' (" + HelpText.MAIN_HINT + ")");
        return Outcome.USAGE;
    }

    static final String ENGINES_USAGE = "Usage: forge engines\n\n"
            + "The WebAssembly engines installed in this installation's node (system/ and deploy/): name, bundle id,\n"
            + "bundle and version, and description. A one-shot forge runs no containers; in a running node,\n"
            + "forge:engines also lists the containers running on each.\n";

    static final String PROVIDERS_USAGE = "Usage: forge providers\n\n"
            + "The capability providers installed in this installation's node (forge:kv, forge:http, ...): module,\n"
            + "bundle id and version, and each function with its signature and the policy grant it needs\n"
            + "(docs/providers.md). In a running node, forge:providers also lists the containers using each.\n";

    /** A listing command that takes no arguments but --help. */
    private int table(List<String> rest, String command, String usage, java.util.function.Supplier<String> table) {
        if (rest.size() == 1 && (rest.get(0).equals("-h") || rest.get(0).equals("--help"))) {
            terminal.print(usage);
            return 0;
        }
        if (!rest.isEmpty()) {
            terminal.error(Outcome.PREFIX + command + " takes no arguments (forge help " + command + ")");
            return Outcome.USAGE;
        }
        terminal.print(table.get());
        return 0;
    }

    private int version(List<String> rest) {
        if (!rest.isEmpty()) {
            terminal.error(Outcome.PREFIX + "version takes no arguments (" + HelpText.MAIN_HINT + ")");
            return Outcome.USAGE;
        }
        StringBuilder out = new StringBuilder("forge ").append(version).append('\n');
        List<WasmEngine> current = new ArrayList<>(engines);
        current.sort(Comparator.comparing(WasmEngine::name));
        for (WasmEngine engine : current) {
            out.append("engine ").append(engine.name()).append(": ").append(engine.description()).append('\n');
        }
        out.append(platform).append('\n');
        terminal.print(out.toString());
        return 0;
    }

    private List<String> engineNames() {
        return engines.stream().map(WasmEngine::name).sorted().distinct().collect(Collectors.toList());
    }

    private static String platform(BundleContext context) {
        Bundle framework = context.getBundle(0);
        return "java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + "), "
                + (framework == null ? "OSGi" : framework.getSymbolicName() + " " + framework.getVersion());
    }
}
