/**
 * Signatures and keys: signature schemes (classical and post-quantum) published as services, and the codec that
 * reads and writes keys as standard PEM (PKCS#8 private keys, SubjectPublicKeyInfo public keys) and names each
 * public key by its fingerprint. Keys are the JDK's own {@link java.security.PublicKey} and
 * {@link java.security.PrivateKey}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.forgeone.api.crypto;
