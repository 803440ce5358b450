package io.forgeone.api.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The node's own certificate authority, for mutual TLS on the control plane: it signs the node's server
 * certificate and the client certificates people and tools present. Its key stays on the node, owner-only.
 */
@ProviderType
public interface NodeCertificates {

    /** The CA certificate as PEM, which clients trust; the CA is created at first use. */
    String caCertificatePem();

    /**
     * Issues a client certificate signed by the node's CA, with a new key that is returned once and not kept.
     *
     * @param name the certificate's common name (1..64 of {@code [A-Za-z0-9._@-]})
     * @param validity how long it is valid (at most 825 days)
     * @throws IllegalArgumentException when the name or validity is not allowed
     */
    IssuedCertificate issueClient(String name, Duration validity);

    /**
     * The client certificates this CA issued, oldest first (each is kept, without its key, when it is issued).
     *
     * @since 1.1
     */
    List<CertificateInfo> issued();

    /**
     * Where the CA keeps its files (the CA certificate and key, the node's certificate, the issued certificates),
     * for people to be told.
     *
     * @since 1.1
     */
    Path directory();
}
