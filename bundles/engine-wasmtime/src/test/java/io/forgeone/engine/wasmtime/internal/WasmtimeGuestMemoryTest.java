package io.forgeone.engine.wasmtime.internal;

import static io.forgeone.engine.wasmtime.internal.TestModules.LIMITS;
import static io.forgeone.engine.wasmtime.internal.TestModules.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.MemoryAccessException;
import io.forgeone.api.engine.WasmInstance;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WasmtimeGuestMemoryTest {

    private static final long TWO_PAGES = 2 * 65536;

    private WasmInstance instance;
    private GuestMemory memory;

    @BeforeEach
    void instantiate() {
        WasmtimeEngine engine = TestModules.engine();
        instance = engine.instantiate(engine.compile(bytes("memory.wasm")), List.of(), LIMITS);
        memory = instance.memory();
    }

    @AfterEach
    void close() {
        instance.close();
    }

    @Test
    void isLittleEndianAndSharedWithTheGuest() {
        memory.writeI32(100, 0x01020304);
        assertArrayEquals(new byte[] {4, 3, 2, 1}, memory.readBytes(100, 4));
        assertArrayEquals(new long[] {0x01020304}, instance.call("load", 100));

        memory.writeI64(200, 0x0102030405060708L);
        assertEquals(8, memory.readByte(200));
        assertEquals(0x05060708, memory.readI32(200));
        assertEquals(0x0102030405060708L, memory.readI64(200));

        memory.writeByte(300, (byte) -1);
        assertEquals(0xff, instance.call("load", 300)[0]);
    }

    @Test
    void readsAndWritesSlicesOfArrays() {
        memory.write(10, new byte[] {9, 1, 2, 3, 9}, 1, 3);
        byte[] target = new byte[5];
        memory.read(10, target, 2, 3);
        assertArrayEquals(new byte[] {0, 0, 1, 2, 3}, target);
        assertThrows(IndexOutOfBoundsException.class, () -> memory.read(10, target, 4, 2));
        assertEquals("", new String(memory.readBytes(TWO_PAGES, 0)));
    }

    @Test
    void accessesUpToTheLastByteWork() {
        assertEquals(TWO_PAGES, memory.size());
        memory.writeByte(TWO_PAGES - 1, (byte) 7);
        assertEquals(7, memory.readByte(TWO_PAGES - 1));
        memory.writeI64(TWO_PAGES - 8, -2);
        assertEquals(-2, memory.readI64(TWO_PAGES - 8));
    }

    @Test
    void accessesOutsideTheMemoryThrowNamingAddressAndLength() {
        MemoryAccessException e = assertThrows(MemoryAccessException.class, () -> memory.readI32(TWO_PAGES - 2));
        assertTrue(e.getMessage().contains("address " + (TWO_PAGES - 2)), e.getMessage());
        assertTrue(e.getMessage().contains("length 4"), e.getMessage());
        assertTrue(e.getMessage().contains("memory size " + TWO_PAGES), e.getMessage());

        assertThrows(MemoryAccessException.class, () -> memory.readByte(TWO_PAGES));
        assertThrows(MemoryAccessException.class, () -> memory.writeI64(TWO_PAGES - 7, 0));
        assertThrows(MemoryAccessException.class, () -> memory.readByte(-1));
        assertThrows(MemoryAccessException.class, () -> memory.readByte(1L << 32));
        assertThrows(MemoryAccessException.class, () -> memory.readByte(Long.MAX_VALUE));
        assertThrows(MemoryAccessException.class, () -> memory.readBytes(TWO_PAGES - 1, 2));
        assertThrows(MemoryAccessException.class, () -> memory.write(Long.MAX_VALUE - 1, new byte[4]));
    }

    @Test
    void growingTheMemoryWidensTheView() {
        assertThrows(MemoryAccessException.class, () -> memory.readByte(TWO_PAGES));
        instance.call("grow", 1);
        assertEquals(3 * 65536, memory.size());
        assertEquals(0, memory.readByte(TWO_PAGES));
    }

    @Test
    void aModuleWithoutMemoryHasAnEmptyView() {
        WasmtimeEngine engine = TestModules.engine();
        try (WasmInstance noMemory = engine.instantiate(engine.compile(bytes("add.wasm")), List.of(), LIMITS)) {
            assertEquals(0, noMemory.memory().size());
            assertThrows(MemoryAccessException.class, () -> noMemory.memory().readByte(0));
            assertEquals(0, noMemory.memory().readBytes(0, 0).length);
        }
    }

    @Test
    void aMemoryTheModuleDoesNotExportIsStillTheHostsView() {
        // traps.wasm declares one page and exports no memory: the engine exports it under a name of its own
        WasmtimeEngine engine = TestModules.engine();
        try (WasmInstance unexported = engine.instantiate(engine.compile(bytes("traps.wasm")), List.of(), LIMITS)) {
            assertEquals(65536, unexported.memory().size());
            unexported.memory().writeI32(0, 42);
            assertEquals(42, unexported.memory().readI32(0));
            assertEquals(List.of("unreachable", "div", "recurse", "out_of_bounds", "spin", "answer"),
                    List.copyOf(engine.compile(bytes("traps.wasm")).functionExports().keySet()));
        }
    }

    @Test
    void aClosedInstancesMemoryReadsAsEmptyRatherThanFreedMemory() {
        instance.close();
        assertEquals(0, memory.size());
        assertThrows(MemoryAccessException.class, () -> memory.readByte(0));
    }
}
