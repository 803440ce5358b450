package io.forgeone.launcher;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * {@code forge --node URL ps} and the other remote commands without starting the framework: a command that talks
 * to a node over REST needs none of the node's bundles, only the cli bundle's remote client and the api types it
 * uses. The cli bundle names the client's class in its {@code Forge-Remote} header; it is loaded from that jar and
 * the api jar in a class loader of their own and called through {@code java.*} types (a constructor taking the
 * environment and the process's streams, then {@code ToIntFunction<String[]>}).
 */
final class RemoteMode {
    static final String HEADER = "Forge-Remote";
    static final String NODE_ENV = "FORGE_NODE";
    /** Commands that only exist against a node: without one the client says how to name it. */
    static final Set<String> REMOTE_ONLY = Set.of("ps", "logs", "stop", "kill", "rm", "inspect", "stats", "restore");
    /** Options that name the node and how to reach it; given before the command they make it remote. */
    static final List<String> CONNECTION_OPTIONS = List.of("--node", "--token-file", "--cacert", "--cert", "--key");
    private static final String API_BUNDLE = "io.forgeone.api";

    private RemoteMode() {
    }

    /**
     * Whether these arguments are a remote command: they start with a connection option; or the command only
     * exists against a node; or FORGE_NODE is set and the command is {@code run}; or they ask for a remote
     * command's help. Everything else (forge run without a node, pkg, trust, ...) is local as before.
     */
    static boolean applies(String[] args, Map<String, String> env) {
        if (args.length == 0) {
            return false;
        }
        String first = args[0];
        for (String option : CONNECTION_OPTIONS) {
            if (first.equals(option) || first.startsWith(option + "=")) {
                return true;
            }
        }
        if (REMOTE_ONLY.contains(first)) {
            return true;
        }
        String node = env.get(NODE_ENV);
        if (node != null && !node.isBlank()) {
            if (first.equals("run")) {
                return true;
            }
            if (first.equals("snapshot") || first.equals("trace")) {
                return !onFiles(first, args);
            }
        }
        return first.equals("help") && args.length == 2 && (REMOTE_ONLY.contains(args[1]) || args[1].equals("remote"));
    }

    /**
     * With FORGE_NODE set, whether {@code forge snapshot ...} or {@code forge trace ...} means the local command on
     * files rather than the node's: {@code snapshot init|export|import}, {@code snapshot inspect} of an existing
     * file, {@code trace} of an existing file or folder, or asking for help. Anything else (a container, a snapshot
     * name, {@code snapshot ls|rm}) goes to the node.
     */
    static boolean onFiles(String command, String[] args) {
        java.util.List<String> words = new java.util.ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("-h") || args[i].equals("--help")) {
                return true;
            }
            if (!args[i].startsWith("-")) {
                words.add(args[i]);
            }
        }
        if (command.equals("snapshot")) {
            if (words.isEmpty()) {
                return true; // the local usage says what the forms are
            }
            String sub = words.get(0);
            if (sub.equals("init") || sub.equals("export") || sub.equals("import")) {
                return true;
            }
            return sub.equals("inspect") && words.size() > 1 && java.nio.file.Files.isRegularFile(Path.of(words.get(1)));
        }
        // trace: the local one reads a trace file or folder; --since etc. take values, so look at the last word
        return words.isEmpty() || java.nio.file.Files.exists(Path.of(words.get(words.size() - 1)));
    }

    /** Runs the remote command and returns its exit code. */
    static int run(Path system, String[] args) throws LaunchException {
        Path client = null;
        Path api = null;
        String mainClass = null;
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(system, "io.forgeone.*.jar")) {
            for (Path jar : jars) {
                try (JarFile file = new JarFile(jar.toFile(), false)) {
                    Manifest manifest = file.getManifest();
                    if (manifest == null) {
                        continue;
                    }
                    String header = manifest.getMainAttributes().getValue(HEADER);
                    String bsn = manifest.getMainAttributes().getValue("Bundle-SymbolicName");
                    if (header != null && !header.isBlank()) {
                        client = jar;
                        mainClass = header.strip();
                    } else if (bsn != null && bsn.split(";")[0].strip().equals(API_BUNDLE)) {
                        api = jar;
                    }
                }
            }
        } catch (IOException e) {
            throw new LaunchException("cannot read " + system + ": " + e.getMessage(), e);
        }
        if (client == null || api == null) {
            throw new LaunchException(system + " has no " + (client == null ? "bundle with a " + HEADER
                    + " header (io.forgeone.cli)" : API_BUNDLE + " bundle") + "; the installation is incomplete");
        }
        URL[] urls;
        try {
            urls = new URL[] {client.toUri().toURL(), api.toUri().toURL()};
        } catch (MalformedURLException e) {
            throw new LaunchException("cannot load " + client + ": " + e.getMessage(), e);
        }
        try (URLClassLoader loader = new URLClassLoader("forge-remote", urls, ClassLoader.getPlatformClassLoader())) {
            Object command = loader.loadClass(mainClass)
                    .getConstructor(Map.class, java.io.InputStream.class, java.io.OutputStream.class,
                            java.io.OutputStream.class)
                    .newInstance(System.getenv(), System.in, new FileOutputStream(FileDescriptor.out),
                            new FileOutputStream(FileDescriptor.err));
            @SuppressWarnings("unchecked")
            ToIntFunction<String[]> main = (ToIntFunction<String[]>) command;
            return main.applyAsInt(args);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new LaunchException("cannot start the remote client " + mainClass + " from " + client + ": " + e, e);
        } catch (IOException e) {
            throw new LaunchException("cannot close the remote client's class loader: " + e.getMessage(), e);
        }
    }
}
