package io.forgeone.cli.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The services a command needs, looked up in the service registry when it first asks for them rather than bound
 * when the {@code forge} command starts. Each process runs one command, and binding every optional service up front
 * started what {@code forge run} never uses (BouncyCastle and every signature scheme through the package and key
 * services, the snapshot signer): a third of a second of each run. A tracker per type, opened on first use.
 */
final class ServiceLookup implements AutoCloseable {
    /** A service and one of its properties (a scheme and its name). */
    record Found<T>(T service, Object property) {
    }

    private final BundleContext context;
    private final Map<Class<?>, ServiceTracker<?, ?>> trackers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    ServiceLookup(BundleContext context) {
        this.context = context;
    }

    /**
     * The best service of this type (highest ranking, then oldest, as a greedy reference would bind), waiting at most
     * {@code nanos} for one to register.
     *
     * @return the service, or null if none came in time (or the wait was interrupted; the interrupt is kept)
     */
    <T> T find(Class<T> type, long nanos) {
        ServiceTracker<T, T> tracker = tracker(type);
        T service = tracker.getService();
        if (service != null || nanos <= 0) {
            return service;
        }
        try {
            return tracker.waitForService(Math.max(1, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Every service of this type, best first, with the value of {@code property} on each (null where unset). */
    <T> List<Found<T>> all(Class<T> type, String property) {
        ServiceTracker<T, T> tracker = tracker(type);
        ServiceReference<T>[] references = tracker.getServiceReferences();
        if (references == null) {
            return List.of();
        }
        List<ServiceReference<T>> sorted = new ArrayList<>(Arrays.asList(references));
        sorted.sort(Collections.reverseOrder()); // ServiceReference orders by ranking, then age: best last
        List<Found<T>> found = new ArrayList<>();
        for (ServiceReference<T> reference : sorted) {
            T service = tracker.getService(reference);
            if (service != null) {
                found.add(new Found<>(service, reference.getProperty(property)));
            }
        }
        return found;
    }

    @SuppressWarnings("unchecked")
    private <T> ServiceTracker<T, T> tracker(Class<T> type) {
        if (closed) {
            throw new IllegalStateException("the forge command is stopping");
        }
        return (ServiceTracker<T, T>) trackers.computeIfAbsent(type, t -> {
            ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
            tracker.open();
            return tracker;
        });
    }

    @Override
    public void close() {
        closed = true;
        trackers.values().forEach(ServiceTracker::close);
        trackers.clear();
    }
}
