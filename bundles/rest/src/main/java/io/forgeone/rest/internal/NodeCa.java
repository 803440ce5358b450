package io.forgeone.rest.internal;

import io.forgeone.api.auth.CertificateInfo;
import io.forgeone.api.auth.IssuedCertificate;
import io.forgeone.api.auth.NodeCertificates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's certificate authority, as files in {@code ${forge.home}/etc/tls}: {@code ca.pem} and the
 * owner-only {@code ca.key}, and the server's {@code node.pem} and {@code node.key}. Certificates are built with
 * BouncyCastle's certificate builder and signed with the JDK's providers (ECDSA P-256, SHA-256), so no provider
 * is registered globally. The CA is made at first use; the node certificate is renewed when it is missing, within
 * 30 days of expiry, or does not name the address the server listens on.
 */
@Component(service = {NodeCertificates.class, NodeCa.class})
public final class NodeCa implements NodeCertificates {
    private static final Logger LOG = LoggerFactory.getLogger(NodeCa.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration NODE_VALIDITY = Duration.ofDays(397);
    private static final Duration MAX_CLIENT_VALIDITY = Duration.ofDays(825);

    private final Path dir;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    @Activate
    public NodeCa(BundleContext context) {
        this(tlsDirectory(context.getProperty("forge.home")), Clock.systemUTC());
    }

    NodeCa(Path dir, Clock clock) {
        this.dir = dir.toAbsolutePath().normalize();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    static Path tlsDirectory(String home) {
        return (home == null || home.isBlank() ? Path.of("etc") : Path.of(home, "etc")).resolve("tls");
    }

    @Override
    public Path directory() {
        return dir;
    }

    /** Issued client certificates (without keys), one file each: {@code issued/<serial>.pem}. */
    private Path issuedDirectory() {
        return dir.resolve("issued");
    }

    @Override
    public synchronized List<CertificateInfo> issued() {
        Path issued = issuedDirectory();
        if (!Files.isDirectory(issued)) {
            return List.of();
        }
        List<CertificateInfo> out = new java.util.ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(issued, "*.pem")) {
            for (Path f : files) {
                try {
                    X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                            new ByteArrayInputStream(unpem(Files.readString(f), "CERTIFICATE")));
                    out.add(new CertificateInfo(commonName(c), c.getSerialNumber().toString(16),
                            c.getNotBefore().toInstant(), c.getNotAfter().toInstant()));
                } catch (GeneralSecurityException | IllegalArgumentException e) {
                    LOG.warn("Skipping {}: not a certificate ({})", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + issued, e);
        }
        out.sort(java.util.Comparator.comparing(CertificateInfo::notBefore).thenComparing(CertificateInfo::serial));
        return List.copyOf(out);
    }

    private static String commonName(X509Certificate c) {
        org.bouncycastle.asn1.x500.RDN[] cn = X500Name.getInstance(c.getSubjectX500Principal().getEncoded())
                .getRDNs(BCStyle.CN);
        return cn.length == 0 ? "" : org.bouncycastle.asn1.x500.style.IETFUtils.valueToString(cn[0].getFirst()
                .getValue());
    }

    @Override
    public synchronized String caCertificatePem() {
        return pem("CERTIFICATE", der(ca().certificate()));
    }

    @Override
    public synchronized IssuedCertificate issueClient(String name, Duration validity) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("certificate name must be 1..64 of [A-Za-z0-9._@-], was '" + name + "'");
        }
        if (validity == null || validity.isNegative() || validity.isZero() || validity.compareTo(MAX_CLIENT_VALIDITY) > 0) {
            throw new IllegalArgumentException("validity must be more than 0 and at most 825 days, was " + validity);
        }
        Identity ca = ca();
        KeyPair pair = newKey();
        X509Certificate cert = sign(ca, name, pair.getPublic(), validity, false, List.of());
        write(issuedDirectory().resolve(cert.getSerialNumber().toString(16) + ".pem"), pem("CERTIFICATE", der(cert)));
        LOG.info("Issued client certificate {} (serial {}) until {}", name, cert.getSerialNumber().toString(16),
                cert.getNotAfter().toInstant());
        return new IssuedCertificate(name, cert.getSerialNumber().toString(16), cert.getNotAfter().toInstant(),
                pem("CERTIFICATE", der(cert)), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    }

    /**
     * The server's TLS context: its key and certificate (made or renewed here for {@code host}), and the CA as the
     * only trusted issuer of client certificates.
     */
    synchronized SSLContext serverContext(String host) {
        Identity ca = ca();
        Identity node = nodeIdentity(ca, host);
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] password = new char[0];
            keys.setKeyEntry("node", node.key(), password, new java.security.cert.Certificate[] {node.certificate(),
                ca.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("forge-ca", ca.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), random);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS with the certificates in " + dir, e);
        }
    }

