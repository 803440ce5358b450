package io.forgeone.wasi.internal;

import io.forgeone.api.wasi.OutputSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** What a guest file descriptor number stands for. */
sealed interface Descriptor permits Descriptor.Stdin, Descriptor.Output, Descriptor.Dir, Descriptor.OpenFile {

    /** Releases what the descriptor holds; never throws. */
    void close();

    /** Descriptor 0: the configured input stream, read-only, not seekable. */
    final class Stdin implements Descriptor {
        final InputStream in;

        Stdin(InputStream in) {
            this.in = Objects.requireNonNull(in, "in");
        }

        @Override
        public void close() {
            // The stream belongs to whoever configured it; closing fd 0 only forgets it.
        }
    }

    /** Descriptors 1 and 2: a sink that receives every write as it happens. */
    final class Output implements Descriptor {
        final OutputSink sink;

        Output(OutputSink sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
        }

        @Override
        public void close() {
            // The sink belongs to whoever configured it.
        }
    }

    /**
     * A directory inside a preopen. It holds no host handle (java.nio cannot open a directory as a
     * descriptor), only its place: the preopen's real root and the real names below it, each of which was a
     * directory and not a symlink when resolved. Every use walks those names again with NOFOLLOW_LINKS
     * (see {@link SandboxResolver}), so a directory replaced by a symlink later is refused, never followed.
     */
    final class Dir implements Descriptor {
        final Path root;
        /**
         * The identity (device, inode) of {@code root} when the preopen was created. The directories above
         * the root are never walked by the resolver, so this is how a root path that now leads somewhere
         * else (an ancestor renamed and replaced by a symlink, possibly by the guest itself through another,
         * enclosing preopen) is noticed.
         */
        final Object rootKey;
        final List<String> components;
        /** The name the guest sees for a preopen (fd_prestat_*), or {@code null} for one opened by path_open. */
        final String preopenName;
        final boolean readRight;
        /** The entries fd_readdir handed out since cookie 0, so cookies stay stable while the guest pages. */
        List<Directories.Entry> listing;

        Dir(Path root, Object rootKey, List<String> components, String preopenName, boolean readRight) {
            this.root = Objects.requireNonNull(root, "root");
            this.rootKey = rootKey;
            this.components = List.copyOf(components);
            this.preopenName = preopenName;
            this.readRight = readRight;
        }

        /** The host path this directory had when it was resolved (to be re-verified before use). */
        Path hostPath() {
            Path path = root;
            for (String name : components) {
                path = path.resolve(name);
            }
            return path;
        }

        @Override
        public void close() {
            listing = null;
        }
    }

    /** A regular file (or another non-directory) opened by path_open, with its own offset as in wasmtime. */
    final class OpenFile implements Descriptor {
        final FileChannel channel;
        final Path hostPath;
        /** Identity (device and inode) at open time; fd_filestat_get only trusts a path stat that matches it. */
        final Object fileKey;
        final int filetype;
        final boolean readRight;
        final boolean writeRight;
        /** DSYNC, RSYNC and SYNC as given to path_open; fd_fdstat_set_flags cannot change them. */
        final int syncFlags;
        boolean append;
        boolean nonblock;
        long position;

        OpenFile(FileChannel channel, Path hostPath, Object fileKey, int filetype, boolean readRight,
                boolean writeRight, int fdflags) {
            this.channel = Objects.requireNonNull(channel, "channel");
            this.hostPath = Objects.requireNonNull(hostPath, "hostPath");
            this.fileKey = fileKey;
            this.filetype = filetype;
            this.readRight = readRight;
            this.writeRight = writeRight;
            this.syncFlags = fdflags & (Preview1.FDFLAG_DSYNC | Preview1.FDFLAG_RSYNC | Preview1.FDFLAG_SYNC);
            this.append = (fdflags & Preview1.FDFLAG_APPEND) != 0;
            this.nonblock = (fdflags & Preview1.FDFLAG_NONBLOCK) != 0;
        }

        /** The fdflags as path_open set them and fd_fdstat_set_flags changed them, nothing the host added. */
        int fdflags() {
            return syncFlags | (append ? Preview1.FDFLAG_APPEND : 0) | (nonblock ? Preview1.FDFLAG_NONBLOCK : 0);
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                DescriptorTable.LOG.debug("closing {} failed; the descriptor is gone either way", hostPath, e);
            }
        }
    }
}
