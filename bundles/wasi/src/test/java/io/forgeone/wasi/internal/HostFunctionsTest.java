package io.forgeone.wasi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.ValueType;
import io.forgeone.api.wasi.OutputSink;
import io.forgeone.api.wasi.Preopen;
import io.forgeone.api.wasi.WasiConfig;
import io.forgeone.api.wasi.WasiEnvironment;
import io.forgeone.api.wasi.WasiProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFunctionsTest {
    /** Core-wasm signatures of wasi_snapshot_preview1 as the witx lowers them: i = i32, I = i64. */
    private static final Map<String, String> PREVIEW1 = new TreeMap<>(Map.ofEntries(
            Map.entry("args_get", "ii"), Map.entry("args_sizes_get", "ii"),
            Map.entry("environ_get", "ii"), Map.entry("environ_sizes_get", "ii"),
            Map.entry("clock_res_get", "ii"), Map.entry("clock_time_get", "iIi"),
            Map.entry("fd_advise", "iIIi"), Map.entry("fd_allocate", "iII"), Map.entry("fd_close", "i"),
            Map.entry("fd_datasync", "i"), Map.entry("fd_fdstat_get", "ii"), Map.entry("fd_fdstat_set_flags", "ii"),
            Map.entry("fd_fdstat_set_rights", "iII"), Map.entry("fd_filestat_get", "ii"),
            Map.entry("fd_filestat_set_size", "iI"), Map.entry("fd_filestat_set_times", "iIIi"),
            Map.entry("fd_pread", "iiiIi"), Map.entry("fd_prestat_get", "ii"), Map.entry("fd_prestat_dir_name", "iii"),
            Map.entry("fd_pwrite", "iiiIi"), Map.entry("fd_read", "iiii"), Map.entry("fd_readdir", "iiiIi"),
            Map.entry("fd_renumber", "ii"), Map.entry("fd_seek", "iIii"), Map.entry("fd_sync", "i"),
            Map.entry("fd_tell", "ii"), Map.entry("fd_write", "iiii"), Map.entry("path_create_directory", "iii"),
            Map.entry("path_filestat_get", "iiiii"), Map.entry("path_filestat_set_times", "iiiiIIi"),
            Map.entry("path_link", "iiiiiii"), Map.entry("path_open", "iiiiiIIii"), Map.entry("path_readlink", "iiiiii"),
            Map.entry("path_remove_directory", "iii"), Map.entry("path_rename", "iiiiii"),
            Map.entry("path_symlink", "iiiii"), Map.entry("path_unlink_file", "iii"), Map.entry("poll_oneoff", "iiii"),
            Map.entry("proc_exit", "i"), Map.entry("proc_raise", "i"), Map.entry("sched_yield", ""),
            Map.entry("random_get", "ii"), Map.entry("sock_accept", "iii"), Map.entry("sock_recv", "iiiiii"),
            Map.entry("sock_send", "iiiii"), Map.entry("sock_shutdown", "ii")));

    private static final List<String> REQUIRED = List.of("args_get", "args_sizes_get", "environ_get",
            "environ_sizes_get", "clock_res_get", "clock_time_get", "random_get", "fd_write", "fd_read",
            "fd_prestat_get", "fd_prestat_dir_name", "path_open", "fd_seek", "fd_tell", "fd_close", "fd_fdstat_get",
            "fd_filestat_get", "path_filestat_get", "fd_readdir", "proc_exit", "sched_yield");

    @TempDir
    Path dir;

    private static String spell(List<ValueType> types) {
        StringBuilder s = new StringBuilder();
        for (ValueType t : types) {
            s.append(t == ValueType.I32 ? 'i' : t == ValueType.I64 ? 'I' : '?');
        }
        return s.toString();
    }

    @Test
    void everyFunctionHasItsExactPreview1Signature() {
        try (Guest g = new Guest(List.of(), Map.of(), List.of(), null)) {
            List<String> names = new ArrayList<>();
            for (HostFunction f : g.env.hostFunctions()) {
                names.add(f.name());
                assertEquals("wasi_snapshot_preview1", f.module());
                assertTrue(PREVIEW1.containsKey(f.name()), "not a preview1 function: " + f.name());
                assertEquals(PREVIEW1.get(f.name()), spell(f.signature().params()), f.name());
                if (f.name().equals("proc_exit")) {
                    assertEquals(List.of(), f.signature().results());
                    assertTrue(f.deniedErrno().isEmpty());
                } else {
                    assertEquals(List.of(ValueType.I32), f.signature().results(), f.name());
                    assertEquals(76, f.deniedErrno().getAsInt(), f.name());
                }
            }
            assertEquals(names.size(), names.stream().distinct().count(), "no duplicates");
            assertTrue(names.containsAll(REQUIRED), "missing: " + REQUIRED.stream().filter(n -> !names.contains(n)).toList());
        }
    }

    @Test
    void providerComponentCreatesEnvironments() throws IOException {
        WasiProvider provider = new WasiProviderComponent();
        Files.writeString(dir.resolve("f"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("link-to-dir"), dir);
        try (WasiEnvironment env = provider.create(new WasiConfig(List.of("p"), Map.of(),
                List.of(Preopen.parse(link + "::/data")), null, OutputSink.DISCARD, OutputSink.DISCARD))) {
            assertTrue(env.hostFunctions().size() >= REQUIRED.size());
        }
        IllegalArgumentException notDir = assertThrows(IllegalArgumentException.class,
                () -> provider.create(config(dir.resolve("f"))));
        assertEquals("--dir " + dir.resolve("f") + ": not a directory", notDir.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> provider.create(config(dir.resolve("missing"))));
        assertEquals("--dir " + dir.resolve("missing") + ": no such directory", missing.getMessage());
    }

    private static WasiConfig config(Path preopen) {
        return new WasiConfig(List.of(), Map.of(), List.of(new Preopen(preopen, "/x")), null, OutputSink.DISCARD,
                OutputSink.DISCARD);
    }

    @Test
    void hostEnvironmentIsNeverVisible() {
        try (Guest g = new Guest(List.of("p"), Map.of(), List.of(), null)) {
            long count = g.alloc(4);
            assertEquals(0, g.call("environ_sizes_get", count, g.alloc(4)));
            assertEquals(0, g.i32(count), "PATH, HOME, ... of the host stay out");
        }
    }
}
