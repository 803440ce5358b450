package io.forgeone.api.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * A client certificate the node's CA issued, as the node keeps it (the certificate only; the key was handed
 * over and not kept).
 *
 * @param name the common name
 * @param serial the serial number, lowercase hex
 * @param notBefore from when it is valid
 * @param notAfter when it expires
 */
public record CertificateInfo(String name, String serial, Instant notBefore, Instant notAfter) {
    public CertificateInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
    }
}
