package io.forgeone.wasi.internal;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;

/**
 * Turns java.nio's exceptions back into the errno the host call failed with. java.nio keeps only a few
 * errnos as exception types; the others survive as the C library's message text (strerror), which is
 * stable on the Linux and macOS libcs the JDK runs on. Anything unrecognised is EIO.
 */
final class IoErrors {
    private static final Object[][] MESSAGES = {
        {"Is a directory", Errno.ISDIR},
        {"Not a directory", Errno.NOTDIR},
        {"Too many levels of symbolic links", Errno.LOOP},
        {"File name too long", Errno.NAMETOOLONG},
        {"Directory not empty", Errno.NOTEMPTY},
        {"Read-only file system", Errno.ROFS},
        {"No space left on device", Errno.NOSPC},
        {"Disk quota exceeded", Errno.NOSPC},
        {"Operation not permitted", Errno.PERM},
        {"Permission denied", Errno.ACCES},
        {"Invalid argument", Errno.INVAL},
        {"File exists", Errno.EXIST},
        {"No such file or directory", Errno.NOENT},
        {"Invalid cross-device link", Errno.XDEV},
        {"Too many open files in system", Errno.NFILE},
        {"Too many open files", Errno.MFILE},
        {"Text file busy", Errno.TXTBSY},
        {"File too large", Errno.FBIG},
        {"Device or resource busy", Errno.BUSY},
        {"Too many links", Errno.MLINK},
        {"Bad file descriptor", Errno.BADF},
        {"Illegal seek", Errno.SPIPE},
        {"Resource temporarily unavailable", Errno.AGAIN},
        {"Broken pipe", Errno.PIPE},
    };

    private IoErrors() {
    }

    static ErrnoException of(IOException e) {
        return new ErrnoException(errno(e));
    }

    static int errno(IOException e) {
        if (e instanceof NoSuchFileException) {
            return Errno.NOENT;
        }
        if (e instanceof FileAlreadyExistsException) {
            return Errno.EXIST;
        }
        if (e instanceof DirectoryNotEmptyException) {
            return Errno.NOTEMPTY;
        }
        if (e instanceof NotDirectoryException) {
            return Errno.NOTDIR;
        }
        if (e instanceof AccessDeniedException) {
            return Errno.ACCES;
        }
        if (e instanceof FileSystemLoopException) {
            return Errno.LOOP;
        }
        if (e instanceof NotLinkException) {
            return Errno.INVAL;
        }
        if (e instanceof ClosedByInterruptException) {
            return Errno.INTR;
        }
        if (e instanceof ClosedChannelException) {
            return Errno.BADF;
        }
        String text = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.getMessage();
        if (text != null) {
            for (Object[] entry : MESSAGES) {
                if (text.startsWith((String) entry[0])) {
                    return (Integer) entry[1];
                }
            }
        }
        return Errno.IO;
    }
}
