package io.forgeone.api.policy;

/** How a policy's denials take effect. */
public enum PolicyMode {
    /** A denied call is refused: the guest gets the function's errno (ENOTCAPABLE) or a trap. */
    ENFORCE,
    /** A denied call runs anyway, and the would-be denial is logged. */
    AUDIT,
    /** Development only: everything runs, nothing is logged but the mode itself, loudly, at every start. */
    PERMISSIVE
}
