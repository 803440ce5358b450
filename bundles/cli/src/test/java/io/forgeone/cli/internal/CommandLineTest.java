package io.forgeone.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    private static CommandLine parse(String... args) {
        return CommandLine.parse(List.of(args), Set.of("--out", "--key"), Set.of("--key"), Set.of("--json"));
    }

    @Test
    void optionsAnywhereInBothSpellings() {
        CommandLine line = parse("--key", "a.pem", "app", "--json", "--key=b.pem", "--out=x=y");
        assertEquals(List.of("app"), line.operands());
        assertEquals(List.of("a.pem", "b.pem"), line.values("--key"));
        assertEquals("x=y", line.value("--out"));
        assertTrue(line.flag("--json"));
        assertFalse(line.help());
    }

    @Test
    void doubleDashEndsOptionsAndDashIsAnOperand() {
        CommandLine line = parse("--", "--json", "-");
        assertEquals(List.of("--json", "-"), line.operands());
        assertFalse(line.flag("--json"));
        assertNull(line.value("--out"));
        assertEquals(List.of("-"), parse("-").operands());
    }

    @Test
    void errorsNameTheOption() {
        assertEquals("unknown option '--bogus'", assertThrows(IllegalArgumentException.class,
                () -> parse("--bogus=1")).getMessage());
        assertEquals("--out needs a value", assertThrows(IllegalArgumentException.class,
                () -> parse("--out")).getMessage());
        assertEquals("--out given more than once", assertThrows(IllegalArgumentException.class,
                () -> parse("--out", "a", "--out", "b")).getMessage());
        assertEquals("--json takes no value", assertThrows(IllegalArgumentException.class,
                () -> parse("--json=yes")).getMessage());
        assertEquals("--out is required", assertThrows(IllegalArgumentException.class,
                () -> parse("--out=").required("--out")).getMessage());
        assertEquals("no FILE given", assertThrows(IllegalArgumentException.class,
                () -> parse().single("FILE")).getMessage());
        assertEquals("expected one FILE, got 2: a b", assertThrows(IllegalArgumentException.class,
                () -> parse("a", "b").single("FILE")).getMessage());
    }

    @Test
    void helpInEitherSpelling() {
        assertTrue(parse("-h").help());
        assertTrue(parse("x", "--help").help());
    }

    @Test
    void jsonEscapes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", "q\"\\\n\u0001é");
        m.put("b", Arrays.asList(1, true, null));
        assertEquals("{\"a\":\"q\\\"\\\\\\n\\u0001é\",\"b\":[1,true,null]}", Json.write(m));
    }
}
