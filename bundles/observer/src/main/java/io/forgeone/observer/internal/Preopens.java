package io.forgeone.observer.internal;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The names of a run's preopened directories by descriptor, as the trace itself shows them: every WASI program
 * asks for them at start ({@code fd_prestat_dir_name} writes the name into its memory). Used to say
 * {@code /data/input.txt} rather than {@code input.txt} relative to descriptor 3.
 */
final class Preopens {
    static final Preopens NONE = new Preopens(Map.of());
    private static final String NAME_CALL = "fd_prestat_dir_name";

    private final Map<Integer, String> names;

    private Preopens(Map<Integer, String> names) {
        this.names = Map.copyOf(names);
    }

    /** From the calls of a run, in order (those of its start suffice). */
    static Preopens of(TraceHeader header, List<RawCall> calls) {
        Map<Integer, String> names = new HashMap<>();
        for (RawCall c : calls) {
            TraceHeader.Function f = header.functions().get(c.function());
            if (!f.name().equals(NAME_CALL) || !Summaries.WASI.equals(f.module()) || c.args().length < 3
                    || c.results() == null || c.results().length != 1 || c.results()[0] != 0) {
                continue;
            }
            long at = c.args()[1];
            int length = (int) Math.min(4096, c.args()[2]);
            for (RawCall.Access a : c.accesses()) {
                if (a.write() && a.address() == at && a.bytes().length >= length) {
                    names.put((int) c.args()[0], new String(a.bytes(), 0, length, StandardCharsets.UTF_8));
                }
            }
        }
        return names.isEmpty() ? NONE : new Preopens(names);
    }

    /** {@code path} as the guest sees it from the root when {@code fd} is a preopen; else unchanged. */
    String resolve(Object fd, String path) {
        String dir = fd instanceof Number n ? names.get(n.intValue()) : null;
        if (dir == null || path.startsWith("/") || path.startsWith("<")) {
            return path;
        }
        if (dir.equals(".") || dir.isEmpty()) {
            return path;
        }
        return (dir.endsWith("/") ? dir : dir + "/") + (path.equals(".") ? "" : path);
    }
}
