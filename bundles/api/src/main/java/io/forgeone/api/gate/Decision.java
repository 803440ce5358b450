package io.forgeone.api.gate;

/** What the gate decided for one host call. */
public enum Decision {
    /** Run the call. */
    ALLOW,
    /** Do not run it: the guest gets the function's denied errno, or a trap when it has none. */
    DENY,
    /**
     * Do not run it, and quarantine the container: the kernel suspends the guest at this call, keeps it for
     * forensics, and lets it go on (the call then gets its denial) only when an operator releases it.
     */
    QUARANTINE
}
