package io.forgeone.wasi.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guest's descriptor numbers. Numbers are handed out as wasmtime does: the most recently freed number
 * is reused first, otherwise one past the highest in use. A number the guest never received is EBADF.
 * Synchronized because the environment may be closed from another thread (stop, kill) while the guest runs.
 */
final class DescriptorTable {
    static final Logger LOG = LoggerFactory.getLogger(DescriptorTable.class);

    private final TreeMap<Integer, Descriptor> used = new TreeMap<>(Integer::compareUnsigned);
    private final TreeSet<Integer> free = new TreeSet<>(Integer::compareUnsigned);
    private final int limit;
    private boolean closed;

    DescriptorTable(int limit) {
        if (limit < 3) {
            throw new IllegalArgumentException("descriptor limit must leave room for stdio, was " + limit);
        }
        this.limit = limit;
    }

    /** Adds a descriptor and returns its number; EMFILE once {@code limit} descriptors are open. */
    synchronized int insert(Descriptor descriptor) {
        if (closed) {
            throw new ErrnoException(Errno.BADF);
        }
        if (used.size() >= limit) {
            throw new ErrnoException(Errno.MFILE);
        }
        Integer fd = free.pollLast();
        if (fd == null) {
            fd = used.isEmpty() ? 0 : used.lastKey() + 1;
            if (fd == 0 && !used.isEmpty()) {
                throw new ErrnoException(Errno.MFILE);
            }
        }
        used.put(fd, descriptor);
        return fd;
    }

    synchronized Descriptor get(int fd) {
        Descriptor descriptor = used.get(fd);
        if (descriptor == null) {
            throw new ErrnoException(Errno.BADF);
        }
        return descriptor;
    }

    /** The descriptor if it is a directory; EBADF otherwise (wasmtime's {@code get_dir_fd}). */
    Descriptor.Dir dir(int fd) {
        if (get(fd) instanceof Descriptor.Dir dir) {
            return dir;
        }
        throw new ErrnoException(Errno.BADF);
    }

    /** The descriptor if it is an opened file; EBADF otherwise (wasmtime's {@code get_file_fd}). */
    Descriptor.OpenFile file(int fd) {
        if (get(fd) instanceof Descriptor.OpenFile file) {
            return file;
        }
        throw new ErrnoException(Errno.BADF);
    }

    /** Removes a descriptor without closing it (the caller closes it outside the lock). */
    synchronized Descriptor remove(int fd) {
        Descriptor descriptor = used.remove(fd);
        if (descriptor == null) {
            throw new ErrnoException(Errno.BADF);
        }
        free.add(fd);
        return descriptor;
    }

    /**
     * fd_renumber as wasmtime does it: both {@code from} and {@code to} must be open (EBADF otherwise);
     * {@code from} moves to {@code to}, what was there is returned for the caller to close, and {@code from}
     * becomes free.
     */
    synchronized Descriptor renumber(int from, int to) {
        get(to);
        Descriptor moving = get(from);
        if (from == to) {
            return null;
        }
        used.remove(from);
        free.add(from);
        free.remove(to);
        return used.put(to, moving);
    }

    /** Closes every descriptor; later look-ups answer EBADF. */
    void closeAll() {
        List<Descriptor> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(used.values());
            used.clear();
            free.clear();
        }
        for (Descriptor descriptor : open) {
            descriptor.close();
        }
    }

    synchronized int size() {
        return used.size();
    }

    /** A copy of the table: every open descriptor by number, and the freed numbers in the order they are reused. */
    synchronized java.util.Map<Integer, Descriptor> entries() {
        return new TreeMap<>(used);
    }

    /** The freed numbers not reused yet, lowest first. */
    synchronized List<Integer> freeNumbers() {
        return new ArrayList<>(free);
    }

    /**
     * Replaces the whole table (restoring a snapshot's); descriptors that were open and are not in {@code entries}
     * are closed.
     */
    void replace(java.util.Map<Integer, Descriptor> entries, List<Integer> freeNumbers) {
        List<Descriptor> dropped = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the descriptor table is closed");
            }
            if (entries.size() > limit) {
                throw new IllegalArgumentException(entries.size() + " descriptors do not fit the limit of " + limit);
            }
            java.util.Set<Descriptor> kept = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            kept.addAll(entries.values());
            for (Descriptor d : used.values()) {
                if (!kept.contains(d)) {
                    dropped.add(d);
                }
            }
            used.clear();
            used.putAll(entries);
            free.clear();
            for (Integer fd : freeNumbers) {
                if (!used.containsKey(fd)) {
                    free.add(fd);
                }
            }
        }
        for (Descriptor d : dropped) {
            d.close();
        }
    }
}
