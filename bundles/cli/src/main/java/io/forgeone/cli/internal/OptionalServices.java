package io.forgeone.cli.internal;

import io.forgeone.api.crypto.SignatureScheme;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Services some commands use and others do not: the package and key services of {@code forge pkg} and
 * {@code forge trust}, the policy and audit services of {@code forge policy} and {@code forge audit}. Optional, so
 * that {@code forge run} works on a node without those bundles. In a framework they are looked up in the service
 * registry when a command first needs one ({@link ServiceLookup}), so that a command starts only what it uses; unit
 * tests bind them. They register while the node starts, possibly just after this command was called, so a missing
 * one is waited for briefly before the command gives up.
 */
final class OptionalServices {
    /** What {@link Unavailable} says of the package services. */
    static final String PACKAGE_BUNDLES = "the package bundles (io.forgeone.pkg, io.forgeone.crypto) are not"
            + " installed or did not start";
    /** What {@link Unavailable} says of the policy and audit services. */
    static final String TRUST_BUNDLE = "the trust bundle (io.forgeone.trust) is not installed or did not start";

    /** What {@link Unavailable} says of the observer's trace and replay services. */
    static final String OBSERVER_BUNDLE = "the observer bundle (io.forgeone.observer) is not installed or did not"
            + " start";

    /** What {@link Unavailable} says of the token store and the node CA. */
    static final String REST_BUNDLE = "the rest bundle (io.forgeone.rest, with bcpkix and bcutil) is not installed or"
            + " did not start";

    /** Thrown when a service is still missing after the wait; the command turns it into exit code 1. */
    static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    private final long waitNanos;
    private final String missing;
    /** The service registry, or null where services are bound (unit tests). */
    private final ServiceLookup lookup;
    private final Map<Class<?>, Object> services = new HashMap<>();
    private final List<Scheme> schemes = new ArrayList<>();

    private record Scheme(String name, SignatureScheme scheme) {
    }

    /**
     * @param wait how long a missing service is waited for
     * @param missing what is wrong when one is still missing then, for the error message
     */
    OptionalServices(Duration wait, String missing) {
        this(wait, missing, null);
    }

    /**
     * @param lookup where the services are found when none is bound: the service registry; null for bound ones only
     */
    OptionalServices(Duration wait, String missing, ServiceLookup lookup) {
        this.waitNanos = wait.toNanos();
        this.missing = missing;
        this.lookup = lookup;
    }

    synchronized <T> void bind(Class<T> type, T service) {
        services.put(type, service);
        notifyAll();
    }

    /** Forgets the service only if it is still the bound one (a greedy rebind binds the new one first). */
    synchronized <T> void unbind(Class<T> type, T service) {
        services.remove(type, service);
    }

    /** A scheme under its {@value SignatureScheme#NAME_PROPERTY} property, or its name() without one. */
    synchronized void bindScheme(SignatureScheme scheme, Object nameProperty) {
        schemes.add(new Scheme(name(scheme, nameProperty), scheme));
        notifyAll();
    }

    synchronized void unbindScheme(SignatureScheme scheme) {
        schemes.removeIf(s -> s.scheme() == scheme);
    }

    /** The bound service of this type, waiting briefly for it. */
    synchronized <T> T get(Class<T> type) {
        long deadline = System.nanoTime() + waitNanos;
        Object service = services.get(type);
        if (service == null && lookup != null) {
            T found = lookup.find(type, waitNanos);
            if (found == null) {
                throw new Unavailable("no " + type.getSimpleName() + " service: " + missing + " (see the log)");
            }
            return found;
        }
        while (service == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !await(left)) {
                throw new Unavailable("no " + type.getSimpleName() + " service: " + missing + " (see the log)");
            }
            service = services.get(type);
        }
        return type.cast(service);
    }

    /** The scheme of this name; waits briefly while no scheme at all is bound. */
    synchronized Optional<SignatureScheme> scheme(String name) {
        return schemes(true).stream().filter(s -> s.name().equals(name)).map(Scheme::scheme).findFirst();
    }

    /** The names of the installed schemes, sorted; waits briefly while there is none. */
    synchronized List<String> schemeNames() {
        return schemeNames(true);
    }

    /** The names of the installed schemes, sorted; with {@code wait}, waits briefly while there is none. */
    synchronized List<String> schemeNames(boolean wait) {
        Map<String, Boolean> names = new TreeMap<>();
        schemes(wait).forEach(s -> names.put(s.name(), Boolean.TRUE));
        return List.copyOf(names.keySet());
    }

    /** The bound schemes, or those in the registry; with {@code wait}, waits briefly while there is none. */
    private List<Scheme> schemes(boolean wait) {
        long deadline = System.nanoTime() + (wait ? waitNanos : 0);
        if (lookup != null && schemes.isEmpty()) {
            if (wait) {
                lookup.find(SignatureScheme.class, waitNanos); // returns as soon as one is there
            }
            List<Scheme> found = new ArrayList<>();
            for (ServiceLookup.Found<SignatureScheme> f : lookup.all(SignatureScheme.class,
                    SignatureScheme.NAME_PROPERTY)) {
                found.add(new Scheme(name(f.service(), f.property()), f.service()));
            }
            return found;
        }
        while (schemes.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !await(left)) {
                break;
            }
        }
        return List.copyOf(schemes);
    }

    private static String name(SignatureScheme scheme, Object nameProperty) {
        return nameProperty instanceof String s && !s.isEmpty() ? s : scheme.name();
    }

    /** Waits to be notified or for {@code nanos}; false when interrupted (the interrupt is kept). */
    private boolean await(long nanos) {
        try {
            wait(Math.max(1, nanos / 1_000_000));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
