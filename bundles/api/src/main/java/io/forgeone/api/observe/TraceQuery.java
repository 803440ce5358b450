package io.forgeone.api.observe;

/**
 * Which records to read.
 *
 * @param since the first sequence number wanted (0 for all)
 * @param call only calls of this function name (for example {@code path_open}), or {@code null} for all
 * @param limit the most records returned; 0 for no limit
 */
public record TraceQuery(long since, String call, int limit) {
    public static final TraceQuery ALL = new TraceQuery(0, null, 0);

    public TraceQuery {
        if (since < 0) {
            throw new IllegalArgumentException("since must not be negative: " + since);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        if (call != null && call.isBlank()) {
            call = null;
        }
    }

    /** Whether a call of {@code name} passes the filter. */
    public boolean matches(String name) {
        return call == null || call.equals(name);
    }
}
