package io.forgeone.trust.internal;

import java.util.regex.Pattern;

/**
 * A guest path pattern: {@code *} matches within one path segment, {@code **} any number of segments
 * (including none), anything else literally. Patterns and paths are absolute guest paths ({@code /data/x}).
 * {@code /data/**} matches {@code /data} itself and everything below it.
 */
final class PathGlob {
    private final String text;
    private final Pattern pattern;

    private PathGlob(String text, Pattern pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    static PathGlob parse(String glob) {
        if (!glob.startsWith("/")) {
            throw new IllegalArgumentException("path '" + glob + "' must be absolute (start with '/'), as the guest sees it");
        }
        for (String segment : glob.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new IllegalArgumentException("path '" + glob + "' must not contain '.' or '..' segments");
            }
        }
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (glob.startsWith("/**", i) && (i + 3 == glob.length() || glob.charAt(i + 3) == '/')) {
                regex.append("(/.*)?");
                i += 3;
            } else if (c == '*') {
                regex.append("[^/]*");
                i++;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return new PathGlob(glob, Pattern.compile(regex.toString()));
    }

    boolean matches(String guestPath) {
        return pattern.matcher(guestPath).matches();
    }

    @Override
    public String toString() {
        return text;
    }

    /**
     * Lexically normalises an absolute guest path: collapses repeated and trailing slashes and {@code .}, resolves
     * {@code ..} (never above {@code /}). The WASI layer refuses real escapes; this only makes the text comparable.
     */
    static String normalize(String path) {
        String[] parts = path.split("/");
        java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                out.pollLast();
            } else {
                out.addLast(part);
            }
        }
        return "/" + String.join("/", out);
    }
}
