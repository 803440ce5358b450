/**
 * Capability providers: bundles that publish host functions (a key-value store, outbound HTTP, ...) under an
 * import module name such as {@code forge:kv}. The kernel links a workload's imports of that module to the
 * provider's functions, each behind the host-call gate, and the policy decides who may use them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.forgeone.api.capability;
