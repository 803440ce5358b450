package io.forgeone.wasi.internal;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves a guest path against a directory descriptor without ever letting it leave that directory.
 *
 * <p>The host is never asked to resolve guest input. The walk goes one component at a time: each is looked
 * at with {@code lstat} (NOFOLLOW_LINKS); a directory is entered by name; {@code ..} drops the last entered
 * name, and dropping below the base directory is an escape; a symlink is read and its target's components
 * are pushed in front of the rest of the path, to be walked from the symlink's own directory under the same
 * rules (an absolute target is an escape). Because every entered name was a real directory, the walked
 * names always spell a real path inside the base, so {@code ..} is exact. At most
 * {@value #MAX_SYMLINK_EXPANSIONS} symlinks are expanded per call (ELOOP), as Linux does.
 *
 * <p>The base directory is the capability, as in wasmtime (cap-std): {@code ..} may not climb above the
 * descriptor the call names, even when that descriptor lies below its preopen.
 *
 * <p>Before each walk the base descriptor's own place is re-verified from the preopen root, again with
 * NOFOLLOW_LINKS, because a directory descriptor is only a path (java.nio cannot hold a directory open): a
 * directory that was renamed is found again by its identity (device, inode) inside the preopen, so the
 * descriptor follows it as a host descriptor would; a name replaced by a symlink is never followed. The root
 * itself must still be the directory (same device and inode) it was when the preopen was created, which
 * catches a root whose ancestors were swapped for symlinks, for example by the guest through an enclosing
 * preopen.
 *
 * <p><b>Remaining race (TOCTOU).</b> java.nio has no {@code openat}: the final operation names the
 * resolved host path as a string, so the kernel walks that path again. The last component is opened or
 * examined with NOFOLLOW_LINKS, but the directories above it are re-walked by the kernel and would follow
 * a symlink. If something other than this guest's own calls (another process, another guest sharing the
 * directory) swaps one of those directories for a symlink between the check and the use, that one call can
 * reach outside the preopen. A single guest cannot win this race against itself: a preview1 guest has one
 * thread and each call completes before the next. Closing the window needs {@code openat}-style
 * resolution (java.nio's {@code SecureDirectoryStream} offers openat/fstatat/unlinkat/renameat on Linux,
 * but not mkdirat, symlinkat or readlinkat) or native code.
 */
final class SandboxResolver {
    static final int MAX_SYMLINK_EXPANSIONS = 40;
    /** How many entries the search for a moved directory or file looks at before giving up. */
    static final int MAX_LOCATE_ENTRIES = 100_000;

    private SandboxResolver() {
    }

    /**
     * Where a guest path led: an entry {@code name} in the real directory {@code root/parent...}, or the
     * directory itself when {@code name} is {@code null} (paths such as {@code .}, {@code a/..}, {@code a/}).
     *
     * @param attrs the entry's attributes without following a symlink, or {@code null} if it does not exist
     */
    record Resolved(Path root, List<String> parent, String name, BasicFileAttributes attrs) {
        boolean exists() {
            return attrs != null;
        }

        boolean isSymlink() {
            return attrs != null && attrs.isSymbolicLink();
        }

        boolean isDirectory() {
            return attrs != null && attrs.isDirectory();
        }

        Path parentPath() {
            return join(root, parent);
        }

        Path path() {
            return name == null ? parentPath() : parentPath().resolve(name);
        }

        /** The names from the preopen root to this entry. */
        List<String> components() {
            if (name == null) {
                return parent;
            }
            List<String> all = new ArrayList<>(parent);
            all.add(name);
            return all;
        }
    }

