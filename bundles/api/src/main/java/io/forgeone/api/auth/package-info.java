/**
 * Who may use the node's control plane: bearer tokens with a role each. Tokens are shown once when created and
 * kept only as hashes; faces (REST, CLI, shell) authenticate and manage them through {@link
 * io.forgeone.api.auth.TokenService}; mutual TLS uses client certificates from the node's own CA ({@link
 * io.forgeone.api.auth.NodeCertificates}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.forgeone.api.auth;
