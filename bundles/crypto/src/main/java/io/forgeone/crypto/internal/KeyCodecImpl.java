package io.forgeone.crypto.internal;

import io.forgeone.api.crypto.CryptoException;
import io.forgeone.api.crypto.KeyCodec;
import io.forgeone.api.crypto.PublicKeyInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.security.auth.DestroyFailedException;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jcajce.interfaces.EdDSAPrivateKey;
import org.bouncycastle.jcajce.interfaces.MLDSAPrivateKey;
import org.bouncycastle.jcajce.interfaces.SLHDSAPrivateKey;
import org.bouncycastle.jce.interfaces.ECPrivateKey;
import org.bouncycastle.jce.spec.ECParameterSpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** PEM and fingerprints for every {@link Algorithm}, through the BouncyCastle provider instance. */
@Component(service = KeyCodec.class)
public final class KeyCodecImpl implements KeyCodec {
    private static final Logger LOG = LoggerFactory.getLogger(KeyCodecImpl.class);
    private final Provider provider;

    @Activate
    public KeyCodecImpl(@Reference BouncyCastle bouncyCastle) {
        this.provider = bouncyCastle.provider();
    }

    @Override
    public PublicKey readPublicKey(String pem) {
        List<PublicKey> keys = readPublicKeys(pem);
        if (keys.size() != 1) {
            throw new CryptoException("expected one PUBLIC KEY block, found " + keys.size());
        }
        return keys.get(0);
    }

    @Override
    public List<PublicKey> readPublicKeys(String pem) {
        Objects.requireNonNull(pem, "pem");
        List<PublicKey> keys = new ArrayList<>();
        int index = 0;
        for (Pem.Block block : Pem.read(pem.getBytes(StandardCharsets.US_ASCII))) {
            if (block.label().equals(Pem.PUBLIC_KEY)) {
                index++;
                keys.add(decodePublic(block.der(), index));
            } else if (block.label().endsWith("PRIVATE KEY")) {
                Arrays.fill(block.der(), (byte) 0);
                throw new CryptoException("found a " + block.label() + " block where a PUBLIC KEY was expected: "
                        + "derive the public key with 'openssl pkey -in KEY -pubout'");
            }
        }
        return keys;
    }

    private PublicKey decodePublic(byte[] der, int index) {
        Algorithm algorithm;
        try {
            algorithm = Algorithm.of(SubjectPublicKeyInfo.getInstance(der).getAlgorithm());
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new CryptoException("PUBLIC KEY block " + index + " is not a SubjectPublicKeyInfo", e);
        }
        try {
            return KeyFactory.getInstance(algorithm.keyAlgorithm, provider).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new CryptoException("PUBLIC KEY block " + index + " is not a valid " + algorithm.scheme + " key: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public PrivateKey readPrivateKey(byte[] pemAscii) {
        Objects.requireNonNull(pemAscii, "pemAscii");
        List<Pem.Block> blocks = Pem.read(pemAscii);
        try {
            Pem.Block found = null;
            for (Pem.Block block : blocks) {
                switch (block.label()) {
                    case Pem.PRIVATE_KEY -> {
                        if (found != null) {
                            throw new CryptoException("expected one PRIVATE KEY block, found several");
                        }
                        found = block;
                    }
                    case "ENCRYPTED PRIVATE KEY" -> throw new CryptoException("the private key is encrypted: "
                            + "decrypt it with 'openssl pkcs8 -in KEY -out PLAIN'");
                    case "EC PRIVATE KEY" -> throw new CryptoException("the private key is in the legacy EC format: "
                            + "convert it with 'openssl pkcs8 -topk8 -nocrypt -in KEY -out PKCS8'");
                    default -> {
                        // other blocks (a public key or certificate kept beside the key) are not ours to read
                    }
                }
            }
            if (found == null) {
                throw new CryptoException("no PRIVATE KEY block (PKCS#8 PEM) found");
            }
            Algorithm algorithm;
            try {
                algorithm = Algorithm.of(PrivateKeyInfo.getInstance(found.der()).getPrivateKeyAlgorithm());
            } catch (IllegalArgumentException | ClassCastException e) {
                throw new CryptoException("the PRIVATE KEY block is not PKCS#8", e);
            }
            PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(found.der());
            try {
                return KeyFactory.getInstance(algorithm.keyAlgorithm, provider).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                throw new CryptoException("the PRIVATE KEY block is not a valid " + algorithm.scheme + " key", e);
            } finally {
                // the spec cloned the DER; clear that copy too
                Arrays.fill(spec.getEncoded(), (byte) 0);
            }
        } finally {
            blocks.forEach(b -> Arrays.fill(b.der(), (byte) 0));
        }
    }

    @Override
    public String writePublicKey(PublicKey key) {
        byte[] der = spki(key);
        return new String(Pem.write(Pem.PUBLIC_KEY, der), StandardCharsets.US_ASCII);
    }

    @Override
    public byte[] writePrivateKey(PrivateKey key) {
        Algorithm.of(Objects.requireNonNull(key, "key"));
        byte[] der = key.getEncoded();
        byte[] v1 = null;
        try {
            // BouncyCastle writes Ed25519 keys as PKCS#8 v2 (RFC 5958, public key included), which openssl 3.0
            // cannot read; v1 (RFC 5208, no public key) is what openssl writes and every reader takes
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(der);
            if (info.getPublicKeyData() == null) {
                return Pem.write(Pem.PRIVATE_KEY, der);
            }
            v1 = new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), info.parsePrivateKey(), info.getAttributes())
                    .getEncoded(ASN1Encoding.DER);
            return Pem.write(Pem.PRIVATE_KEY, v1);
        } catch (IOException e) {
            throw new CryptoException("cannot encode a " + key.getAlgorithm() + " private key", e);
        } finally {
            Arrays.fill(der, (byte) 0);
            if (v1 != null) {
                Arrays.fill(v1, (byte) 0);
            }
        }
    }

