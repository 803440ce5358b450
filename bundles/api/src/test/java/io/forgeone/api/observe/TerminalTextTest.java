package io.forgeone.api.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
    @Test
    void aGuestsControlCharactersNeverReachTheTerminal() {
        assertEquals("a\\x1b[31mred\\x07\\x0a\\u202eevil\\x9b",
                TerminalText.printable("a\u001b[31mred\u0007\n\u202eevil\u009b"));
    }

    @Test
    void plainTextIsLeftAsItIs() {
        String text = "data/ok é 日本.txt";
        assertSame(text, TerminalText.printable(text));
    }
}
