package io.forgeone.api.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * A certificate just issued by the node's CA, with its private key: the only time the key exists outside the
 * holder's hands.
 *
 * @param name the common name
 * @param serial the serial number, lowercase hex
 * @param notAfter when it expires
 * @param certificatePem the certificate, PEM
 * @param privateKeyPem the private key, PKCS#8 PEM
 */
public record IssuedCertificate(String name, String serial, Instant notAfter, String certificatePem,
        String privateKeyPem) {
    public IssuedCertificate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(certificatePem, "certificatePem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    }

    @Override
    public String toString() {
        return "IssuedCertificate[" + name + ", serial " + serial + ", until " + notAfter + ", key …]";
    }
}
