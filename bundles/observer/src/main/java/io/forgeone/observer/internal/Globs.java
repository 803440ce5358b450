package io.forgeone.observer.internal;

import java.util.List;
import java.util.regex.Pattern;

/** Container name globs: {@code *} any run of characters, {@code ?} one character, everything else literal. */
final class Globs {
    private final List<Pattern> patterns;

    Globs(String[] globs) {
        this.patterns = globs == null ? List.of() : java.util.Arrays.stream(globs).map(String::trim)
                .filter(g -> !g.isEmpty()).map(Globs::compile).toList();
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    boolean matches(String name) {
        for (Pattern p : patterns) {
            if (p.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }
}
