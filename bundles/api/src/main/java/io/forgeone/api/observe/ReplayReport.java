package io.forgeone.api.observe;

/**
 * How a replay went: identical, or where the guest first did something other than the trace says.
 *
 * @param identical whether every call and the end of the run matched the trace
 * @param calls calls replayed
 * @param recorded calls in the trace
 * @param divergence the first difference, or {@code null} when identical
 */
public record ReplayReport(boolean identical, long calls, long recorded, Divergence divergence) {

    /**
     * The first difference between a replay and its trace.
     *
     * @param sequence the sequence number of the call where they differ
     * @param expected what the trace has there (a call with its arguments, or the end of the run)
     * @param actual what the guest did instead
     */
    public record Divergence(long sequence, String expected, String actual) {
    }

    /** One line for people: {@code identical (N calls)} or the divergence. */
    public String text() {
        if (identical) {
            return "identical (" + calls + " calls)";
        }
        return "diverged at call #" + divergence.sequence() + ": expected " + divergence.expected() + ", actual "
                + divergence.actual();
    }
}
