package io.forgeone.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.auth.IssuedCertificate;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeCaTest {
    @TempDir
    Path dir;

    private static X509Certificate cert(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(NodeCa.unpem(pem, "CERTIFICATE")));
    }

    @Test
    void clientCertificatesAreSignedByTheNodesCaAndOnlyForClients() throws Exception {
        NodeCa ca = new NodeCa(dir, Clock.systemUTC());
        X509Certificate root = cert(ca.caCertificatePem());
        assertEquals(0, root.getBasicConstraints(), "a CA that signs only end entities");
        IssuedCertificate alice = ca.issueClient("alice", Duration.ofDays(30));
        X509Certificate c = cert(alice.certificatePem());
        c.verify(root.getPublicKey());
        assertTrue(c.getSubjectX500Principal().getName().contains("CN=alice"));
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), c.getExtendedKeyUsage(), "clientAuth only");
        assertEquals(-1, c.getBasicConstraints());
        assertFalse(alice.toString().contains("PRIVATE"), "toString does not print the key");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(dir.resolve("ca.key")));
        // the CA is kept: a second instance signs with the same one
        X509Certificate again = cert(new NodeCa(dir, Clock.systemUTC()).issueClient("bob", Duration.ofDays(1))
                .certificatePem());
        again.verify(root.getPublicKey());
        assertNotEquals(c.getSerialNumber(), again.getSerialNumber());
        assertThrows(IllegalArgumentException.class, () -> ca.issueClient("CN=x,O=y", Duration.ofDays(1)));
        assertThrows(IllegalArgumentException.class, () -> ca.issueClient("x", Duration.ofDays(900)));
    }

    @Test
    void theNodeCertificateNamesLoopbackAndTheHostAndIsRenewedForAnotherHost() throws Exception {
        NodeCa ca = new NodeCa(dir, Clock.systemUTC());
        SSLContext context = ca.serverContext("127.0.0.1");
        assertEquals("TLS", context.getProtocol());
        X509Certificate node = cert(Files.readString(dir.resolve("node.pem")));
        node.verify(cert(ca.caCertificatePem()).getPublicKey());
        List<String> names = new ArrayList<>();
        node.getSubjectAlternativeNames().forEach(n -> names.add(String.valueOf(n.get(1))));
        assertTrue(names.contains("localhost") && names.contains("127.0.0.1"), names.toString());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), node.getExtendedKeyUsage(), "serverAuth only");
        ca.serverContext("127.0.0.1");
        assertEquals(node, cert(Files.readString(dir.resolve("node.pem"))), "kept while it fits");
        ca.serverContext("node1.example");
        X509Certificate renewed = cert(Files.readString(dir.resolve("node.pem")));
        assertNotEquals(node, renewed);
        List<String> renewedNames = new ArrayList<>();
        renewed.getSubjectAlternativeNames().forEach(n -> renewedNames.add(String.valueOf(n.get(1))));
        assertTrue(renewedNames.contains("node1.example"), renewedNames.toString());
    }

    @Test
    void serverNames() {
        assertEquals(List.of("localhost", "127.0.0.1", "::1"), NodeCa.serverNames("127.0.0.1"));
        assertEquals(List.of("localhost", "127.0.0.1", "::1"), NodeCa.serverNames("0.0.0.0"));
        assertEquals(List.of("localhost", "127.0.0.1", "::1", "10.1.2.3"), NodeCa.serverNames("10.1.2.3"));
    }
}
