/**
 * Policy: which capabilities a workload is granted, read from the node's policy files, and why a given host call
 * is allowed or denied. The gate decides with policies compiled from these; this package is how people and
 * faces (shell, CLI, REST) see and question them; {@link io.forgeone.api.policy.AuditLog} reads back the decision
 * log the gate writes.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.forgeone.api.policy;