    /**
     * Resolves {@code path} against {@code base}.
     *
     * @param followFinal whether a symlink in the last component is expanded (LOOKUP_SYMLINK_FOLLOW);
     *     symlinks in every other component are always expanded, and so is a last one followed by {@code /}
     * @throws ErrnoException ENOENT (empty path or a missing directory on the way), EINVAL (NUL in the path),
     *     EPERM (absolute path, {@code ..} above the base, absolute symlink: {@link Errno#ESCAPE}), ENOTDIR, ELOOP
     */
    static Resolved resolve(Descriptor.Dir base, String path, boolean followFinal) {
        checkGuestPath(path);
        verify(base);
        List<String> current = new ArrayList<>(base.components);
        int floor = current.size();
        Deque<String> pending = new ArrayDeque<>();
        pushComponents(pending, path);
        int expansions = 0;
        while (!pending.isEmpty()) {
            String name = pending.pollFirst();
            boolean last = pending.isEmpty();
            if (name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (current.size() <= floor) {
                    throw new ErrnoException(Errno.ESCAPE);
                }
                current.remove(current.size() - 1);
                continue;
            }
            Path here = join(base.root, current).resolve(name);
            BasicFileAttributes attrs = lstat(here);
            if (attrs == null) {
                if (last) {
                    return new Resolved(base.root, List.copyOf(current), name, null);
                }
                throw new ErrnoException(Errno.NOENT);
            }
            if (attrs.isSymbolicLink() && (!last || followFinal)) {
                if (++expansions > MAX_SYMLINK_EXPANSIONS) {
                    throw new ErrnoException(Errno.LOOP);
                }
                String target = readLink(here);
                if (target.isEmpty()) {
                    throw new ErrnoException(Errno.NOENT);
                }
                if (target.charAt(0) == '/') {
                    throw new ErrnoException(Errno.ESCAPE);
                }
                pushComponents(pending, target);
                continue;
            }
            if (last) {
                return new Resolved(base.root, List.copyOf(current), name, attrs);
            }
            if (!attrs.isDirectory()) {
                throw new ErrnoException(Errno.NOTDIR);
            }
            current.add(name);
        }
        Path self = join(base.root, current);
        BasicFileAttributes attrs = lstat(self);
        if (attrs == null) {
            throw new ErrnoException(Errno.NOENT);
        }
        return new Resolved(base.root, List.copyOf(current), null, attrs);
    }

    /**
     * Re-walks a directory descriptor's own place from its preopen root with NOFOLLOW_LINKS and returns its
     * host path. If the names no longer lead to the same directory (device and inode), because it was renamed
     * or a name on the way was replaced (by a symlink, say), the directory is looked up by identity inside
     * the preopen and the descriptor follows it there; one that is gone is ENOENT. A root that is no longer
     * the preopened directory is refused (EPERM), as an escape.
     */
    static Path verify(Descriptor.Dir dir) {
        verifyRoot(dir.root, dir.rootKey);
        if (dir.components.isEmpty()) {
            return dir.root;
        }
        Path path = walk(dir.root, dir.components);
        if (dir.key == null) {
            // No identity on this file system: the names are all there is, and they must still hold.
            if (path == null) {
                throw new ErrnoException(Errno.NOENT);
            }
            return path;
        }
        if (path != null) {
            BasicFileAttributes attrs = lstat(path);
            if (attrs != null && dir.key.equals(attrs.fileKey())) {
                return path;
            }
        }
        List<String> found = locate(dir.root, dir.key, true);
        if (found == null) {
            throw new ErrnoException(Errno.NOENT);
        }
        dir.components = found;
        return join(dir.root, found);
    }

    /**
     * Where an open file is now: its last known path if that still names the same file, else the place it was
     * moved to inside its preopen (found by identity), else {@code null} (deleted, or moved out of reach).
     */
    static Path locate(Descriptor.OpenFile file) {
        BasicFileAttributes attrs = lstatQuietly(file.hostPath);
        if (attrs != null && file.fileKey != null && file.fileKey.equals(attrs.fileKey())) {
            return file.hostPath;
        }
        if (file.fileKey == null) {
            return null;
        }
        try {
            verifyRoot(file.root, file.rootKey);
        } catch (ErrnoException e) {
            return null;
        }
        List<String> found = locate(file.root, file.fileKey, false);
        if (found == null) {
            return null;
        }
        file.hostPath = join(file.root, found);
        return file.hostPath;
    }

    private static void verifyRoot(Path root, Object rootKey) {
        BasicFileAttributes attrs = lstat(root);
        checkDirectory(attrs);
        if (rootKey != null && !rootKey.equals(attrs.fileKey())) {
            throw new ErrnoException(Errno.ESCAPE);
        }
    }

