package io.forgeone.provider.kv.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.capability.ProviderContext;
import io.forgeone.api.capability.ProviderSession;
import io.forgeone.api.engine.HostFunction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

class KvProviderTest {
    private static final String SHA = "ab".repeat(32);
    @TempDir
    Path state;
    private final ByteArrayMemory memory = new ByteArrayMemory(65536);
    private KvProvider provider;

    @BeforeEach
    void setUp() {
        provider = provider(Map.of("max.value.bytes", 64, "max.package.bytes", 150L, "max.keys", 4));
    }

    private static KvProvider provider(Map<String, Object> config) {
        return new KvProvider(Converters.standardConverter().convert(config).to(KvConfig.class));
    }

    private ProviderSession open(String pkg) {
        return provider.open(new ProviderContext("id1", "c1", pkg, SHA, state, Map.of()));
    }

    private static HostFunction fn(ProviderSession s, String name) {
        return s.hostFunctions().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    private int put(ProviderSession s, String key, String value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        memory.write(100, k);
        memory.write(1000, v);
        return (int) fn(s, "put").call(memory, new long[] {100, k.length, 1000, v.length})[0];
    }

    /** The value, or "errno N". */
    private String get(ProviderSession s, String key, int cap) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        memory.write(100, k);
        int errno = (int) fn(s, "get").call(memory, new long[] {100, k.length, 2000, cap, 8})[0];
        if (errno != 0) {
            return "errno " + errno + " len " + memory.readI32(8);
        }
        return memory.readUtf8(2000, memory.readI32(8));
    }

    private String list(ProviderSession s, String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        memory.write(100, p);
        int errno = (int) fn(s, "list").call(memory, new long[] {100, p.length, 3000, 1000, 8})[0];
        assertEquals(0, errno);
        return memory.readUtf8(3000, memory.readI32(8)).replace('\0', ',');
    }

    @Test
    void putGetDeleteAndListByPrefix() {
        ProviderSession s = open("shop");
        assertEquals(0, put(s, "user/1", "ann"));
        assertEquals(0, put(s, "user/2", "bob"));
        assertEquals(0, put(s, "order/1", "x"));
        assertEquals("ann", get(s, "user/1", 100));
        assertEquals("user/1,user/2,", list(s, "user/"));
        assertEquals("order/1,user/1,user/2,", list(s, ""));
        assertEquals(0, put(s, "user/1", "annabel"));
        assertEquals("annabel", get(s, "user/1", 100));
        byte[] k = "user/2".getBytes(StandardCharsets.UTF_8);
        memory.write(100, k);
        assertEquals(0, fn(s, "delete").call(memory, new long[] {100, k.length})[0]);
        assertEquals(44, fn(s, "delete").call(memory, new long[] {100, k.length})[0]);
        assertEquals("errno 44 len 0", get(s, "user/2", 100).replace("len " + memory.readI32(8), "len 0"));
        assertTrue(Files.isDirectory(state.resolve("kv/shop")));
    }

    @Test
    void aBufferTooSmallGetsTheLengthItNeeds() {
        ProviderSession s = open("shop");
        put(s, "k", "twelve bytes");
        assertEquals("errno 1 len 12", get(s, "k", 4));
    }

    @Test
    void limitsGiveClearErrorNumbers() {
        ProviderSession s = open("shop");
        assertEquals(37, put(s, "k".repeat(101), "v"), "key too long");
        assertEquals(28, put(s, "", "v"), "empty key");
        assertEquals(22, put(s, "k", "v".repeat(65)), "value too large");
        assertEquals(0, put(s, "a", "v".repeat(64)));
        assertEquals(0, put(s, "b", "v".repeat(64)));
        assertEquals(51, put(s, "c", "v".repeat(64)), "over the package's bytes");
        assertEquals(0, put(s, "c", "v"));
        assertEquals(0, put(s, "d", "v"));
        assertEquals(51, put(s, "e", "v"), "over the package's keys");
        assertEquals(21, fn(s, "put").call(memory, new long[] {65530, 100, 0, 1})[0], "outside memory");
        assertEquals(21, fn(s, "get").call(memory, new long[] {0xFFFFFFF0L, 4, 0, 1, 8})[0], "outside memory");
    }

    @Test
    void storesArePerPackageAndSurviveANewProvider() {
        ProviderSession shop = open("shop");
        ProviderSession blog = open(null);
        put(shop, "k", "shop value");
        assertEquals("errno 44 len 0", get(blog, "k", 100).replaceAll("len \\d+", "len 0"));
        put(blog, "k", "module value");
        assertTrue(Files.isDirectory(state.resolve("kv/module-" + SHA)));

        provider = provider(Map.of());
        assertEquals("shop value", get(open("shop"), "k", 100));
        assertEquals("module value", get(open(null), "k", 100));
    }

    @Test
    void aCrashedPutLeavesTheOldValueAndItsTempFileIsCleanedUp() throws Exception {
        put(open("shop"), "k", "old");
        Path folder = state.resolve("kv/shop");
        Files.writeString(folder.resolve(".tmp-1-1"), "half a new val");
        provider = provider(Map.of());
        assertEquals("old", get(open("shop"), "k", 100));
        assertFalse(Files.exists(folder.resolve(".tmp-1-1")));
        assertEquals(List.of(folder.resolve("6b")), Files.list(folder).toList());
    }

    @Test
    void aClosedSessionNoLongerReachesTheStore() {
        ProviderSession s = open("shop");
        s.close();
        assertEquals(29, put(s, "k", "v"));
    }

    @Test
    void describeDecodesTheKeyAndDeniedCallsGetEnotcapable() {
        ProviderSession s = open("shop");
        memory.write(100, "user/1".getBytes(StandardCharsets.UTF_8));
        assertEquals(Map.of("key", "user/1", "bytes", 3L), fn(s, "put").describe(memory, new long[] {100, 6, 0, 3}));
        assertEquals(76, fn(s, "get").deniedErrno().getAsInt());
    }

    @Test
    void aPackageNameThatCannotBeAFolderIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> open("../evil"));
    }
}