    private record Identity(PrivateKey key, X509Certificate certificate) {
    }

    private Identity ca() {
        Path cert = dir.resolve("ca.pem");
        Path key = dir.resolve("ca.key");
        if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
            return read(cert, key);
        }
        KeyPair pair = newKey();
        X500Name name = name("ForgeOne node CA " + hostName());
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(CA_VALIDITY)), name, pair.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate ca = convert(b, pair.getPrivate());
            write(key, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            write(cert, pem("CERTIFICATE", der(ca)));
            LOG.info("Created the node's certificate authority in {}", dir);
            return new Identity(pair.getPrivate(), ca);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create the node's CA", e);
        }
    }

    private Identity nodeIdentity(Identity ca, String host) {
        Path cert = dir.resolve("node.pem");
        Path key = dir.resolve("node.key");
        List<String> names = serverNames(host);
        if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
            Identity node = read(cert, key);
            if (valid(node.certificate(), ca.certificate(), names)) {
                return node;
            }
            LOG.info("Renewing the node certificate in {} (expiring, another CA, or not for {})", dir, names);
        }
        KeyPair pair = newKey();
        X509Certificate c = sign(ca, "ForgeOne node " + hostName(), pair.getPublic(), NODE_VALIDITY, true, names);
        write(key, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        write(cert, pem("CERTIFICATE", der(c)));
        return new Identity(pair.getPrivate(), c);
    }

    private boolean valid(X509Certificate node, X509Certificate ca, List<String> names) {
        try {
            node.verify(ca.getPublicKey());
            if (node.getNotAfter().toInstant().isBefore(clock.instant().plus(Duration.ofDays(30)))) {
                return false;
            }
            List<String> present = new ArrayList<>();
            if (node.getSubjectAlternativeNames() != null) {
                node.getSubjectAlternativeNames().forEach(n -> present.add(String.valueOf(n.get(1))));
            }
            for (String n : names) {
                if (present.stream().noneMatch(p -> sameName(p, n))) {
                    return false;
                }
            }
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean sameName(String a, String b) {
        if (a.equalsIgnoreCase(b)) {
            return true;
        }
        try {
            return isIp(a) && isIp(b) && InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (IOException e) {
            return false;
        }
    }

    /** localhost and the loopback addresses always; the configured host too unless it is a wildcard. */
    static List<String> serverNames(String host) {
        List<String> names = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1"));
        if (host != null && !host.isBlank() && !host.equals("0.0.0.0") && !host.equals("::")
                && names.stream().noneMatch(n -> sameName(n, host))) {
            names.add(host);
        }
        return names;
    }

    private X509Certificate sign(Identity ca, String cn, PublicKey key, Duration validity, boolean server,
            List<String> names) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                    Date.from(now.minusSeconds(60)), Date.from(now.plus(validity)), name(cn), key);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
            b.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
            b.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca.certificate()));
            if (!names.isEmpty()) {
                List<GeneralName> alt = new ArrayList<>();
                for (String n : names) {
                    alt.add(new GeneralName(isIp(n) ? GeneralName.iPAddress : GeneralName.dNSName, n));
                }
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(alt.toArray(new GeneralName[0])));
            }
            return convert(b, ca.key());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + cn, e);
        }
    }

    private static boolean isIp(String n) {
        return n.indexOf(':') >= 0 || n.matches("[0-9.]+");
    }

    private static X509Certificate convert(X509v3CertificateBuilder b, PrivateKey signer) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("no SHA256withECDSA signer", e);
        }
    }

    private static X500Name name(String cn) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).addRDN(BCStyle.O, "ForgeOne").build();
    }

    private BigInteger serial() {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private static KeyPair newKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no EC P-256 in this JVM", e);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static byte[] der(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode a certificate", e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    static byte[] unpem(String text, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b < 0 || e < b) {
            throw new IllegalArgumentException("no " + type + " PEM block");
        }
        return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
    }

    private Identity read(Path certFile, Path keyFile) {
        try {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(unpem(Files.readString(certFile), "CERTIFICATE")));
            byte[] der = unpem(Files.readString(keyFile), "PRIVATE KEY");
            try {
                PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
                return new Identity(key, cert);
            } finally {
                java.util.Arrays.fill(der, (byte) 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + certFile + " or " + keyFile, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("bad certificate or key in " + certFile + " / " + keyFile, e);
        }
    }

    private void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
            try {
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    LOG.warn("{} has no POSIX permissions; protect the TLS keys by other means", dir);
                }
                Files.writeString(tmp, content, StandardCharsets.US_ASCII);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
