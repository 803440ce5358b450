package io.forgeone.wasi.internal;

import io.forgeone.api.wasi.WasiState;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Exports a guest's descriptor table as a {@link WasiState} and brings a fresh environment to one. Files and
 * directories are named by preopen and path below it, and reopened through the same sandbox resolution as
 * path_open (no absolute paths, no {@code ..} above the preopen, no symlink as the last component), so a state
 * from a snapshot file cannot reach anything the guest could not.
 */
final class DescriptorStates {
    private DescriptorStates() {
    }

    static WasiState export(WasiContext context) {
        List<WasiState.Descriptor> out = new ArrayList<>();
        for (Map.Entry<Integer, Descriptor> e : context.descriptors.entries().entrySet()) {
            out.add(describe(context, e.getKey(), e.getValue()));
        }
        return new WasiState(out, context.descriptors.freeNumbers(), System.nanoTime() - context.monotonicOrigin);
    }

    private static WasiState.Descriptor describe(WasiContext context, int fd, Descriptor d) {
        if (d == context.stdin || d instanceof Descriptor.Stdin) {
            return plain(fd, WasiState.Kind.STDIN, d);
        }
        if (d == context.stdout) {
            return plain(fd, WasiState.Kind.STDOUT, d);
        }
        if (d == context.stderr) {
            return plain(fd, WasiState.Kind.STDERR, d);
        }
        if (d instanceof Descriptor.Dir dir) {
            int preopen = context.preopens.indexOf(dir);
            if (preopen >= 0) {
                return new WasiState.Descriptor(fd, WasiState.Kind.PREOPEN, preopen, "", false, false, 0, 0,
                        d.droppedBase, d.droppedInheriting);
            }
            return new WasiState.Descriptor(fd, WasiState.Kind.DIRECTORY, preopenOf(context, dir.root, fd),
                    String.join("/", dir.components), false, false, 0, 0, d.droppedBase, d.droppedInheriting);
        }
        if (d instanceof Descriptor.OpenFile file) {
            Path where = SandboxResolver.locate(file);
            Path relative = file.root.relativize(where);
            List<String> names = new ArrayList<>();
            for (Path name : relative) {
                names.add(name.toString());
            }
            return new WasiState.Descriptor(fd, WasiState.Kind.FILE, preopenOf(context, file.root, fd),
                    String.join("/", names), file.readable, file.writable, file.fdflags(), file.position,
                    d.droppedBase, d.droppedInheriting);
        }
        throw new IllegalStateException("descriptor " + fd + " is an output stream the configuration did not give");
    }

    private static WasiState.Descriptor plain(int fd, WasiState.Kind kind, Descriptor d) {
        return new WasiState.Descriptor(fd, kind, -1, "", false, false, 0, 0, d.droppedBase, d.droppedInheriting);
    }

    private static int preopenOf(WasiContext context, Path root, int fd) {
        for (int i = 0; i < context.preopens.size(); i++) {
            if (context.preopens.get(i).root.equals(root)) {
                return i;
            }
        }
        throw new IllegalStateException("descriptor " + fd + " lies in no preopen of this environment");
    }

    static void restore(WasiContext context, WasiState state) {
        Map<Integer, Descriptor> table = new TreeMap<>(Integer::compareUnsigned);
        List<Descriptor> opened = new ArrayList<>();
        try {
            for (WasiState.Descriptor s : state.descriptors()) {
                if (table.containsKey(s.fd())) {
                    throw new IllegalArgumentException("descriptor " + s.fd() + " appears twice in the state");
                }
                Descriptor d = rebuild(context, s);
                if (d instanceof Descriptor.OpenFile || (d instanceof Descriptor.Dir dir && dir.preopenName == null)) {
                    opened.add(d);
                }
                d.droppedBase = s.droppedBase();
                d.droppedInheriting = s.droppedInheriting();
                table.put(s.fd(), d);
            }
            if (state.monotonicNanos() < 0) {
                throw new IllegalArgumentException("the monotonic clock reading " + state.monotonicNanos()
                        + " is negative");
            }
            context.descriptors.replace(table, state.freeNumbers());
            context.monotonicOrigin = System.nanoTime() - state.monotonicNanos();
        } catch (RuntimeException e) {
            for (Descriptor d : opened) {
                d.close();
            }
            throw e;
        }
    }

