package io.forgeone.trust.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonReaderTest {

    @Test
    void readsWhatTheLogWrites() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("s", "quote \" backslash \\ newline \n tab \t control \u0001 e\u0301 \u20ac \ud83d\ude00 \u0085");
        record.put("n", -12L);
        record.put("big", Long.MAX_VALUE);
        record.put("d", 1.5);
        record.put("b", true);
        record.put("null", null);
        record.put("list", Arrays.asList(1L, "x", null, List.of()));
        record.put("map", Map.of("k", Map.of()));
        StringBuilder text = new StringBuilder();
        Json.write(text, record);
        assertEquals(record, JsonReader.parse(text.toString()));
    }

    @Test
    void standardJson() {
        assertEquals(Map.of("a", List.of(1L, 2.5e3, -0.25, "\u00e9/"), "b", false),
                JsonReader.parse(" { \"a\" : [ 1 , 2.5E+3, -0.25, \"\\u00e9\\/\" ] , \"b\":false } "));
        assertEquals(1e30, JsonReader.parse("1000000000000000000000000000000"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|column 1: the line ends where a value should be",
        "{|column 2: expected a field name in double quotes",
        "{\"a\":1|column 7: the line ends where '}' should be",
        "{\"a\" 1}|column 6: expected ':' but found '1'",
        "{\"a\":1,\"a\":2}|column 8: field 'a' appears twice",
        "[1,]|column 4: unexpected ']'",
        "01|column 2: unexpected '1' after the value",
        "-|column 2: a number needs digits",
        "1.|column 3: a fraction needs digits",
        "1e|column 3: an exponent needs digits",
        "\"a|column 3: a string is not closed",
        "\"\\x\"|column 3: unknown escape \\x",
        "\"\\u12g4\"|column 6: \\u needs four hex digits",
        "tru|column 1: unexpected 't'",
        "{} {}|column 4: unexpected '{' after the value",
    })
    void mistakesNameTheColumn(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(text));
        assertEquals(message, e.getMessage());
    }

    @Test
    void controlCharactersAndDeepNestingAreRefused() {
        assertEquals("column 3: a control character in a string must be escaped",
                assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("\"a\nb\"")).getMessage());
        String deep = "[".repeat(100) + "]".repeat(100);
        assertEquals("column 65: nested deeper than 64 levels",
                assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(deep)).getMessage());
    }
}
