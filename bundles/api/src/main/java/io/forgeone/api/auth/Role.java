package io.forgeone.api.auth;

import java.util.Locale;

/** What a token may do; each role includes the ones before it. */
public enum Role {
    /** Reads: list, inspect, logs, stats, policies, packages. */
    VIEWER,
    /** Runs, stops, kills and deletes containers; uploads packages. */
    OPERATOR,
    /** Changes policies, trust and tokens. */
    ADMIN;

    /** Whether this role may do what {@code required} may. */
    public boolean includes(Role required) {
        return compareTo(required) >= 0;
    }

    /** The role for {@code viewer}, {@code operator} or {@code admin} (any case). */
    public static Role parse(String name) {
        if (name != null) {
            for (Role r : values()) {
                if (r.name().equalsIgnoreCase(name.trim())) {
                    return r;
                }
            }
        }
        throw new IllegalArgumentException("role must be viewer, operator or admin, was '" + name + "'");
    }

    /** The lowercase name, as files and JSON spell it. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
