package io.forgeone.crypto.internal;

import io.forgeone.api.crypto.SignatureScheme;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** ECDSA on P-256 with SHA-256, DER signatures. */
@Component(service = SignatureScheme.class, property = SignatureScheme.NAME_PROPERTY + "=" + SignatureScheme.ECDSA_P256)
public final class EcdsaP256Scheme extends JcaSignatureScheme {

    @Activate
    public EcdsaP256Scheme(@Reference BouncyCastle bouncyCastle) {
        super(Algorithm.ECDSA_P256, bouncyCastle);
    }
}
