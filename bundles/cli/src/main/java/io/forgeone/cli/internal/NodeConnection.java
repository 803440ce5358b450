package io.forgeone.cli.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Where the node is and how to prove who we are: its base URL ({@code --node} or {@code FORGE_NODE}), the bearer
 * token ({@code --token-file} or {@code FORGE_TOKEN}; never an option of its own, so that it stays out of shell
 * history and {@code ps}), and for HTTPS the node's CA and an optional client certificate and key (PEM).
 *
 * @param base the node's URL, {@code http(s)://host:port} with no path
 * @param token the bearer token, or {@code null} to send none
 * @param caCert PEM file of the CA to trust instead of the JDK's, or {@code null}
 * @param clientCert PEM certificate (chain) for mutual TLS, or {@code null}
 * @param clientKey PEM PKCS#8 private key of {@code clientCert}, or {@code null}
 */
record NodeConnection(URI base, String token, Path caCert, Path clientCert, Path clientKey) {
    static final String NODE_ENV = "FORGE_NODE";
    static final String TOKEN_ENV = "FORGE_TOKEN";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    NodeConnection {
        Objects.requireNonNull(base, "base");
    }

    /**
     * The connection from the global options and the environment.
     *
     * @param node {@code --node}, or {@code null} to use {@code FORGE_NODE}
     * @throws IllegalArgumentException (a usage error) naming the option or variable that is wrong
     */
    static NodeConnection of(String node, String tokenFile, String caCert, String cert, String key,
            Map<String, String> env) {
        String url = node != null ? node : env.get(NODE_ENV);
        String source = node != null ? "--node" : NODE_ENV;
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("no node given: use --node URL or set " + NODE_ENV
                    + " (e.g. http://127.0.0.1:8080)");
        }
        URI base = parseBase(source, url.strip());
        String token;
        if (tokenFile != null) {
            token = readToken(Path.of(tokenFile));
        } else {
            String fromEnv = env.get(TOKEN_ENV);
            token = fromEnv == null || fromEnv.isBlank() ? null : fromEnv.strip();
        }
        if (token != null && !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException((tokenFile != null ? "--token-file " + tokenFile : TOKEN_ENV)
                    + ": the token holds spaces or characters outside printable ASCII");
        }
        boolean https = base.getScheme().equals("https");
        if (!https && (caCert != null || cert != null || key != null)) {
            throw new IllegalArgumentException((caCert != null ? "--cacert" : cert != null ? "--cert" : "--key")
                    + " needs an https:// node URL, got " + base);
        }
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException(cert == null ? "--key needs --cert (the certificate of that key)"
                    : "--cert needs --key (the certificate's private key, PEM)");
        }
        return new NodeConnection(base, token, caCert == null ? null : Path.of(caCert),
                cert == null ? null : Path.of(cert), key == null ? null : Path.of(key));
    }

    static URI parseBase(String source, String url) {
        if (!url.contains("://")) {
            throw new IllegalArgumentException(source + " '" + url + "': expected http://HOST:PORT or https://HOST:PORT");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(source + " '" + url + "': not a URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(source + " '" + url + "': expected http://HOST:PORT or https://HOST:PORT");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(source + " '" + url + "': no host");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!(path.isEmpty() || path.equals("/")) || uri.getRawQuery() != null || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(source + " '" + url
                    + "': give the node's address only (scheme, host, port), not a path, query or user");
        }
        int port = uri.getPort();
        try {
            return new URI(scheme, null, uri.getHost(), port, null, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(source + " '" + url + "': " + e.getReason(), e);
        }
    }

    private static String readToken(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--token-file " + file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException("--token-file " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        String token = text.strip();
        if (token.isEmpty()) {
            throw new IllegalArgumentException("--token-file " + file + ": the file is empty");
        }
        return token;
    }

    /** The HTTP client for this node: HTTP/1.1 (the node's server), TLS from the PEM files when given. */
    HttpClient client() {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER);
        if (base.getScheme().equals("https") && (caCert != null || clientCert != null)) {
            b.sslContext(sslContext());
        }
        return b.build();
    }

    private SSLContext sslContext() {
        try {
            TrustManagerFactory tmf = null;
            if (caCert != null) {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                int i = 0;
                for (Certificate c : certificates("--cacert", caCert)) {
                    trust.setCertificateEntry("ca" + i++, c);
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (clientCert != null) {
                List<Certificate> chain = certificates("--cert", clientCert);
                PrivateKey key = privateKey(clientKey);
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", key, new char[0], chain.toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, new char[0]);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static List<Certificate> certificates(String option, Path file) {
        byte[] bytes = readPem(option, file);
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes));
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(option + " " + file + ": no certificate in the file");
            }
            return new ArrayList<>(certs);
        } catch (CertificateException e) {
            throw new IllegalArgumentException(option + " " + file + ": not a PEM certificate (" + e.getMessage() + ")",
                    e);
        }
    }

    private static PrivateKey privateKey(Path file) {
        String text = new String(readPem("--key", file), StandardCharsets.US_ASCII);
        String begin = "-----BEGIN PRIVATE KEY-----";
        String end = "-----END PRIVATE KEY-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            String hint = text.contains("-----BEGIN EC PRIVATE KEY-----") || text.contains("-----BEGIN RSA PRIVATE KEY")
                    ? " (this is a traditional key: convert it with 'openssl pkcs8 -topk8 -nocrypt')" : "";
            throw new IllegalArgumentException("--key " + file + ": expected an unencrypted PKCS#8 key"
                    + " (-----BEGIN PRIVATE KEY-----)" + hint);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--key " + file + ": the PEM body is not base64", e);
        }
        for (String algorithm : List.of("EC", "RSA", "Ed25519", "Ed448")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException("--key " + file + ": not an EC, RSA or EdDSA private key");
    }

    private static byte[] readPem(String option, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(option + " " + file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + file + ": cannot read it (" + e.getMessage() + ")");
        }
    }
}
