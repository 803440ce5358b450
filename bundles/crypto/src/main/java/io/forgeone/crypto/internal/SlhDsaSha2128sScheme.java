package io.forgeone.crypto.internal;

import io.forgeone.api.crypto.SignatureScheme;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** SLH-DSA-SHA2-128s (FIPS 205), post-quantum; slow to sign, quick to verify. */
@Component(service = SignatureScheme.class, property = SignatureScheme.NAME_PROPERTY + "=" + SignatureScheme.SLH_DSA_SHA2_128S)
public final class SlhDsaSha2128sScheme extends JcaSignatureScheme {

    @Activate
    public SlhDsaSha2128sScheme(@Reference BouncyCastle bouncyCastle) {
        super(Algorithm.SLH_DSA_SHA2_128S, bouncyCastle);
    }
}
