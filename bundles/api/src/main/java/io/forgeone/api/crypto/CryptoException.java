package io.forgeone.api.crypto;

/**
 * Root of the errors the crypto layer raises: a key or PEM text that cannot be read, a key of the wrong
 * algorithm, a provider failure. The message names the input and the reason; it never contains key material.
 */
public class CryptoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
