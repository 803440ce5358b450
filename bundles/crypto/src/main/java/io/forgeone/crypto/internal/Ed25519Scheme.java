package io.forgeone.crypto.internal;

import io.forgeone.api.crypto.SignatureScheme;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Ed25519 (RFC 8032). */
@Component(service = SignatureScheme.class, property = SignatureScheme.NAME_PROPERTY + "=" + SignatureScheme.ED25519)
public final class Ed25519Scheme extends JcaSignatureScheme {

    @Activate
    public Ed25519Scheme(@Reference BouncyCastle bouncyCastle) {
        super(Algorithm.ED25519, bouncyCastle);
    }
}