    @Override
    public PublicKey publicKeyOf(PrivateKey key) {
        Algorithm algorithm = Algorithm.of(Objects.requireNonNull(key, "key"));
        try {
            KeyFactory factory = KeyFactory.getInstance(algorithm.keyAlgorithm, provider);
            Key own = own(factory, key);
            if (own instanceof EdDSAPrivateKey ed) {
                return ed.getPublicKey();
            }
            if (own instanceof MLDSAPrivateKey ml) {
                return ml.getPublicKey();
            }
            if (own instanceof SLHDSAPrivateKey slh) {
                return slh.getPublicKey();
            }
            if (own instanceof ECPrivateKey ec) {
                ECParameterSpec params = ec.getParameters();
                return factory.generatePublic(new ECPublicKeySpec(params.getG().multiply(ec.getD()).normalize(), params));
            }
            throw new CryptoException("cannot derive the public key of a " + algorithm.scheme + " key of type "
                    + own.getClass().getName());
        } catch (GeneralSecurityException e) {
            throw new CryptoException("cannot derive the public key of a " + algorithm.scheme + " key: " + e.getMessage(), e);
        }
    }

    @Override
    public String keyId(PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki(key)));
        } catch (NoSuchAlgorithmException e) {
            throw new CryptoException("SHA-256 is missing from the JDK", e);
        }
    }

    @Override
    public String algorithm(Key key) {
        return Algorithm.of(Objects.requireNonNull(key, "key")).scheme;
    }

    @Override
    public PublicKeyInfo describe(PublicKey key, String name) {
        return new PublicKeyInfo(keyId(key), name, algorithm(key), writePublicKey(key));
    }

    @Override
    public void destroy(PrivateKey key) {
        if (key == null || key.isDestroyed()) {
            return;
        }
        try {
            key.destroy();
        } catch (DestroyFailedException e) {
            // BouncyCastle's and the JDK's asymmetric keys do not implement destroy(); the key is left to the GC
            LOG.debug("{} private key of type {} cannot be destroyed; left to the garbage collector",
                    key.getAlgorithm(), key.getClass().getName());
        }
    }

    /**
     * The key as this provider's own class: re-read from its standard encoding unless it already is one (the
     * provider's translateKey does not take every foreign key, e.g. the JDK's Ed25519 keys).
     */
    private static Key own(KeyFactory factory, Key key) throws GeneralSecurityException {
        if (key.getClass().getName().startsWith("org.bouncycastle.")) {
            return key;
        }
        byte[] encoded = key.getEncoded();
        try {
            if (key instanceof PublicKey) {
                return factory.generatePublic(new X509EncodedKeySpec(encoded));
            }
            PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(encoded);
            try {
                return factory.generatePrivate(spec);
            } finally {
                Arrays.fill(spec.getEncoded(), (byte) 0);
            }
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }

    /**
     * The SubjectPublicKeyInfo DER as this provider writes it (for P-256: named curve, uncompressed point, as
     * openssl writes it), so that the same key always has the same id whoever encoded it first.
     */
    private byte[] spki(PublicKey key) {
        Algorithm algorithm = Algorithm.of(Objects.requireNonNull(key, "key"));
        try {
            return own(KeyFactory.getInstance(algorithm.keyAlgorithm, provider), key).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new CryptoException("cannot encode a " + algorithm.scheme + " public key: " + e.getMessage(), e);
        }
    }
}
