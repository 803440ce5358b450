package io.forgeone.launcher;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.function.Consumer;

/**
 * SIGTERM and SIGINT for a headless node. Left to the JVM, either signal starts its shutdown, whose exit status
 * is 128 + the signal's number whatever the shutdown hooks do; a node that was asked to stop and stopped
 * cleanly should exit 0, so it takes the signals itself. There is no public Java API for signals: this uses
 * {@code sun.misc.Signal} (module jdk.unsupported, in every JDK since 9), reflectively so that the launcher
 * compiles without warnings; where it is missing, the JVM's own handling (and the shutdown hook) remains.
 */
final class Signals {
    static final List<String> TERMINATION = List.of("TERM", "INT");

    private Signals() {
    }

    /**
     * Calls {@code handler} with the signal's name ({@code TERM}, {@code INT}) instead of letting the JVM exit.
     * The handler runs on the JVM's signal thread and must return quickly.
     */
    static void onTermination(Consumer<String> handler, LogFile log) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Method getName = signalClass.getMethod("getName");
            Object proxy = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (self, method, args) -> {
                        if (method.getName().equals("handle") && args != null && args.length == 1) {
                            handler.accept((String) getName.invoke(args[0]));
                            return null;
                        }
                        if (method.getName().equals("toString")) {
                            return "forge termination handler";
                        }
                        if (method.getName().equals("hashCode")) {
                            return System.identityHashCode(self);
                        }
                        if (method.getName().equals("equals")) {
                            return self == args[0];
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
            for (String name : TERMINATION) {
                Object signal = signalClass.getConstructor(String.class).newInstance(name);
                handle.invoke(null, signal, proxy);
            }
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException | InstantiationException e) {
            log.warn("No signal handling on this Java (" + e + "); SIGTERM ends the node with the JVM's status", e);
        } catch (InvocationTargetException e) {
            // a signal the platform does not let us handle (INT when the JVM runs with -Xrs, say)
            log.warn("Cannot handle termination signals: " + e.getCause(), e.getCause());
        }
    }
}
