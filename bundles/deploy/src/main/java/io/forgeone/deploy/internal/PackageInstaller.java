package io.forgeone.deploy.internal;

import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.pkg.PackageStore;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Felix FileInstall's extension point for {@code .forgepkg} files in the folders it watches (the node's
 * {@code deploy/}): FileInstall sees the file appear, change or go, and calls {@link #install}, {@link #update} or
 * {@link #uninstall}; {@link Deployments} does the work.
 *
 * <p>Stopping this component leaves the containers it started running (as stopping FileInstall leaves its
 * bundles installed). Starting it again reconciles: FileInstall does not repeat its calls for files it already
 * handed to an installer, so the folder is read here, and the records in the bundle's data area say which
 * containers are already ours.
 */
@Component(service = ArtifactInstaller.class)
public final class PackageInstaller implements ArtifactInstaller {
    /** The node's deploy folder (the distribution sets it: its main FileInstall watches etc/). */
    static final String DEPLOY_DIR = "forge.deploy.dir";
    /** FileInstall's framework property for the folder it watches: the deploy folder when forge.deploy.dir is unset. */
    static final String FILEINSTALL_DIR = "felix.fileinstall.dir";
    /** How long a new version must run before a rollover stops the old one. */
    static final Duration ROLLOVER_SETTLE = Duration.ofMillis(500);
    private static final Logger LOG = LoggerFactory.getLogger(PackageInstaller.class);

    private final Deployments deployments;
    private final ExecutorService reconciler;

    @Activate
    public PackageInstaller(BundleContext context, @Reference(name = "runtime") ContainerRuntime runtime,
            @Reference(name = "store", service = PackageStore.class) Map.Entry<Map<String, Object>, PackageStore> store) {
        Path storeDirectory = storeDirectory(store.getKey().get("directory"), context.getProperty("forge.var"));
        File data = context.getDataFile("deployments.properties");
        this.deployments = new Deployments(runtime, store.getValue(), storeDirectory,
                new DeploymentRecords(data == null ? null : data.toPath()), ROLLOVER_SETTLE);
        List<Path> folders = new ArrayList<>();
        String watched = context.getProperty(DEPLOY_DIR);
        if (watched == null || watched.isBlank()) {
            watched = context.getProperty(FILEINSTALL_DIR);
        }
        if (watched != null && !watched.isBlank()) {
            folders.add(Path.of(watched));
        }
        // off the activating thread: reconciling may verify packages and wait for containers to stop
        this.reconciler = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "forge-deploy-reconcile");
            t.setDaemon(true);
            return t;
        });
        reconciler.execute(() -> {
            try {
                deployments.reconcile(folders);
            } catch (RuntimeException e) {
                LOG.error("Deploy: reconciling the deploy folder {} failed", folders, e);
            }
        });
    }

    /**
     * The package store's folder as the store resolves it: its configured {@code directory} (default
     * {@code packages}) against the node's {@code forge.var}.
     */
    static Path storeDirectory(Object configured, String var) {
        String dir = configured instanceof String s && !s.isBlank() ? s : "packages";
        Path path = Path.of(dir);
        return (path.isAbsolute() || var == null ? path : Path.of(var).resolve(path)).toAbsolutePath().normalize();
    }

    @Deactivate
    void deactivate() {
        reconciler.shutdownNow();
        deployments.close();
        try {
            if (!reconciler.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Deploy: reconciling did not end within 30 s of the deploy bundle stopping");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean canHandle(File artifact) {
        return Deployments.isPackageFile(artifact.toPath());
    }

    @Override
    public void install(File artifact) {
        run(artifact, () -> deployments.deploy(artifact.toPath(), false));
    }

    @Override
    public void update(File artifact) {
        run(artifact, () -> deployments.deploy(artifact.toPath(), true));
    }

    @Override
    public void uninstall(File artifact) {
        run(artifact, () -> deployments.undeploy(artifact.toPath()));
    }

    /** Nothing a file holds may reach FileInstall's thread as an exception: one log line, and the next file. */
    private static void run(File artifact, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | StackOverflowError e) {
            LOG.error("Deploy: {} could not be handled: {}", artifact, e.toString(), e);
        }
    }
}
