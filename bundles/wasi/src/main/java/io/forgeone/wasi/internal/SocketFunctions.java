package io.forgeone.wasi.internal;

import static io.forgeone.wasi.internal.GuestIo.i32;
import static io.forgeone.wasi.internal.GuestIo.u32;

import io.forgeone.api.engine.GuestMemory;
import java.util.List;

/**
 * sock_accept, sock_recv, sock_send and sock_shutdown. ForgeOne hands a guest no socket descriptors (yet), so
 * every call meets a descriptor that is not a socket and answers exactly what wasmtime answers for one:
 * EINVAL for flags the witx does not define (its bindings reject them before the call), EBADF for a number
 * that is not open, ENOTSOCK for files, directories and stdio. No guest memory is touched.
 */
final class SocketFunctions {
    // riflags (u16), sdflags (u8)
    static final int RIFLAGS_ALL = 0x3;
    static final int SDFLAGS_ALL = 0x3;
    private static final String[] RIFLAG_NAMES = {"recv_peek", "recv_waitall"};
    private static final String[] SDFLAG_NAMES = {"rd", "wr"};

    private final DescriptorTable descriptors;

    SocketFunctions(WasiContext context) {
        this.descriptors = context.descriptors;
    }

    void register(FunctionTable table) {
        table.add("sock_accept", "iii", (m, a) -> notASocket(i32(a, 0), i32(a, 1), Preview1.FDFLAGS_ALL,
                Preview1.RIGHT_SOCK_ACCEPT), (m, a, d) -> {
                    d.put("fd", i32(a, 0));
                    d.put("fdflags", Preview1.fdflagNames(i32(a, 1)));
                });
        table.add("sock_recv", "iiiiii", (m, a) -> notASocket(i32(a, 0), i32(a, 3), RIFLAGS_ALL, Preview1.RIGHT_FD_READ),
                (m, a, d) -> {
                    d.put("fd", i32(a, 0));
                    d.put("bytes", GuestIo.totalLength(m, u32(a, 1), u32(a, 2)));
                    d.put("riflags", names(i32(a, 3), RIFLAG_NAMES));
                });
        table.add("sock_send", "iiiii", (m, a) -> notASocket(i32(a, 0), i32(a, 3) & 0xFFFF, 0xFFFF,
                Preview1.RIGHT_FD_WRITE), (m, a, d) -> {
                    d.put("fd", i32(a, 0));
                    d.put("bytes", GuestIo.totalLength(m, u32(a, 1), u32(a, 2)));
                    d.put("siflags", i32(a, 3) & 0xFFFF);
                });
        table.add("sock_shutdown", "ii", (m, a) -> notASocket(i32(a, 0), i32(a, 1), SDFLAGS_ALL,
                Preview1.RIGHT_SOCK_SHUTDOWN), (m, a, d) -> {
                    d.put("fd", i32(a, 0));
                    d.put("how", names(i32(a, 1), SDFLAG_NAMES));
                });
    }

    private int notASocket(int fd, int flags, int validFlags, long right) {
        if ((flags & ~validFlags) != 0) {
            throw new ErrnoException(Errno.INVAL);
        }
        descriptors.get(fd).require(right);
        throw new ErrnoException(Errno.NOTSOCK);
    }

    private static List<String> names(int flags, String[] table) {
        List<String> names = new java.util.ArrayList<>();
        for (int bit = 0; bit < 32; bit++) {
            if ((flags & (1 << bit)) != 0) {
                names.add(bit < table.length ? table[bit] : "bit" + bit);
            }
        }
        return names;
    }
}
