package io.forgeone.engine.wasmtime.internal;

import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.ModuleFormatException;
import io.forgeone.api.engine.ModuleImport;
import io.forgeone.api.engine.ValueType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What the engine must know of a module that wasmtime-java does not tell (it lists imports but not exports, nor
 * memory limits), read from the binary format; and the rewrite that caps the module's memory. wasmtime-java 0.19 has
 * no memory limiter, so the limit is written into the module itself: its memory's declared maximum is lowered to the
 * instance limit before wasmtime compiles it, and {@code memory.grow} past it then fails with -1 as the WebAssembly
 * specification says. Only the sections needed are decoded; wasmtime validates the whole module.
 */
final class WasmBinary {

    static final int PAGE_SIZE = 65536;
    /** Export name under which the rewrite exposes memory 0 when the module does not export it itself. */
    static final String MEMORY_EXPORT = "forge:memory0";

    private static final byte[] MAGIC = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    private static final int SECTION_TYPE = 1;
    private static final int SECTION_IMPORT = 2;
    private static final int SECTION_FUNCTION = 3;
    private static final int SECTION_MEMORY = 5;
    private static final int SECTION_EXPORT = 7;

    /** A memory the module defines: pages, with no maximum when {@code maximum} is empty. */
    record MemoryLimits(long initial, OptionalLong maximum, boolean shared, boolean is64) {
    }

    private record Section(int id, int start, int contentStart, int end) {
    }

    private final byte[] bytes;
    private final List<Section> sections;
    private final List<ModuleImport> functionImports;
    private final List<String> otherImports;
    private final Map<String, FunctionSignature> functionExports;
    private final List<MemoryLimits> memories;
    private final boolean memoryImported;
    private final String memoryExport;

    private WasmBinary(byte[] bytes, List<Section> sections, List<ModuleImport> functionImports,
            List<String> otherImports, Map<String, FunctionSignature> functionExports, List<MemoryLimits> memories,
            boolean memoryImported, String memoryExport) {
        this.bytes = bytes;
        this.sections = sections;
        this.functionImports = List.copyOf(functionImports);
        this.otherImports = List.copyOf(otherImports);
        this.functionExports = Collections.unmodifiableMap(new LinkedHashMap<>(functionExports));
        this.memories = List.copyOf(memories);
        this.memoryImported = memoryImported;
        this.memoryExport = memoryExport;
    }

    /** The module as given. */
    byte[] bytes() {
        return bytes;
    }

    List<ModuleImport> functionImports() {
        return functionImports;
    }

    /** Imports that are not functions of numeric types, as {@code module.name}. */
    List<String> otherImports() {
        return otherImports;
    }

    Map<String, FunctionSignature> functionExports() {
        return functionExports;
    }

    /** The memories the module defines (not imports), as declared. */
    List<MemoryLimits> memories() {
        return memories;
    }

    /** The name memory 0 is exported under, or null when the module does not export it. */
    String memoryExport() {
        return memoryExport;
    }

