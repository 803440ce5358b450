package io.forgeone.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/** Access to the framework the tests run in: services, bundles, and the test programs as files. */
final class Node {
    private Node() {
    }

    static BundleContext context() {
        return FrameworkUtil.getBundle(Node.class).getBundleContext();
    }

    static <T> T service(Class<T> type) {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context(), type, null);
        tracker.open();
        try {
            T service = tracker.waitForService(10_000);
            if (service == null) {
                throw new AssertionError("no " + type.getName() + " service within 10 s");
            }
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + type.getName(), e);
        }
    }

    /** The engine named {@code name}, waiting up to 10 s for it (engines come and go with their bundles). */
    static io.forgeone.api.engine.WasmEngine engine(String name) {
        String filter = "(&(objectClass=" + io.forgeone.api.engine.WasmEngine.class.getName() + ")("
                + io.forgeone.api.engine.WasmEngine.NAME_PROPERTY + "=" + name + "))";
        try {
            ServiceTracker<io.forgeone.api.engine.WasmEngine, io.forgeone.api.engine.WasmEngine> tracker =
                    new ServiceTracker<>(context(), context().createFilter(filter), null);
            tracker.open();
            io.forgeone.api.engine.WasmEngine engine = tracker.waitForService(10_000);
            if (engine == null) {
                throw new AssertionError("no engine '" + name + "' within 10 s");
            }
            return engine;
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for engine " + name, e);
        }
    }

    /** Whether the policy gate (trust bundle) decides this node's calls: the policy run, not the plain one. */
    static boolean policyGate() {
        for (Bundle b : context().getBundles()) {
            if (b.getSymbolicName().equals("io.forgeone.trust")) {
                return true;
            }
        }
        return false;
    }

    /** Whether this run installs the bundle (the REST run, for one, has no capability providers). */
    static boolean installed(String symbolicName) {
        for (Bundle b : context().getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return true;
            }
        }
        return false;
    }

    static Bundle bundle(String symbolicName) {
        for (Bundle b : context().getBundles()) {
            if (b.getSymbolicName().equals(symbolicName)) {
                return b;
            }
        }
        throw new AssertionError("bundle " + symbolicName + " is not installed");
    }

    /** Copies test program {@code name} (from testprograms/wasm, inside this bundle) into {@code dir}. */
    static Path wasm(Path dir, String name) {
        Path target = dir.resolve(name);
        try (InputStream in = Node.class.getResourceAsStream("/wasm/" + name)) {
            if (in == null) {
                throw new AssertionError("test program " + name + " is not in the test bundle");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
