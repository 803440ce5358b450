package io.forgeone.engine.chicory.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CompiledCodeStoreTest {

    private static final long MIB = 1024 * 1024;
    private static final String MODULE = Sha256.hex("module".getBytes(StandardCharsets.UTF_8));
    private static final String OTHER_MODULE = Sha256.hex("other module".getBytes(StandardCharsets.UTF_8));
    private static final byte[] PAYLOAD = "compiled classes".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path temp;

    private static CompiledCodeStore open(Path dir, long maxBytes) {
        Optional<CompiledCodeStore> store = CompiledCodeStore.open(dir, maxBytes);
        assertTrue(store.isPresent(), "no store in " + dir);
        return store.get();
    }

    private static boolean posix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    @Test
    void whatIsWrittenIsReadBackInAnotherStoreOnTheSameDirectory() {
        Path dir = temp.resolve("cache");
        open(dir, MIB).write(MODULE, PAYLOAD);

        CompiledCodeStore fresh = open(dir, MIB);
        assertArrayEquals(PAYLOAD, fresh.read(MODULE).orElseThrow());
        assertTrue(fresh.read(OTHER_MODULE).isEmpty());
        String name = fresh.entryFile(MODULE).getFileName().toString();
        assertTrue(name.startsWith(MODULE + "-chicory-1.7.5-f" + CompiledCodeStore.FORMAT_VERSION), name);
    }

    @Test
    void theDirectoryAndItsEntriesAreOwnerOnly() throws IOException {
        assumeTrue(posix(temp));
        Path dir = temp.resolve("var/cache/chicory");
        open(dir, MIB).write(MODULE, PAYLOAD);

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                // no write, read or anything for group and others
                assertTrue(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)).endsWith("------"),
                        file.toString());
            }
        }
    }

    @Test
    void aDirectoryOthersMayWriteToIsNotUsed() throws IOException {
        assumeTrue(posix(temp));
        Path dir = Files.createDirectory(temp.resolve("shared"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertTrue(CompiledCodeStore.open(dir, MIB).isEmpty());

        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwx---"));
        assertTrue(CompiledCodeStore.open(dir, MIB).isEmpty());

        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
        assertTrue(CompiledCodeStore.open(dir, MIB).isPresent());
    }

    @Test
    void aDirectoryThatCannotBeCreatedMeansNoStore() throws IOException {
        Path file = Files.writeString(temp.resolve("file"), "in the way");
        assertTrue(CompiledCodeStore.open(file, MIB).isEmpty());
        assertTrue(CompiledCodeStore.open(file.resolve("cache"), MIB).isEmpty());
        assertEquals("in the way", Files.readString(file));
    }

    @Test
    void aBoundOfZeroMeansNoStore() {
        assertTrue(CompiledCodeStore.open(temp.resolve("cache"), 0).isEmpty());
        assertFalse(Files.exists(temp.resolve("cache")));
    }

    @Test
    void aTruncatedEntryIsIgnored() throws IOException {
        CompiledCodeStore store = open(temp, MIB);
        store.write(MODULE, PAYLOAD);
        Path file = store.entryFile(MODULE);
        byte[] entry = Files.readAllBytes(file);
        for (int length : new int[] {0, 10, entry.length - PAYLOAD.length - 1, entry.length - 1}) {
            Files.write(file, Arrays.copyOf(entry, length));
            assertTrue(store.read(MODULE).isEmpty(), "cut to " + length + " bytes");
        }
        Files.write(file, Arrays.copyOf(entry, entry.length + 1));
        assertTrue(store.read(MODULE).isEmpty(), "one byte too many");

        store.write(MODULE, PAYLOAD);
        assertArrayEquals(PAYLOAD, store.read(MODULE).orElseThrow(), "rewritten");
    }

    @Test
    void anEntryWithAnyByteChangedIsIgnored() throws IOException {
        CompiledCodeStore store = open(temp, MIB);
        store.write(MODULE, PAYLOAD);
        Path file = store.entryFile(MODULE);
        byte[] entry = Files.readAllBytes(file);
        for (int i = 0; i < entry.length; i++) {
            byte[] damaged = entry.clone();
            damaged[i] ^= 0x01;
            Files.write(file, damaged);
            assertTrue(store.read(MODULE).isEmpty(), "byte " + i + " of " + entry.length + " changed");
        }
    }

    @Test
    void anEntryOfAnotherModuleIsRejected() throws IOException {
        CompiledCodeStore store = open(temp, MIB);
        store.write(OTHER_MODULE, PAYLOAD);
        Files.copy(store.entryFile(OTHER_MODULE), store.entryFile(MODULE));

        assertTrue(store.read(MODULE).isEmpty());
        assertArrayEquals(PAYLOAD, store.read(OTHER_MODULE).orElseThrow());
    }

    @Test
    void somethingElseUnderAnEntrysNameIsIgnored() throws IOException {
        CompiledCodeStore store = open(temp, MIB);
        Files.writeString(store.entryFile(MODULE), "PK\u0003\u0004 not ours");
        assertTrue(store.read(MODULE).isEmpty());
        Files.createDirectory(store.entryFile(OTHER_MODULE));
        assertTrue(store.read(OTHER_MODULE).isEmpty());
    }

    @Test
    void theLeastRecentlyUsedEntriesGoWhenTheBoundIsPassed() throws IOException {
        byte[] payload = new byte[400];
        long entrySize;
        List<String> modules = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            modules.add(Sha256.hex(new byte[] {(byte) i}));
        }
        CompiledCodeStore probe = open(temp.resolve("probe"), MIB);
        probe.write(modules.get(0), payload);
        entrySize = Files.size(probe.entryFile(modules.get(0)));

        // room for three entries
        CompiledCodeStore store = open(temp.resolve("cache"), 3 * entrySize + entrySize / 2);
        Instant start = Instant.now().minus(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            store.write(modules.get(i), payload);
            Files.setLastModifiedTime(store.entryFile(modules.get(i)), FileTime.from(start.plusSeconds(i)));
        }
        // reading module 0 makes it the most recently used, so module 1 goes when module 3 comes
        assertTrue(store.read(modules.get(0)).isPresent());
        store.write(modules.get(3), payload);

        assertTrue(Files.exists(store.entryFile(modules.get(0))));
        assertFalse(Files.exists(store.entryFile(modules.get(1))));
        assertTrue(Files.exists(store.entryFile(modules.get(2))));
        assertTrue(Files.exists(store.entryFile(modules.get(3))));
    }

    @Test
    void anEntryLargerThanTheBoundIsNotWritten() {
        CompiledCodeStore store = open(temp, 100);
        store.write(MODULE, new byte[200]);
        assertFalse(Files.exists(store.entryFile(MODULE)));
    }

    @Test
    void evictionLeavesOtherFilesAloneAndSweepsTemporaryFilesOfDeadWriters() throws IOException {
        CompiledCodeStore store = open(temp, 1);
        Path foreign = Files.writeString(temp.resolve("notes.txt"), "not ours");
        Path stale = Files.writeString(temp.resolve(store.entryFile(OTHER_MODULE).getFileName() + ".123.tmp"), "x");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofDays(1))));
        Path fresh = Files.writeString(temp.resolve(store.entryFile(MODULE).getFileName() + ".456.tmp"), "x");

        store.write(MODULE, PAYLOAD); // larger than the bound: not written, nothing evicted
        CompiledCodeStore roomy = open(temp, MIB);
        roomy.write(MODULE, PAYLOAD);

        assertTrue(Files.exists(foreign));
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(fresh), "a writer may still be at work on it");
        assertTrue(roomy.read(MODULE).isPresent());
    }

    @Test
    void concurrentWritersOfTheSameEntryLeaveOneWholeEntry() throws Exception {
        Path dir = temp.resolve("cache");
        int writers = 8;
        byte[] payload = new byte[256 * 1024];
        Arrays.fill(payload, (byte) 7);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                // each its own store, as each process has
                CompiledCodeStore store = open(dir, 64 * MIB);
                done.add(pool.submit(() -> {
                    start.await();
                    for (int round = 0; round < 20; round++) {
                        store.write(MODULE, payload);
                        store.read(MODULE).ifPresent(read -> assertArrayEquals(payload, read));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : done) {
                writer.get(20, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertArrayEquals(payload, open(dir, 64 * MIB).read(MODULE).orElseThrow());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(open(dir, MIB).entryFile(MODULE).getFileName().toString()),
                    files.map(file -> file.getFileName().toString()).toList(), "temporary files left behind");
        }
    }
}