    /** The path of {@code names} below {@code root} if each is a real directory (not a symlink), else null. */
    private static Path walk(Path root, List<String> names) {
        Path path = root;
        for (String name : names) {
            path = path.resolve(name);
            BasicFileAttributes attrs = lstatQuietly(path);
            if (attrs == null || attrs.isSymbolicLink() || !attrs.isDirectory()) {
                return null;
            }
        }
        return path;
    }

    /**
     * Breadth-first search below {@code root}, never following a symlink, for the entry with identity
     * {@code key} (a directory, or a non-directory); at most {@value #MAX_LOCATE_ENTRIES} entries are looked
     * at. Returns its names below the root, or {@code null}.
     */
    private static List<String> locate(Path root, Object key, boolean directory) {
        Deque<List<String>> queue = new ArrayDeque<>();
        queue.add(List.of());
        int seen = 0;
        while (!queue.isEmpty()) {
            List<String> names = queue.pollFirst();
            Path dir = join(root, names);
            List<String> children = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                for (Path child : stream) {
                    children.add(child.getFileName().toString());
                }
            } catch (IOException | DirectoryIteratorException e) {
                continue;
            }
            for (String child : children) {
                if (++seen > MAX_LOCATE_ENTRIES) {
                    return null;
                }
                BasicFileAttributes attrs = lstatQuietly(dir.resolve(child));
                if (attrs == null || attrs.isSymbolicLink()) {
                    continue;
                }
                List<String> path = new ArrayList<>(names);
                path.add(child);
                if (attrs.isDirectory() == directory && key.equals(attrs.fileKey())) {
                    return List.copyOf(path);
                }
                if (attrs.isDirectory()) {
                    queue.addLast(path);
                }
            }
        }
        return null;
    }

    private static BasicFileAttributes lstatQuietly(Path path) {
        try {
            return lstat(path);
        } catch (ErrnoException e) {
            return null;
        }
    }

    /** Rejects what no resolution may start with: empty, NUL, or absolute. */
    static void checkGuestPath(String path) {
        if (path.isEmpty()) {
            throw new ErrnoException(Errno.NOENT);
        }
        if (path.indexOf('\0') >= 0) {
            throw new ErrnoException(Errno.INVAL);
        }
        if (path.charAt(0) == '/') {
            throw new ErrnoException(Errno.ESCAPE);
        }
    }

    /** {@code path} without trailing slashes, so that a created or removed directory may be named {@code d/}. */
    static String stripTrailingSlashes(String path) {
        int end = path.length();
        while (end > 1 && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }

    static boolean hasTrailingSlash(String path) {
        return path.length() > 1 && path.charAt(path.length() - 1) == '/';
    }

    /** {@code lstat}: the attributes of the entry itself, or {@code null} if there is none. */
    static BasicFileAttributes lstat(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw IoErrors.of(e);
        }
    }

    private static void checkDirectory(BasicFileAttributes attrs) {
        if (attrs == null) {
            throw new ErrnoException(Errno.NOENT);
        }
        if (attrs.isSymbolicLink()) {
            throw new ErrnoException(Errno.ESCAPE);
        }
        if (!attrs.isDirectory()) {
            throw new ErrnoException(Errno.NOTDIR);
        }
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw IoErrors.of(e);
        }
    }

    /**
     * Puts the components of {@code path} in front of {@code pending}, in order. A trailing slash becomes a
     * trailing {@code .}, which makes the component before it a directory that must be entered (and a
     * symlink there followed), as POSIX path resolution requires.
     */
    private static void pushComponents(Deque<String> pending, String path) {
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                if (i > start) {
                    names.add(path.substring(start, i));
                }
                start = i + 1;
            }
        }
        if (path.endsWith("/")) {
            names.add(".");
        }
        for (int i = names.size() - 1; i >= 0; i--) {
            pending.addFirst(names.get(i));
        }
    }

    private static Path join(Path root, List<String> names) {
        Path path = root;
        for (String name : names) {
            path = path.resolve(name);
        }
        return path;
    }
}
