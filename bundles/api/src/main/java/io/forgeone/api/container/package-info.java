/**
 * Containers: specification, state, information and the runtime service that follows the OCI runtime operations (create, start, kill, delete, state).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package io.forgeone.api.container;