    /**
     * Reads a module. Checks the header and the structure of the sections the engine uses; everything else is left to
     * wasmtime's validation.
     *
     * @throws ModuleFormatException naming the offset and what was wrong
     */
    static WasmBinary parse(byte[] bytes) {
        Reader in = new Reader(bytes, 0);
        for (int i = 0; i < 4; i++) {
            if (i >= bytes.length || bytes[i] != MAGIC[i]) {
                throw new ModuleFormatException("not a WebAssembly module: bad magic number (" + (bytes.length == 0
                        ? "no bytes" : "starts with " + hex(bytes, Math.min(4, bytes.length))) + ", "
                        + bytes.length + " bytes in all; a module starts with 00 61 73 6d)");
            }
        }
        if (bytes.length < MAGIC.length) {
            throw new ModuleFormatException("not a WebAssembly module: header cut short after " + bytes.length
                    + " bytes");
        }
        for (int i = 4; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new ModuleFormatException("unsupported WebAssembly binary version "
                        + hex(java.util.Arrays.copyOfRange(bytes, 4, 8), 4) + " (only 01 00 00 00 is supported"
                        + (bytes[6] == 1 ? "; this is a WebAssembly component, not a core module)" : ")"));
            }
        }
        in.pos = MAGIC.length;
        List<Section> sections = new ArrayList<>();
        List<FunctionSignature> types = new ArrayList<>();
        List<ModuleImport> functionImports = new ArrayList<>();
        List<FunctionSignature> importedFunctionTypes = new ArrayList<>();
        List<String> otherImports = new ArrayList<>();
        List<Integer> functionTypes = new ArrayList<>();
        List<MemoryLimits> memories = new ArrayList<>();
        Map<String, FunctionSignature> exports = new LinkedHashMap<>();
        boolean memoryImported = false;
        String memoryExport = null;
        List<Object[]> rawExports = new ArrayList<>();
        while (in.pos < bytes.length) {
            int start = in.pos;
            int id = in.u8();
            long size = in.u32();
            int contentStart = in.pos;
            if (size > bytes.length - contentStart) {
                throw new ModuleFormatException("malformed module: section " + id + " at offset " + start
                        + " is " + size + " bytes long, past the end of the module");
            }
            int end = contentStart + (int) size;
            sections.add(new Section(id, start, contentStart, end));
            Reader section = new Reader(bytes, contentStart, end);
            switch (id) {
                case SECTION_TYPE -> {
                    long count = section.u32();
                    for (long i = 0; i < count; i++) {
                        int form = section.u8();
                        if (form != 0x60) {
                            throw section.error("function type expected (0x60), found 0x" + Integer.toHexString(form));
                        }
                        List<ValueType> params = section.valueTypes();
                        List<ValueType> results = section.valueTypes();
                        types.add(params == null || results == null ? null : FunctionSignature.of(params, results));
                    }
                }
                case SECTION_IMPORT -> {
                    long count = section.u32();
                    for (long i = 0; i < count; i++) {
                        String module = section.name();
                        String name = section.name();
                        int kind = section.u8();
                        switch (kind) {
                            case 0x00 -> {
                                FunctionSignature signature = type(types, section.u32(), section);
                                importedFunctionTypes.add(signature);
                                if (signature == null) {
                                    otherImports.add(module + "." + name);
                                } else {
                                    functionImports.add(new ModuleImport(module, name, signature));
                                }
                            }
                            case 0x01 -> {
                                section.u8();
                                section.limits();
                                otherImports.add(module + "." + name);
                            }
                            case 0x02 -> {
                                section.limits();
                                memoryImported = true;
                                otherImports.add(module + "." + name);
                            }
                            case 0x03 -> {
                                section.u8();
                                section.u8();
                                otherImports.add(module + "." + name);
                            }
                            default -> throw section.error("unsupported import kind 0x" + Integer.toHexString(kind)
                                    + " for " + module + "." + name);
                        }
                    }
                }
                case SECTION_FUNCTION -> {
                    long count = section.u32();
                    for (long i = 0; i < count; i++) {
                        functionTypes.add((int) section.u32());
                    }
                }
                case SECTION_MEMORY -> {
                    long count = section.u32();
                    for (long i = 0; i < count; i++) {
                        memories.add(section.limits());
                    }
                }
                case SECTION_EXPORT -> {
                    long count = section.u32();
                    for (long i = 0; i < count; i++) {
                        String name = section.name();
                        int kind = section.u8();
                        long index = section.u32();
                        rawExports.add(new Object[] {name, kind, index});
                    }
                }
                default -> {
                    // not needed here; wasmtime validates it
                }
            }
            if ((id == SECTION_TYPE || id == SECTION_IMPORT || id == SECTION_FUNCTION || id == SECTION_MEMORY
                    || id == SECTION_EXPORT) && section.pos != end) {
                throw new ModuleFormatException("malformed module: section " + id + " at offset " + start
                        + " has " + (end - section.pos) + " bytes after its last entry");
            }
            in.pos = end;
        }
        for (Object[] export : rawExports) {
            String name = (String) export[0];
            int kind = (Integer) export[1];
            long index = (Long) export[2];
            if (kind == 0x00) {
                FunctionSignature signature;
                if (index < importedFunctionTypes.size()) {
                    signature = importedFunctionTypes.get((int) index);
                } else if (index - importedFunctionTypes.size() < functionTypes.size()) {
                    signature = type(types, functionTypes.get((int) (index - importedFunctionTypes.size())), null);
                } else {
                    throw new ModuleFormatException("malformed module: export '" + name + "' names function " + index
                            + ", which does not exist");
                }
                if (signature != null) {
                    exports.put(name, signature);
                }
            } else if (kind == 0x02 && index == 0 && memoryExport == null) {
                memoryExport = name;
            }
        }
        return new WasmBinary(bytes, sections, functionImports, otherImports, exports, memories, memoryImported,
                memoryExport);
    }

    private static String hex(byte[] bytes, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(i == 0 ? "" : " ").append(String.format("%02x", bytes[i] & 0xff));
        }
        return text.toString();
    }

    private static FunctionSignature type(List<FunctionSignature> types, long index, Reader at) {
        if (index >= types.size()) {
            String message = "malformed module: type index " + index + " out of range (" + types.size() + " types)";
            throw at == null ? new ModuleFormatException(message) : at.error(message);
        }
        return types.get((int) index);
    }

    /** Whether every memory the module defines starts within {@code maxPages}, as an instance needs. */
    boolean fits(int maxPages) {
        for (MemoryLimits memory : memories) {
            if (memory.initial() > maxPages) {
                return false;
            }
        }
        return true;
    }

    /**
     * The module with every memory's maximum lowered to {@code maxPages} (a memory without a maximum gets that one),
     * and with memory 0 exported as {@link #MEMORY_EXPORT} when the module does not export it, so that host functions
     * can see it. Returns the original bytes when nothing needs to change.
     */
    byte[] capped(int maxPages) {
        boolean capMemory = false;
        for (MemoryLimits memory : memories) {
            capMemory |= memory.maximum().isEmpty() || memory.maximum().getAsLong() > maxPages;
        }
        boolean addExport = !memories.isEmpty() && memoryExport == null && !memoryImported;
        if (!capMemory && !addExport) {
            return bytes;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 64);
        out.write(bytes, 0, MAGIC.length);
        boolean exportWritten = !addExport;
        for (Section section : sections) {
            if (!exportWritten && section.id() != 0 && order(section.id()) > order(SECTION_EXPORT)) {
                writeSection(out, SECTION_EXPORT, exportEntries(0, new byte[0]));
                exportWritten = true;
            }
            if (section.id() == SECTION_MEMORY && capMemory) {
                ByteArrayOutputStream content = new ByteArrayOutputStream();
                writeU32(content, memories.size());
                for (MemoryLimits memory : memories) {
                    long max = memory.maximum().isPresent() ? Math.min(memory.maximum().getAsLong(), maxPages)
                            : maxPages;
                    int flags = 0x01 | (memory.shared() ? 0x02 : 0) | (memory.is64() ? 0x04 : 0);
                    content.write(flags);
                    writeU64(content, memory.initial());
                    writeU64(content, max);
                }
                writeSection(out, SECTION_MEMORY, content.toByteArray());
            } else if (section.id() == SECTION_EXPORT && !exportWritten) {
                Reader reader = new Reader(bytes, section.contentStart(), section.end());
                long count = reader.u32();
                byte[] entries = new byte[section.end() - reader.pos];
                System.arraycopy(bytes, reader.pos, entries, 0, entries.length);
                writeSection(out, SECTION_EXPORT, exportEntries(count, entries));
                exportWritten = true;
            } else {
                out.write(bytes, section.start(), section.end() - section.start());
            }
        }
        if (!exportWritten) {
            writeSection(out, SECTION_EXPORT, exportEntries(0, new byte[0]));
        }
        return out.toByteArray();
    }

    /** Position of a known section in the order the binary format prescribes (the tag section sits before globals). */
    private static int order(int id) {
        return switch (id) {
            case 13 -> 55; // tag: after memory (5), before global (6)
            case 12 -> 95; // data count: before code (10)
            default -> id * 10;
        };
    }

    private static byte[] exportEntries(long count, byte[] entries) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        writeU32(content, count + 1);
        content.write(entries, 0, entries.length);
        byte[] name = MEMORY_EXPORT.getBytes(StandardCharsets.UTF_8);
        writeU32(content, name.length);
        content.write(name, 0, name.length);
        content.write(0x02);
        writeU32(content, 0);
        return content.toByteArray();
    }

    private static void writeSection(ByteArrayOutputStream out, int id, byte[] content) {
        out.write(id);
        writeU32(out, content.length);
        out.write(content, 0, content.length);
    }

    private static void writeU32(ByteArrayOutputStream out, long value) {
        writeU64(out, value);
    }

    private static void writeU64(ByteArrayOutputStream out, long value) {
        long remaining = value;
        do {
            int b = (int) (remaining & 0x7f);
            remaining >>>= 7;
            out.write(remaining == 0 ? b : b | 0x80);
        } while (remaining != 0);
    }

    /** A cursor over part of the module. */
    private static final class Reader {
        private final byte[] bytes;
        private final int end;
        private int pos;

        Reader(byte[] bytes, int pos) {
            this(bytes, pos, bytes.length);
        }

        Reader(byte[] bytes, int pos, int end) {
            this.bytes = bytes;
            this.pos = pos;
            this.end = end;
        }

        int u8() {
            if (pos >= end) {
                throw error("unexpected end of section");
            }
            return bytes[pos++] & 0xff;
        }

        long u32() {
            long value = leb(5);
            if (value > 0xffffffffL) {
                throw error("integer too large");
            }
            return value;
        }

        long leb(int maxBytes) {
            long result = 0;
            int shift = 0;
            for (int i = 0; i < maxBytes; i++) {
                int b = u8();
                result |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
                shift += 7;
            }
            throw error("integer representation too long");
        }

        String name() {
            long length = u32();
            if (length > end - pos) {
                throw error("name of " + length + " bytes runs past the end of the section");
            }
            try {
                String name = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes, pos, (int) length)).toString();
                pos += (int) length;
                return name;
            } catch (CharacterCodingException e) {
                throw error("name is not valid UTF-8");
            }
        }

        /** The value types of a vector, or null when one of them is not a number type the API can carry. */
        List<ValueType> valueTypes() {
            long count = u32();
            List<ValueType> types = new ArrayList<>();
            boolean numeric = true;
            for (long i = 0; i < count; i++) {
                int type = u8();
                switch (type) {
                    case 0x7f -> types.add(ValueType.I32);
                    case 0x7e -> types.add(ValueType.I64);
                    case 0x7d -> types.add(ValueType.F32);
                    case 0x7c -> types.add(ValueType.F64);
                    case 0x7b, 0x70, 0x6f -> numeric = false;
                    default -> throw error("unknown value type 0x" + Integer.toHexString(type));
                }
            }
            return numeric ? types : null;
        }

        MemoryLimits limits() {
            int flags = u8();
            if ((flags & ~0x07) != 0) {
                throw error("unknown limits flags 0x" + Integer.toHexString(flags));
            }
            boolean is64 = (flags & 0x04) != 0;
            long initial = is64 ? leb(10) : u32();
            OptionalLong maximum = (flags & 0x01) != 0 ? OptionalLong.of(is64 ? leb(10) : u32()) : OptionalLong.empty();
            return new MemoryLimits(initial, maximum, (flags & 0x02) != 0, is64);
        }

        ModuleFormatException error(String message) {
            return new ModuleFormatException("malformed module at offset " + pos + ": " + message);
        }
    }
}
