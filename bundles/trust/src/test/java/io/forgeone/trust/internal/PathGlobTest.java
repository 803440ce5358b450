package io.forgeone.trust.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PathGlobTest {
    @Test
    void doubleStarMatchesTheFolderAndEverythingBelow() {
        PathGlob g = PathGlob.parse("/data/**");
        assertTrue(g.matches("/data"));
        assertTrue(g.matches("/data/a/b/c.txt"));
        assertFalse(g.matches("/database"));
        assertFalse(g.matches("/"));
    }

    @Test
    void starStaysInOneSegment() {
        PathGlob g = PathGlob.parse("/out/*.txt");
        assertTrue(g.matches("/out/a.txt"));
        assertFalse(g.matches("/out/sub/a.txt"));
        assertFalse(g.matches("/out/a.txt.bak"));
    }

    @Test
    void regexCharactersAreLiteral() {
        assertTrue(PathGlob.parse("/a+b/(c)").matches("/a+b/(c)"));
        assertFalse(PathGlob.parse("/a.b").matches("/axb"));
    }

    @Test
    void normalizeMakesPathsComparable() {
        assertEquals("/data/x", PathGlob.normalize("/data//./x/"));
        assertEquals("/x", PathGlob.normalize("/data/../x"));
        assertEquals("/", PathGlob.normalize("/../.."));
    }
}
