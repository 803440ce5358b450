package io.forgeone.crypto.internal;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The one owner of the JCA provider this bundle uses. The provider is handed to every scheme and to the codec as
 * an instance ({@code getInstance(name, provider)}); it is never registered with {@code Security.addProvider},
 * so nothing global changes and other bundles' JCA lookups are not affected.
 */
@Component(service = BouncyCastle.class)
public final class BouncyCastle {
    private final Provider provider;

    @Activate
    public BouncyCastle() {
        this.provider = new BouncyCastleProvider();
    }

    public Provider provider() {
        return provider;
    }
}
