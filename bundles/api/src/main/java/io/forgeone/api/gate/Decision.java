package io.forgeone.api.gate;

/** What the gate decided for one host call. */
public enum Decision {
    /** Run the call. */
    ALLOW,
    /** Do not run it: the guest gets the function's denied errno, or a trap when it has none. */
    DENY
}
