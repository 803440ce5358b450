package io.forgeone.launcher;

import java.io.IOException;
import java.io.PrintStream;

/**
 * The {@code forge} executable (bin/forge runs this). Without arguments it runs a node with the Gogo shell on the
 * terminal; {@code forge node} runs a node without it (a service); with other arguments it runs them as one command
 * in a framework of its own and exits with the command's code, except for commands that talk to a running node
 * ({@code forge --node URL ps}, {@link RemoteMode}), which need no framework. Either way the terminal only ever sees
 * the shell, the command's own output and one-line errors: the
 * framework, the bundles and every stack trace go to {@code var/log/forge.log}.
 */
public final class Main {
    private static final String SLF4J = "org.slf4j.simpleLogger.";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        PrintStream terminal = System.err;
        LogFile log = null;
        try {
            Home home = Home.locate();
            if (FastHelp.applies(args) && FastHelp.print(home.system(), System.out)) {
                return 0;
            }
            if (RemoteMode.applies(args, System.getenv())) {
                // talks to a node over REST: no framework, no log file of this installation's
                return RemoteMode.run(home.system(), args);
            }
            if (args.length > 0 && args[0].equals("node") && args.length > 1) {
                return NodeHelp.answer(args, System.out, terminal);
            }
            log = openLog(home);
            routeOutputToLog(log);
            if (Boolean.getBoolean("forge.timing")) {
                long jvmMs = System.currentTimeMillis()
                        - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
                log.info("timing: JVM start to launcher ready " + jvmMs + " ms");
            }
            Launcher launcher = new Launcher(home, log, terminal);
            if (args.length == 0) {
                return launcher.node();
            }
            if (args[0].equals("node")) {
                return launcher.headlessNode();
            }
            return launcher.command(args);
        } catch (LaunchException e) {
            return fail(terminal, log, e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(terminal, log, "interrupted", e);
        } catch (RuntimeException | LinkageError e) {
            return fail(terminal, log, "unexpected " + e, e);
        }
    }

    private static LogFile openLog(Home home) throws LaunchException {
        try {
            return LogFile.open(home.logFile());
        } catch (IOException e) {
            throw new LaunchException("cannot open the log " + home.logFile() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Everything that writes to System.out/err outside the shell and the command's own streams (slf4j-simple,
     * SCR, Felix, a bundle's stray println or stack trace) lands in the log. slf4j-simple is pointed at
     * System.err rather than at the file: it opens a file path without append, which would truncate the log that
     * other forge processes are writing to.
     */
    private static void routeOutputToLog(LogFile log) {
        defaultProperty(SLF4J + "logFile", "System.err");
        defaultProperty(SLF4J + "cacheOutputStream", "true");
        defaultProperty(SLF4J + "defaultLogLevel", "info");
        defaultProperty(SLF4J + "showDateTime", "true");
        defaultProperty(SLF4J + "dateTimeFormat", LogFile.DATE_FORMAT + " '[pid " + log.pid() + "]'");
        defaultProperty(SLF4J + "showShortLogName", "true");
        System.setOut(log.stream());
        System.setErr(log.stream());
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static int fail(PrintStream terminal, LogFile log, String message, Throwable cause) {
        if (log != null) {
            log.error(message, cause);
            terminal.println("forge: error: " + message + " (see " + log.path() + ")");
        } else {
            terminal.println("forge: error: " + message);
        }
        terminal.flush();
        return 1;
    }
}
