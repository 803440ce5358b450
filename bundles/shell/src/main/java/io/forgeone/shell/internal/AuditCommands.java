package io.forgeone.shell.internal;

import io.forgeone.api.policy.AuditListener;
import io.forgeone.api.policy.AuditLog;
import io.forgeone.api.policy.AuditProblem;
import io.forgeone.api.policy.AuditRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Process;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gogo {@code forge:audit}: the decision log, filtered, as a table or as its own JSON lines, and followed with
 * {@code -f}. Unlike the other commands it prints as it reads instead of returning a value: the log and its
 * rotated files may hold a hundred megabytes, and a followed log has no end.
 */
@Component(service = AuditCommands.class, property = {
    "osgi.command.scope=forge",
    "osgi.command.function=audit"
})
public final class AuditCommands {
    private static final Logger LOG = LoggerFactory.getLogger(AuditCommands.class);
    /** Skipped lines named one by one before they are only counted. */
    static final int SKIPS_SHOWN = 20;

    private final AuditLog log;
    private final Clock clock;

    @Activate
    public AuditCommands(@Reference AuditLog log) {
        this(log, Clock.systemUTC());
    }

    AuditCommands(AuditLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    @Descriptor("The decision log: denied calls (and allowed ones where a policy logs them), oldest first. Options:"
            + " --container ID|NAME (a prefix of either), --decision deny|audit-deny|permissive-deny|allow|release"
            + " (comma-separated for several), --call path_open, --policy P, --rule R (fs matches fs[0], fs[1]...),"
            + " --since 10m|2026-11-22T07:00:00Z, --until TIME, -n/--tail N (the last N), -f/--follow (then new"
            + " records as they come; press Enter to stop), --json (the log's own lines)")
    public void audit(CommandSession session, @Descriptor("options, see above") String... args)
            throws InterruptedException {
        Process process = Process.Utils.current();
        PrintStream out = process != null ? process.out() : session.getConsole();
        PrintStream err = process != null ? process.err() : session.getConsole();
        run(args == null ? new String[0] : args, out, err, session.getKeyboard());
    }

    /** The command itself: options in, lines out; {@code keyboard} (may be null) stops a follow with Enter. */
    void run(String[] args, PrintStream out, PrintStream err, InputStream keyboard) throws InterruptedException {
        AuditOptions options = AuditOptions.parse(args, clock.instant());
        Printer printer = new Printer(out, err, options.json(), keyboard);
        if (!options.follow()) {
            log.read(options.query(), printer);
            printer.done(false);
            return;
        }
        err.println("following " + log.file() + " (press Enter to stop)");
        log.follow(options.query(), printer);
        printer.done(true);
    }

    /** Prints records as they come; counts and shows skipped lines; watches the keyboard while following. */
    private static final class Printer implements AuditListener {
        private final PrintStream out;
        private final PrintStream err;
        private final boolean json;
        private final InputStream keyboard;
        private long records;
        private long skipped;

        Printer(PrintStream out, PrintStream err, boolean json, InputStream keyboard) {
            this.out = out;
            this.err = err;
            this.json = json;
            this.keyboard = keyboard;
        }

        @Override
        public boolean record(AuditRecord record) {
            if (json) {
                out.println(record.json());
            } else {
                if (records == 0) {
                    out.print(AuditFormat.HEADER);
                }
                out.print(AuditFormat.row(record));
            }
            records++;
            out.flush();
            return !out.checkError();
        }

        @Override
        public void skipped(AuditProblem problem) {
            skipped++;
            if (skipped <= SKIPS_SHOWN) {
                err.println("skipped " + problem);
            }
        }

        @Override
        public boolean idle() {
            if (keyboard == null) {
                return true;
            }
            try {
                if (keyboard.available() > 0) {
                    keyboard.read(new byte[keyboard.available()]);
                    return false;
                }
            } catch (IOException e) {
                LOG.debug("Cannot look at the keyboard while following the decision log", e);
            }
            return true;
        }

        void done(boolean following) {
            if (skipped > SKIPS_SHOWN) {
                err.println("skipped " + skipped + " lines in all (the first " + SKIPS_SHOWN + " are named above)");
            }
            if (records == 0 && !json && !following) {
                err.println("no matching records");
            }
        }
    }
}
