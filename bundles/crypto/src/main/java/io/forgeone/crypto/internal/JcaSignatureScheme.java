package io.forgeone.crypto.internal;

import io.forgeone.api.crypto.CryptoException;
import io.forgeone.api.crypto.SignatureScheme;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.ECGenParameterSpec;
import java.util.Objects;

/** A signature scheme over the JCA, with the BouncyCastle provider instance handed in (never looked up globally). */
abstract class JcaSignatureScheme implements SignatureScheme {
    private final Algorithm algorithm;
    private final Provider provider;
    private final SecureRandom random = new SecureRandom();

    JcaSignatureScheme(Algorithm algorithm, BouncyCastle bouncyCastle) {
        this.algorithm = algorithm;
        this.provider = bouncyCastle.provider();
    }

    @Override
    public final String name() {
        return algorithm.scheme;
    }

    @Override
    public final boolean isPostQuantum() {
        return algorithm.postQuantum;
    }

    @Override
    public final KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.keyAlgorithm, provider);
            if (algorithm == Algorithm.ECDSA_P256) {
                generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new CryptoException("cannot generate a " + name() + " key pair: " + e.getMessage(), e);
        }
    }

    @Override
    public final boolean accepts(Key key) {
        try {
            return Algorithm.of(Objects.requireNonNull(key, "key")) == algorithm;
        } catch (CryptoException e) {
            return false;
        }
    }

    @Override
    public final byte[] sign(PrivateKey key, byte[] data) {
        Objects.requireNonNull(data, "data");
        requireOwn(key);
        try {
            Signature signature = Signature.getInstance(algorithm.signAlgorithm, provider);
            signature.initSign(key, random);
            signature.update(data);
            return signature.sign();
        } catch (InvalidKeyException e) {
            throw new CryptoException("the " + key.getAlgorithm() + " key cannot sign with " + name() + ": "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("signing with " + name() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public final boolean verify(PublicKey key, byte[] data, byte[] signatureBytes) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(signatureBytes, "signature");
        requireOwn(key);
        Signature signature;
        try {
            signature = Signature.getInstance(algorithm.verifyAlgorithm, provider);
            signature.initVerify(key);
            signature.update(data);
        } catch (InvalidKeyException e) {
            throw new CryptoException("the " + key.getAlgorithm() + " key cannot verify " + name() + ": "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("verifying with " + name() + " failed: " + e.getMessage(), e);
        }
        try {
            return signature.verify(signatureBytes);
        } catch (SignatureException e) {
            // a malformed signature (bad DER, wrong length) is simply not a valid one
            return false;
        }
    }

    private void requireOwn(Key key) {
        Objects.requireNonNull(key, "key");
        Algorithm actual = Algorithm.of(key);
        if (actual != algorithm) {
            throw new CryptoException("a " + actual.scheme + " key cannot be used with " + name());
        }
    }

    @Override
    public String toString() {
        return "SignatureScheme[" + name() + "]";
    }
}
