/**
 * WASI preview1 as a service: a configured, sandboxed set of host functions over a guest-memory view. WASI knows nothing of engines.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.forgeone.api.wasi;
