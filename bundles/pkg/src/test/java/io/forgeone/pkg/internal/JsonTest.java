package io.forgeone.pkg.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {

    private static Object parse(String text) throws Json.JsonException {
        return Json.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String canonical(String text) throws Json.JsonException {
        return new String(Json.canonical(parse(text)), StandardCharsets.UTF_8);
    }

    @Test
    void canonicalFormSortsKeysDropsWhitespaceAndEscapesMinimally() throws Exception {
        assertEquals("{\"a\":[1,-2,true,false,null],\"b\":{\"x\":\"\\\"\\\\\\n\\u0001/é€😀\"},\"é\":0}",
                canonical(" {\n \"é\" : 0,\t\"b\": {\"x\": \"\\\"\\\\\\n\\u0001\\/\\u00e9€\\ud83d\\ude00\"}, \"a\" : [ 1 , -2 , true , false , null ] }\r\n"));
        // UTF-16 code unit order, as RFC 8785 sorts: U+1F600 is the pair D83D DE00, which sorts before U+FB01
        assertEquals("{\"😀\":1,\"ﬁ\":2}", canonical("{\"ﬁ\":2,\"😀\":1}"));
        assertEquals("{}", canonical("{ }"));
        assertEquals("[]", canonical("[ ]"));
    }

    @Test
    void valuesParseToJavaTypes() throws Exception {
        assertEquals(Map.of("n", 9007199254740991L, "s", "x", "l", List.of(true)), parse("{\"n\":9007199254740991,\"s\":\"x\",\"l\":[true]}"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"a\":1,\"a\":2}              | 1:8: duplicate key \"a\"",
        "{\"a\":1,}                     | 1:8: trailing comma",
        "[1,]                           | 1:4: trailing comma",
        "{\"a\":01}                     | 1:6: leading zeros",
        "{\"a\":1.5}                    | 1:7: only integers",
        "{\"a\":1e3}                    | 1:7: only integers",
        "{\"a\":9007199254740992}       | 1:6: integer 9007199254740992 is outside",
        "{\"a\":\"\\ud800\"}            | lone high surrogate",
        "{\"a\":\"\\udc00\"}            | lone low surrogate",
        "{\"a\":\"\\x\"}                | invalid escape",
        "{\"a\":tru}                    | 1:6: unexpected character 't'",
        "{\"a\":1} x                    | 1:9: unexpected text after",
        "// c                           | 1:1: unexpected character '/'",
        "{a:1}                          | 1:2: expected a string key",
        "nul                            | 1:1: unexpected character 'n'",
        "{\"a\":\"x                      | unterminated string",
    })
    void strictErrorsNameLineAndColumn(String text, String message) {
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> parse(text.strip()));
        assertEquals(true, e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void lineAndColumnCountNewlines() {
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> parse("{\n  \"a\": 1,\n  \"a\": 2\n}"));
        assertEquals(3, e.line);
        assertEquals(3, e.column);
    }

    @Test
    void bytesThatAreNotUtf8OrStartWithABomOrHoldRawControlCharacters() {
        assertThrows(Json.JsonException.class, () -> Json.parse(new byte[] {'"', (byte) 0xC3, '"'}));
        assertThrows(Json.JsonException.class, () -> parse("\uFEFF{}"));
        assertThrows(Json.JsonException.class, () -> parse("\"a\tb\""));
        assertThrows(Json.JsonException.class, () -> parse("[".repeat(100) + "]".repeat(100)));
        assertThrows(Json.JsonException.class, () -> parse(""));
    }
}
