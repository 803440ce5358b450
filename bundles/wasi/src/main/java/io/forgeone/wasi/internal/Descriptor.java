package io.forgeone.wasi.internal;

import io.forgeone.api.wasi.OutputSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a guest file descriptor number stands for.
 *
 * <p>Rights: as in wasmtime, what a descriptor may do follows from what it is and how it was opened (a file
 * opened without FD_WRITE cannot be written: EBADF, as the host would answer). On top of that a guest may
 * give up rights with fd_fdstat_set_rights, as the witx describes; those are remembered in
 * {@link #droppedBase} (and {@link #droppedInheriting} for descriptors opened through a directory), reported
 * by fd_fdstat_get, and a call that needs one of them fails with ENOTCAPABLE. A guest that never drops a
 * right sees exactly wasmtime's behaviour.
 */
abstract sealed class Descriptor permits Descriptor.Stdin, Descriptor.Output, Descriptor.Dir, Descriptor.OpenFile {
    /** Rights this descriptor gave up; a call needing one is ENOTCAPABLE. */
    long droppedBase;
    /** Rights that descriptors opened through this one do not get. */
    long droppedInheriting;

    /** Releases what the descriptor holds; never throws. */
    abstract void close();

    /** Fails with ENOTCAPABLE if the guest gave up {@code right} on this descriptor. */
    final void require(long right) {
        if ((droppedBase & right) != 0) {
            throw new ErrnoException(Errno.NOTCAPABLE);
        }
    }

    /** Descriptor 0: the configured input stream, read-only, not seekable. */
    static final class Stdin extends Descriptor {
        final InputStream in;

        Stdin(InputStream in) {
            this.in = Objects.requireNonNull(in, "in");
        }

        @Override
        void close() {
            // The stream belongs to whoever configured it; closing fd 0 only forgets it.
        }
    }

    /** Descriptors 1 and 2: a sink that receives every write as it happens. */
    static final class Output extends Descriptor {
        final OutputSink sink;

        Output(OutputSink sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
        }

        @Override
        void close() {
            // The sink belongs to whoever configured it.
        }
    }

    /**
     * A directory inside a preopen. It holds no host handle (java.nio cannot open a directory as a
     * descriptor), only its place: the preopen's real root, the real names below it (each a directory and not
     * a symlink when resolved) and its own identity (device, inode). Every use walks those names again with
     * NOFOLLOW_LINKS (see {@link SandboxResolver#verify}); if they no longer lead to this directory, because
     * it was renamed, it is looked up by identity inside the preopen and the names are updated, so the
     * descriptor follows the directory as a host descriptor would. A name replaced by a symlink is never
     * followed.
     */
    static final class Dir extends Descriptor {
        final Path root;
        /**
         * The identity of {@code root} when the preopen was created. The directories above the root are never
         * walked by the resolver, so this is how a root path that now leads somewhere else (an ancestor
         * renamed and replaced by a symlink, possibly by the guest itself through another, enclosing preopen)
         * is noticed.
         */
        final Object rootKey;
        /** The identity of this directory itself (equal to {@code rootKey} for a preopen). */
        final Object key;
        /** Where the directory was last seen, as names below {@code root}; updated when it moved. */
        List<String> components;
        /** The name the guest sees for a preopen (fd_prestat_*), or {@code null} for one opened by path_open. */
        final String preopenName;
        /** The name the guest sees for the preopen this directory lies in (its own for a preopen). */
        final String rootGuestName;
        /** The entries fd_readdir handed out since cookie 0, so cookies stay stable while the guest pages. */
        List<Directories.Entry> listing;

        Dir(Path root, Object rootKey, Object key, List<String> components, String preopenName, String rootGuestName) {
            this.root = Objects.requireNonNull(root, "root");
            this.rootKey = rootKey;
            this.key = key;
            this.components = List.copyOf(components);
            this.preopenName = preopenName;
            this.rootGuestName = Objects.requireNonNull(rootGuestName, "rootGuestName");
        }

        /**
         * An absolute guest path for {@code names} below this directory's preopen, as policies name paths: a
         * preopen called {@code data} or {@code ./data} is {@code /data}, one called {@code .} is {@code /}.
         */
        String guestPath(List<String> names) {
            StringBuilder out = new StringBuilder();
            for (String part : rootGuestName.split("/")) {
                if (!part.isEmpty() && !part.equals(".")) {
                    out.append('/').append(part);
                }
            }
            for (String name : names) {
                out.append('/').append(name);
            }
            return out.length() == 0 ? "/" : out.toString();
        }

        /** The host path this directory had when it was last resolved (to be re-verified before use). */
        Path hostPath() {
            Path path = root;
            for (String name : components) {
                path = path.resolve(name);
            }
            return path;
        }

        @Override
        void close() {
            listing = null;
        }
    }

    /** A regular file (or another non-directory) opened by path_open, with its own offset as in wasmtime. */
    static final class OpenFile extends Descriptor {
        final FileChannel channel;
        /** The preopen root the file was opened under: where it is looked for by identity if it moved. */
        final Path root;
        /** The identity of {@code root}, as in {@link Dir#rootKey}. */
        final Object rootKey;
        /** Where the file was last seen; java.nio has no fstat, so attributes are read by path. */
        Path hostPath;
        /** Identity (device and inode) at open time; a path is only trusted while it still names this file. */
        final Object fileKey;
        final int filetype;
        final boolean readable;
        final boolean writable;
        /** DSYNC, RSYNC and SYNC as given to path_open; fd_fdstat_set_flags cannot change them. */
        final int syncFlags;
        boolean append;
        boolean nonblock;
        long position;
        /** The attributes last read by path, to describe the file if it is deleted while open. */
        FileStats.Stat lastStat;

        OpenFile(FileChannel channel, Path root, Object rootKey, Path hostPath, Object fileKey, int filetype,
                boolean readable, boolean writable, int fdflags) {
            this.channel = Objects.requireNonNull(channel, "channel");
            this.root = Objects.requireNonNull(root, "root");
            this.rootKey = rootKey;
            this.hostPath = Objects.requireNonNull(hostPath, "hostPath");
            this.fileKey = fileKey;
            this.filetype = filetype;
            this.readable = readable;
            this.writable = writable;
            this.syncFlags = fdflags & (Preview1.FDFLAG_DSYNC | Preview1.FDFLAG_RSYNC | Preview1.FDFLAG_SYNC);
            this.append = (fdflags & Preview1.FDFLAG_APPEND) != 0;
            this.nonblock = (fdflags & Preview1.FDFLAG_NONBLOCK) != 0;
        }

        /** The fdflags as path_open set them and fd_fdstat_set_flags changed them, nothing the host added. */
        int fdflags() {
            return syncFlags | (append ? Preview1.FDFLAG_APPEND : 0) | (nonblock ? Preview1.FDFLAG_NONBLOCK : 0);
        }

        @Override
        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                DescriptorTable.LOG.debug("closing {} failed; the descriptor is gone either way", hostPath, e);
            }
        }
    }
}
