package io.forgeone.crypto.internal;

import io.forgeone.api.crypto.SignatureScheme;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** ML-DSA-65 (FIPS 204), post-quantum. */
@Component(service = SignatureScheme.class, property = SignatureScheme.NAME_PROPERTY + "=" + SignatureScheme.ML_DSA_65)
public final class MlDsa65Scheme extends JcaSignatureScheme {

    @Activate
    public MlDsa65Scheme(@Reference BouncyCastle bouncyCastle) {
        super(Algorithm.ML_DSA_65, bouncyCastle);
    }
}
