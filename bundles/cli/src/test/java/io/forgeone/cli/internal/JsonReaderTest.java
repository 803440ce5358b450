package io.forgeone.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {
    @Test
    void readsTheNodesJson() {
        Object v = JsonReader.parse(" {\"a\":[1,-2.5e1,true,false,null],\"s\":\"q\\\"\\\\\\/\\n\\u00e9\",\"o\":{}} ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", Arrays.asList(1L, -25.0, true, false, null));
        expected.put("s", "q\"\\/\né");
        expected.put("o", Map.of());
        assertEquals(expected, v);
        assertEquals(List.of(), JsonReader.parse("[]"));
        assertEquals(Long.MAX_VALUE, JsonReader.parse(String.valueOf(Long.MAX_VALUE)));
    }

    @Test
    void anythingElseNamesTheOffset() {
        for (String bad : List.of("", "{", "[1,]", "{\"a\" 1}", "tru", "\"\\x\"", "1 2", "\"a\nb\"", "{1:2}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("not JSON at offset "), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("[".repeat(100) + "]".repeat(100)));
    }

    @Test
    void prettyPrintingReadsBackTheSame() {
        Object v = JsonReader.parse("{\"id\":\"x\",\"args\":[\"a\",\"b\"],\"limits\":{\"n\":1},\"empty\":[],\"none\":null}");
        String pretty = Json.pretty(v);
        assertEquals("{\n  \"id\": \"x\",\n  \"args\": [\n    \"a\",\n    \"b\"\n  ],\n  \"limits\": {\n    \"n\": 1\n"
                + "  },\n  \"empty\": [],\n  \"none\": null\n}\n", pretty);
        assertEquals(v, JsonReader.parse(pretty));
        assertEquals(v, JsonReader.parse(Json.write(v)));
    }
}