    private static Descriptor rebuild(WasiContext context, WasiState.Descriptor s) {
        switch (s.kind()) {
            case STDIN:
                return context.stdin;
            case STDOUT:
                return context.stdout;
            case STDERR:
                return context.stderr;
            case PREOPEN:
                return preopen(context, s);
            case DIRECTORY:
                return directory(context, s);
            case FILE:
                return file(context, s);
            default:
                throw new IllegalArgumentException("descriptor " + s.fd() + ": unknown kind " + s.kind());
        }
    }

    private static Descriptor.Dir preopen(WasiContext context, WasiState.Descriptor s) {
        if (s.preopen() < 0 || s.preopen() >= context.preopens.size()) {
            throw new IllegalArgumentException("descriptor " + s.fd() + " is preopen #" + s.preopen()
                    + ", but this environment has " + context.preopens.size() + " preopens");
        }
        return context.preopens.get(s.preopen());
    }

    private static SandboxResolver.Resolved resolve(WasiContext context, WasiState.Descriptor s) {
        Descriptor.Dir base = preopen(context, s);
        if (s.path().isEmpty() || s.path().startsWith("/")) {
            throw new IllegalArgumentException("descriptor " + s.fd() + ": path '" + s.path()
                    + "' is not a path below its preopen");
        }
        try {
            return SandboxResolver.resolve(base, s.path(), false);
        } catch (ErrnoException e) {
            throw new IllegalArgumentException("descriptor " + s.fd() + ": " + base.hostPath().resolve(s.path())
                    + " cannot be reached inside its preopen (" + e.getMessage() + ")", e);
        }
    }

    private static Descriptor.Dir directory(WasiContext context, WasiState.Descriptor s) {
        SandboxResolver.Resolved target = resolve(context, s);
        if (!target.exists() || !target.isDirectory()) {
            throw new IllegalArgumentException("descriptor " + s.fd() + ": directory " + target.path()
                    + (target.exists() ? " is no longer a directory" : " no longer exists"));
        }
        Descriptor.Dir base = preopen(context, s);
        return new Descriptor.Dir(base.root, base.rootKey, target.attrs().fileKey(), target.components(), null,
                base.rootGuestName);
    }

    private static Descriptor.OpenFile file(WasiContext context, WasiState.Descriptor s) {
        SandboxResolver.Resolved target = resolve(context, s);
        if (!target.exists() || target.isDirectory() || target.isSymlink()) {
            throw new IllegalArgumentException("descriptor " + s.fd() + ": file " + target.path()
                    + (!target.exists() ? " no longer exists" : target.isDirectory() ? " is now a directory"
                    : " is now a symbolic link"));
        }
        if (s.offset() < 0) {
            throw new IllegalArgumentException("descriptor " + s.fd() + ": negative offset " + s.offset());
        }
        if ((s.fdflags() & ~Preview1.FDFLAGS_ALL) != 0) {
            throw new IllegalArgumentException("descriptor " + s.fd() + ": unknown fdflags " + s.fdflags());
        }
        Set<OpenOption> options = new HashSet<>();
        options.add(LinkOption.NOFOLLOW_LINKS);
        if (s.writable()) {
            options.add(StandardOpenOption.WRITE);
        }
        if (s.readable() || !s.writable()) {
            options.add(StandardOpenOption.READ);
        }
        if ((s.fdflags() & (Preview1.FDFLAG_SYNC | Preview1.FDFLAG_RSYNC)) != 0) {
            options.add(StandardOpenOption.SYNC);
        } else if ((s.fdflags() & Preview1.FDFLAG_DSYNC) != 0) {
            options.add(StandardOpenOption.DSYNC);
        }
        Path path = target.path();
        FileChannel channel;
        try {
            channel = FileChannel.open(path, options);
        } catch (IOException e) {
            throw new IllegalArgumentException("descriptor " + s.fd() + ": cannot reopen " + path + ": " + e, e);
        }
        try {
            FileStats.Stat stat = context.stats.stat(path);
            Descriptor.OpenFile file = new Descriptor.OpenFile(channel, preopen(context, s).root,
                    preopen(context, s).rootKey, path, stat.fileKey(), stat.filetype(), s.readable(), s.writable(),
                    s.fdflags());
            file.position = s.offset();
            file.lastStat = stat;
            return file;
        } catch (RuntimeException e) {
            try {
                channel.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }
}
