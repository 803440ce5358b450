package io.forgeone.wasi.internal;

import io.forgeone.api.engine.GuestMemory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Directory listings in fd_readdir's format: {@code .} and {@code ..} first, cookies counting entries. */
final class Directories {

    /** One dirent: the UTF-8 name, its type and guest inode, both taken without following a symlink. */
    record Entry(byte[] name, int filetype, long ino) {
    }

    private Directories() {
    }

    /**
     * Lists {@code dir}: {@code .} and {@code ..} (both with the directory's own inode, as wasmtime does,
     * which never reveals the parent of a preopen), then the entries sorted by name so that cookies mean
     * the same thing on every call. An entry deleted while listing is left out.
     */
    static List<Entry> list(Path dir, FileStats stats) {
        long self = stats.inode(dir);
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path child : stream) {
                names.add(child.getFileName().toString());
            }
        } catch (DirectoryIteratorException e) {
            throw IoErrors.of(e.getCause());
        } catch (IOException e) {
            throw IoErrors.of(e);
        }
        Collections.sort(names);
        List<Entry> entries = new ArrayList<>(names.size() + 2);
        entries.add(new Entry(new byte[] {'.'}, Preview1.FILETYPE_DIRECTORY, self));
        entries.add(new Entry(new byte[] {'.', '.'}, Preview1.FILETYPE_DIRECTORY, self));
        for (String name : names) {
            FileStats.Stat stat;
            try {
                stat = stats.stat(dir.resolve(name));
            } catch (ErrnoException e) {
                if (e.errno() == Errno.NOENT) {
                    continue;
                }
                throw e;
            }
            entries.add(new Entry(name.getBytes(StandardCharsets.UTF_8), stat.filetype(), stat.ino()));
        }
        return entries;
    }

    /**
     * Writes entries from {@code cookie} on into the guest buffer, exactly as wasmtime does: a header and
     * name that do not fit are cut off, and a full buffer (result == length) tells the guest to call again
     * from the last whole entry's {@code d_next}.
     *
     * @return the number of bytes written
     */
    static long write(GuestMemory memory, long buffer, long length, List<Entry> entries, long cookie) {
        long room = length;
        long at = buffer;
        if (Long.compareUnsigned(cookie, entries.size()) >= 0) {
            return 0;
        }
        byte[] header = new byte[Preview1.DIRENT_SIZE];
        for (int i = (int) cookie; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            FileStats.putLong(header, 0, i + 1L);
            FileStats.putLong(header, Preview1.DIRENT_INO, entry.ino());
            FileStats.putInt(header, Preview1.DIRENT_NAMLEN, entry.name().length);
            header[Preview1.DIRENT_TYPE] = (byte) entry.filetype();
            int part = (int) Math.min(room, header.length);
            memory.write(at, header, 0, part);
            at += part;
            room -= part;
            if (room == 0) {
                return length;
            }
            part = (int) Math.min(room, entry.name().length);
            memory.write(at, entry.name(), 0, part);
            at += part;
            room -= part;
            if (room == 0) {
                return length;
            }
        }
        return length - room;
    }
}
