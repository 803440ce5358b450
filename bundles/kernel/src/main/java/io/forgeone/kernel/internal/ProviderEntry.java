package io.forgeone.kernel.internal;

import io.forgeone.api.capability.CapabilityProvider;

/**
 * A provider service as the kernel bound it.
 *
 * @param bundleId the bundle that registered it, -1 when unknown (tests)
 */
record ProviderEntry(CapabilityProvider provider, String module, long bundleId) {
}
